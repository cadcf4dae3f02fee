/**
 * 后台任务 (system administrator): queued, running, finished and failed jobs, updated live over
 * server-sent events (GET /jobs/events: a running job's progress as its pages are written), a
 * retry button for failed ones, and a full rebuild of the static pages on demand.
 */
import { ReloadOutlined, SyncOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, List, Popconfirm, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import { fmtTime } from '../../lib/format';
import { jobTypeName } from '../../lib/jobNames';
import { errorText, notify } from '../../lib/notify';
import type { Job, Page } from '../../types';

const STATUS: Record<Job['status'], [string, string]> = { pending: ['等待', '#1456c8'], running: ['运行中', '#0b6e6e'], done: ['完成', '#237804'], failed: ['失败', '#c4161c'] };
const PAGE_SIZE = 20;

type Live = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The jobs the server reports changed, newest state per job, while the screen is open. */
function useJobEvents(): { jobs: Map<number, Job>; live: Live; reconnect: () => void } {
  const [jobs, setJobs] = useState(() => new Map<number, Job>());
  const [live, setLive] = useState<Live>('connecting');
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    const es = new EventSource('/api/v1/jobs/events');
    setLive('connecting');
    es.onopen = () => setLive('open');
    es.onerror = () => setLive(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    es.addEventListener('job', (e) => {
      const j = JSON.parse((e as MessageEvent<string>).data) as Job;
      setJobs((prev) => {
        const had = prev.get(j.id);
        if (had && had.updatedAt > j.updatedAt) return prev;
        const next = new Map(prev);
        next.set(j.id, j);
        return next;
      });
    });
    return () => es.close();
  }, [attempt]);
  return { jobs, live, reconnect: () => setAttempt((n) => n + 1) };
}

function JobProgress({ job }: { job: Job }) {
  const p = job.progress;
  if (job.status === 'running' && p && p.total > 0) {
    const percent = Math.min(100, Math.floor((p.done / p.total) * 100));
    return (
      <div className="job-progress">
        <Progress percent={percent} size="small" status="active" aria-label={`任务 ${job.id} 进度 ${percent}%`} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {p.done} / {p.total}
          {p.message ? ` · ${p.message}` : ''}
        </Typography.Text>
      </div>
    );
  }
  if (job.status === 'running') return <Typography.Text type="secondary">正在运行…</Typography.Text>;
  if (job.status === 'done') return <Typography.Text type="secondary">{p && p.total ? `${p.total} 项 · ` : ''}完成于 {fmtTime(job.finishedAt)}</Typography.Text>;
  if (job.status === 'failed') return <Typography.Text type="secondary">{p && p.total ? `停在 ${p.done} / ${p.total} · ` : ''}失败于 {fmtTime(job.finishedAt)}</Typography.Text>;
  return <Typography.Text type="secondary">计划于 {fmtTime(job.runAt)}</Typography.Text>;
}

/** The error's first line; the rest (the stack) behind 展开 (the word antd's button is named by, so sight and screen reader agree). */
function ErrorText({ text }: { text: string | null }) {
  if (!text) return <>—</>;
  const [first, ...rest] = text.split('\n');
  return (
    <Typography.Paragraph type="danger" style={{ margin: 0 }} ellipsis={rest.length ? { rows: 1, expandable: 'collapsible', symbol: (open) => (open ? '收起' : '展开') } : false}>
      {first}
      {rest.length ? `\n${rest.join('\n')}` : ''}
    </Typography.Paragraph>
  );
}

