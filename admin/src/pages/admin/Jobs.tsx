/** 后台任务: queued, running, finished and failed jobs; a failed one can be retried. */
import { useQueryClient } from '@tanstack/react-query';
import { Button, Select, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import { PagedTable } from '../../components/PagedTable';
import { fmtTime } from '../../lib/format';
import { errorText, notify } from '../../lib/notify';

interface Job {
  id: number;
  type: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  runAt: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  finishedAt: string | null;
}

const STATUS: Record<Job['status'], [string, string]> = { pending: ['等待', '#1456c8'], running: ['运行中', '#0b6e6e'], done: ['完成', '#237804'], failed: ['失败', '#c4161c'] };

export default function Jobs() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? undefined;
  const qc = useQueryClient();
  const retry = async (id: number) => {
    try {
      await api.post(`/jobs/${id}/retry`);
      notify.success('已重新排队');
      void qc.invalidateQueries({ queryKey: ['paged', '/jobs'] });
    } catch (e) {
      notify.error(errorText(e));
    }
  };
  return (
    <>
      <PageTitle
        extra={
          <Select
            aria-label="任务状态"
            allowClear
            placeholder="全部状态"
            style={{ width: 140 }}
            value={status}
            onChange={(v?: string) => setParams(v ? { status: v } : {})}
            options={Object.entries(STATUS).map(([value, [label]]) => ({ value, label }))}
          />
        }
      >
        后台任务
      </PageTitle>
      <PagedTable<Job>
        path="/jobs"
        query={{ status }}
        rowKey="id"
        columns={[
          { title: '编号', dataIndex: 'id', width: 80 },
          { title: '类型', dataIndex: 'type' },
          { title: '状态', dataIndex: 'status', width: 90, render: (v: Job['status']) => <Tag color={STATUS[v][1]}>{STATUS[v][0]}</Tag> },
          { title: '计划时间', dataIndex: 'runAt', width: 160, render: (v: string) => fmtTime(v) },
          { title: '尝试', key: 'a', width: 80, render: (_v, j) => `${j.attempts}/${j.maxAttempts}` },
          { title: '错误', dataIndex: 'lastError', render: (v: string | null) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : '—') },
          { title: '操作', key: 'op', width: 80, render: (_v, j) => (j.status === 'failed' ? <Button size="small" onClick={() => void retry(j.id)}>重试</Button> : null) },
        ]}
      />
    </>
  );
}
