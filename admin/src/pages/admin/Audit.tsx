/**
 * 审计日志 (安全审计员): who did what, when, newest first, searchable by actor, action, object,
 * site and time; the same selection exports to Excel; the hash chain can be verified.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Input, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import { PagedTable } from '../../components/PagedTable';
import { fmtSize, fmtTime } from '../../lib/format';
import { errorText, notify } from '../../lib/notify';

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
  const targetType = params.get('targetType') ?? undefined;
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const filters = { actor, action, targetType, from, to };
  const [exporting, setExporting] = useState(false);
  const [verify, setVerify] = useState(false);
  const check = useQuery({ queryKey: ['audit-verify'], queryFn: () => api.get<{ ok: boolean; checked?: number; brokenAt?: number | null }>('/audit/verify'), enabled: verify });
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v.trim()) next.set(k, v.trim());
    else next.delete(k);
    next.delete('page');
    setParams(next);
  };
  const setRange = (r: [Dayjs | null, Dayjs | null] | null) => {
    const next = new URLSearchParams(params);
    if (r?.[0]) next.set('from', r[0].startOf('day').toISOString());
    else next.delete('from');
    if (r?.[1]) next.set('to', r[1].endOf('day').toISOString());
    else next.delete('to');
    next.delete('page');
    setParams(next);
  };
  const exportXlsx = async () => {
    setExporting(true);
    try {
      const f = await api.download('/audit/export.xlsx', filters, 'audit-log.xlsx');
      notify.success(`已导出 ${f.filename}（${fmtSize(f.size)}）`);
    } catch (e) {
      notify.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };
  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            <Button icon={<DownloadOutlined />} onClick={() => void exportXlsx()} loading={exporting}>
              导出 Excel
            </Button>
            <Button onClick={() => (verify ? void check.refetch() : setVerify(true))} loading={check.isFetching}>
              校验日志完整性
            </Button>
          </Space>
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
        <Input.Search aria-label="按对象类型筛选" placeholder="对象类型，如 user" allowClear defaultValue={targetType} onSearch={(v) => set("targetType", v)} style={{ width: 230 }} />
        <DatePicker.RangePicker
          aria-label="按日期筛选"
          placeholder={['开始日期', '结束日期']}
          value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
          onChange={(r) => setRange(r as [Dayjs | null, Dayjs | null] | null)}
          allowEmpty={[true, true]}
        />
      </Space>
      <Alert className="form-alert" type="info" showIcon title="操作人须填写完整用户名；操作按前缀匹配（如 user. 查看全部用户管理操作）。导出 Excel 按当前筛选条件导出，单次最多 50000 条。" />
      <PagedTable<Entry>
        path="/audit"
        query={filters}
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