export default function Jobs() {
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as Job['status'] | null) ?? undefined;
  const page = Number(params.get('page')) || 1;
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['jobs', status, page], queryFn: () => api.get<Page<Job>>('/jobs', { status, page, pageSize: PAGE_SIZE }), placeholderData: (p) => p });
  const { jobs: liveJobs, live, reconnect } = useJobEvents();
  const [retrying, setRetrying] = useState<number | null>(null);
  const [rebuilding, setRebuilding] = useState(false);

  // A job the page does not show yet (new, or now matching the filter): ask for the page again.
  const known = useRef(new Set<number>());
  useEffect(() => {
    for (const j of list.data?.items ?? []) known.current.add(j.id);
  }, [list.data]);
  useEffect(() => {
    const unseen = [...liveJobs.values()].some((j) => !known.current.has(j.id) && (!status || j.status === status));
    if (!unseen || page !== 1) return;
    const t = setTimeout(() => void qc.invalidateQueries({ queryKey: ['jobs'] }), 300);
    return () => clearTimeout(t);
  }, [liveJobs, status, page, qc]);

  const rows = useMemo(
    () =>
      (list.data?.items ?? []).map((j) => {
        const l = liveJobs.get(j.id);
        return l && l.updatedAt >= j.updatedAt ? l : j;
      }),
    [list.data, liveJobs],
  );
  const active = useMemo(() => [...liveJobs.values()].filter((j) => j.status === 'running').sort((a, b) => a.id - b.id), [liveJobs]);

  const retry = async (id: number) => {
    setRetrying(id);
    try {
      await api.post(`/jobs/${id}/retry`);
      notify.success(`任务 ${id} 已重新排队`);
      void qc.invalidateQueries({ queryKey: ['jobs'] });
    } catch (e) {
      notify.error(errorText(e));
    } finally {
      setRetrying(null);
    }
  };
  const rebuild = async () => {
    setRebuilding(true);
    try {
      const r = await api.post<{ queued: boolean; jobId: number | null }>('/publishing/rebuild', {});
      notify.success(`已安排全站重新生成${r.jobId ? `（任务 ${r.jobId}）` : ''}，进度见下方`);
      void qc.invalidateQueries({ queryKey: ['jobs'] });
    } catch (e) {
      notify.error(errorText(e));
    } finally {
      setRebuilding(false);
    }
  };

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            <Tag color={live === 'open' ? '#237804' : '#ad4e00'} icon={live === 'open' ? <SyncOutlined spin aria-hidden /> : undefined} role="status">
              {live === 'open' ? '实时更新中' : live === 'connecting' ? '正在连接…' : live === 'reconnecting' ? '连接中断，正在重连…' : '实时更新已停止'}
            </Tag>
            {live === 'closed' && (
              <Button size="small" onClick={reconnect}>
                重新连接
              </Button>
            )}
            <Select
              aria-label="任务状态"
              allowClear
              placeholder="全部状态"
              style={{ width: 140 }}
              value={status}
              onChange={(v?: string) => setParams(v ? { status: v } : {})}
              options={Object.entries(STATUS).map(([value, [label]]) => ({ value, label }))}
            />
            <Popconfirm title="重新生成全部静态页面？" description="所有站点的页面将按当前内容和模板重新生成，可能需要几分钟。" okText="开始生成" cancelText="取消" onConfirm={() => void rebuild()}>
              <Button type="primary" icon={<ReloadOutlined />} loading={rebuilding}>
                全站重新生成
              </Button>
            </Popconfirm>
          </Space>
        }
      >
        后台任务
      </PageTitle>
      {live === 'closed' && <Alert className="form-alert" type="warning" showIcon title="实时更新已停止（会话可能已结束或网络中断），列表不再自动刷新。" />}
      <Card title={<h2 className="card-title">正在运行</h2>} style={{ marginBottom: 16 }} size="small">
        {active.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="当前没有正在运行的任务" />
        ) : (
          <List
            dataSource={active}
            renderItem={(j) => (
              <List.Item>
                <List.Item.Meta title={`${jobTypeName(j.type)}（任务 ${j.id}）`} description={`第 ${j.attempts} 次尝试 · 最近报告于 ${dayjs(j.updatedAt).format('HH:mm:ss')}`} />
                <JobProgress job={j} />
              </List.Item>
            )}
          />
        )}
      </Card>
      <Table<Job>
        rowKey="id"
        size="middle"
        loading={list.isFetching && !list.data}
        dataSource={rows}
        locale={{ emptyText: '暂无任务' }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => `共 ${t} 条`,
          onChange: (p) => {
            const next = new URLSearchParams(params);
            next.set('page', String(p));
            setParams(next);
          },
        }}
        columns={[
          { title: '编号', dataIndex: 'id', width: 80 },
          { title: '类型', dataIndex: 'type', render: (v: string) => <span title={v}>{jobTypeName(v)}</span> },
          { title: '状态', dataIndex: 'status', width: 90, render: (v: Job['status']) => <Tag color={STATUS[v][1]}>{STATUS[v][0]}</Tag> },
          { title: '进度', key: 'p', width: 240, render: (_v, j) => <JobProgress job={j} /> },
          { title: '尝试', key: 'a', width: 70, render: (_v, j) => `${j.attempts}/${j.maxAttempts}` },
          { title: '错误', dataIndex: 'lastError', render: (v: string | null) => <ErrorText text={v} /> },
          {
            title: '操作',
            key: 'op',
            width: 90,
            render: (_v, j) =>
              j.status === 'failed' ? (
                <Button size="small" onClick={() => void retry(j.id)} loading={retrying === j.id} aria-label={`重试任务 ${j.id}`}>
                  重试
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
