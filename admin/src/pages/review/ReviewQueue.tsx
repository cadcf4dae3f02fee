/** 审核: what waits for my decision, oldest first; several articles can be approved at once. */
import { CheckOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Modal, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import { fmtTime } from '../../lib/format';
import { errorText, notify } from '../../lib/notify';
import { useSession } from '../../session';
import type { ArticleSummary, ReviewQueue, Syndication } from '../../types';

const PAGE_SIZE = 20;

export default function ReviewQueuePage() {
  const { sites } = useSession();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page')) || 1;
  const [selected, setSelected] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [failures, setFailures] = useState<string[]>([]);
  const queue = useQuery({ queryKey: ['review-queue', page], queryFn: () => api.get<ReviewQueue>('/review-queue', { page, pageSize: PAGE_SIZE }), placeholderData: (p) => p });
  const siteName = (id: number) => sites.find((s) => s.id === id)?.name ?? `站点 ${id}`;
  const items = queue.data?.articles.items ?? [];

  const approveSelected = () => {
    const chosen = items.filter((a) => selected.includes(a.id));
    Modal.confirm({
      title: `批量通过 ${chosen.length} 篇稿件？`,
      content: '每篇稿件按其当前版本审核通过；最后一级通过后立即发布（或按设定的发布时间）。',
      okText: '全部通过',
      cancelText: '取消',
      onOk: async () => {
        setBusy(true);
        const results = await Promise.allSettled(chosen.map((a) => api.post(`/articles/${a.id}/review`, { decision: 'approve', version: a.version })));
        const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`《${chosen[i]!.title}》：${errorText(r.reason)}`] : []));
        const passed = results.length - failed.length;
        setFailures(failed);
        setSelected([]);
        setBusy(false);
        if (passed) notify.success(`已通过 ${passed} 篇`);
        if (failed.length) notify.error(`${failed.length} 篇未能通过，见页面上方说明`);
        await qc.invalidateQueries({ queryKey: ['review-queue'] });
        void qc.invalidateQueries({ queryKey: ['articles'] });
      },
    });
  };

  return (
    <>
      <PageTitle>审核</PageTitle>
      {failures.length > 0 && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setFailures([]) }}
          className="form-alert"
          title="以下稿件未能通过"
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {failures.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          }
        />
      )}
      <Card
        title={<h2 style={{ fontSize: 16, margin: 0 }}>待审核稿件（{queue.data?.articles.total ?? 0}）</h2>}
        extra={
          <Button type="primary" icon={<CheckOutlined />} disabled={selected.length === 0} loading={busy} onClick={approveSelected}>
            批量通过{selected.length ? `（${selected.length}）` : ''}
          </Button>
        }
        style={{ marginBottom: 16 }}
      >
        <Table<ArticleSummary>
          rowKey="id"
          size="middle"
          loading={queue.isFetching}
          dataSource={items}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]), getCheckboxProps: (a) => ({ 'aria-label': `选择：${a.title}` }) as object }}
          locale={{ emptyText: '暂无待审核的稿件' }}
          columns={[
            { title: '标题', dataIndex: 'title', render: (_v, a) => <Link to={`/review/${a.id}`}>{a.title}</Link> },
            { title: '站点', dataIndex: 'siteId', width: 200, render: (v: number) => siteName(v) },
            { title: '栏目', dataIndex: 'columnName', width: 120 },
            { title: '审核级', dataIndex: 'reviewLevel', width: 90, render: (v: number) => `第 ${v} 级` },
            { title: '版本', dataIndex: 'version', width: 70, align: 'right' },
            { title: '送审时间', dataIndex: 'updatedAt', width: 160, render: (v: string) => fmtTime(v) },
          ]}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: queue.data?.articles.total ?? 0, showSizeChanger: false, onChange: (p) => setParams({ page: String(p) }) }}
        />
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>推送到我栏目的稿件（{queue.data?.syndications.length ?? 0}）</h2>}>
        <Table<Syndication>
          rowKey="id"
          size="middle"
          dataSource={queue.data?.syndications ?? []}
          pagination={false}
          locale={{ emptyText: '暂无等待审核的推送' }}
          columns={[
            { title: '标题', key: 'title', render: (_v, s) => <Link to={`/review/${s.articleId}?syndication=${s.id}`}>{s.articleTitle ?? `稿件 ${s.articleId}`}</Link> },
            { title: '推送到', key: 'target', render: (_v, s) => <Space>{`${siteName(s.siteId)} · ${s.columnName ?? ''}`}</Space> },
            { title: '审核级', dataIndex: 'reviewLevel', width: 90, render: (v: number) => `第 ${v} 级` },
            { title: '推送时间', dataIndex: 'createdAt', width: 160, render: (v: string) => fmtTime(v) },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
          推送稿件的内容由来源网站负责；通过后将在源稿件发布时出现在您的栏目中。
        </Typography.Paragraph>
      </Card>
    </>
  );
}
