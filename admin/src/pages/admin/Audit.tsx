/** 审计日志 (安全审计员): who did what, when, newest first; the hash chain can be verified. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Input, Space } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import { PagedTable } from '../../components/PagedTable';
import { fmtTime } from '../../lib/format';

interface Entry {
  id: number;
  at: string;
  actorName: string;
  action: string;
  targetType: string;
  targetId: string | null;
  siteId: number | null;
  ip: string | null;
}

export default function Audit() {
  const [params, setParams] = useSearchParams();
  const actor = params.get('actor') ?? undefined;
  const action = params.get('action') ?? undefined;
  const [verify, setVerify] = useState(false);
  const check = useQuery({ queryKey: ['audit-verify'], queryFn: () => api.get<{ ok: boolean; checked?: number; brokenAt?: number | null }>('/audit/verify'), enabled: verify });
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v.trim()) next.set(k, v.trim());
    else next.delete(k);
    next.delete('page');
    setParams(next);
  };
  return (
    <>
      <PageTitle
        extra={
          <Button onClick={() => (verify ? void check.refetch() : setVerify(true))} loading={check.isFetching}>
            校验日志完整性
          </Button>
        }
      >
        审计日志
      </PageTitle>
      {check.data && (
        <Alert className="form-alert" showIcon type={check.data.ok ? 'success' : 'error'} title={check.data.ok ? '审计日志哈希链完整，未发现篡改。' : `审计日志哈希链在第 ${check.data.brokenAt ?? '?'} 条处断开，请立即报告。`} />
      )}
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search aria-label="按操作人筛选" placeholder="操作人" allowClear defaultValue={actor} onSearch={(v) => set('actor', v)} />
        <Input.Search aria-label="按操作筛选" placeholder="操作，如 article.publish" allowClear defaultValue={action} onSearch={(v) => set('action', v)} />
      </Space>
      <PagedTable<Entry>
        path="/audit"
        query={{ actor, action }}
        rowKey="id"
        pageSize={50}
        columns={[
          { title: '时间', dataIndex: 'at', width: 160, render: (v: string) => fmtTime(v) },
          { title: '操作人', dataIndex: 'actorName', width: 140 },
          { title: '操作', dataIndex: 'action', width: 180 },
          { title: '对象', key: 't', render: (_v, e) => `${e.targetType}${e.targetId ? ` #${e.targetId}` : ''}` },
          { title: '站点', dataIndex: 'siteId', width: 70, render: (v: number | null) => v ?? '—' },
          { title: 'IP', dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
        ]}
      />
    </>
  );
}
