/**
 * 问答知识库: the current site's FAQ entries with filters (status, topic, keyword) kept in the
 * address, a 待我审核 tab (entries waiting for a level I decide), actions by status, and the
 * site's review-level setting for its administrator.
 */
import { PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Input, Popconfirm, Select, Space, Table, Tabs, Typography } from 'antd';
import type { TableProps } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import { faqAccessOn, mayReviewLevel } from '../../lib/access';
import { fmtTime } from '../../lib/format';
import { errorText, notify } from '../../lib/notify';
import { useSession } from '../../session';
import { FAQ_STATUS_NAMES, type FaqStatus, type FaqSummary, type Page } from '../../types';
import { FAQ_PAGE_SIZE, FaqSettingsModal, FaqStatusTag, WithdrawFaqModal, useFaqTopics } from './common';

type Tab = 'all' | 'review';

export default function FaqList() {
  const { me, site, siteId } = useSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const access = faqAccessOn(me, siteId);
  const tab: Tab = params.get('tab') === 'review' && access.review ? 'review' : 'all';
  const status = (params.get('status') as FaqStatus | null) ?? undefined;
  const topic = params.get('topic') ?? undefined;
  const q = params.get('q') ?? '';
  const page = Number(params.get('page')) || 1;
  const [withdrawing, setWithdrawing] = useState<FaqSummary | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const topics = useFaqTopics(siteId, access.read);

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) if (v) next.set(k, v);
    else next.delete(k);
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };

  const list = useQuery({
    queryKey: ['faq', 'list', siteId, tab, status, topic, q, page],
    enabled: !!siteId && access.read,
    queryFn: () =>
      api.get<Page<FaqSummary>>('/faq', {
        siteId: siteId ?? undefined,
        status: tab === 'review' ? undefined : status,
        topic,
        q: q || undefined,
        awaitingMe: tab === 'review' ? 1 : undefined,
        page,
        pageSize: FAQ_PAGE_SIZE,
      }),
    placeholderData: (prev) => prev,
  });
  const awaiting = useQuery({
    queryKey: ['faq', 'awaiting-count', siteId],
    enabled: !!siteId && access.review,
    queryFn: () => api.get<Page<FaqSummary>>('/faq', { siteId: siteId ?? undefined, awaitingMe: 1, pageSize: 1 }).then((r) => r.total),
  });

  const refresh = () => void qc.invalidateQueries({ queryKey: ['faq'] });
  const remove = async (f: FaqSummary) => {
    try {
      await api.del(`/faq/${f.id}`);
      notify.success('已删除');
      refresh();
      void qc.invalidateQueries({ queryKey: ['qa-questions'] });
    } catch (e) {
      notify.error(errorText(e));
    }
  };

  const columns: TableProps<FaqSummary>['columns'] = [
    {
      title: '标准问题',
      dataIndex: 'question',
      render: (_v, f) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/faq/${f.id}`}>{f.question}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {f.variants.length ? `同义问法 ${f.variants.length} 条` : '暂无同义问法'}
            {f.organisationName && f.organisationId !== site?.organisationId ? ` · 答复单位：${f.organisationName}` : ''}
          </Typography.Text>
          {f.isLive && f.url && (
            <Typography.Link href={f.url} target="_blank" rel="noreferrer" style={{ fontSize: 12 }}>
              查看发布页
            </Typography.Link>
          )}
        </Space>
      ),
    },
    { title: '主题', dataIndex: 'topic', width: 130 },
    { title: '状态', dataIndex: 'status', width: 150, render: (_v, f) => <FaqStatusTag status={f.status} level={f.reviewLevel} /> },
    { title: '版本', dataIndex: 'version', width: 70, align: 'right' },
    { title: tab === 'review' ? '送审时间' : '更新时间', dataIndex: 'updatedAt', width: 160, render: (v: string) => fmtTime(v) },
    {
      title: '操作',
      key: 'ops',
      width: 180,
      render: (_v, f) => (
        <Space wrap size={[12, 0]}>
          {f.status === 'submitted' && mayReviewLevel(access, f.reviewLevel) && (
            <Link to={`/faq/${f.id}/review`} aria-label={`审核：${f.question}`}>
              审核
            </Link>
          )}
          <Link to={`/faq/${f.id}`} aria-label={`${access.edit && f.status !== 'submitted' ? '编辑' : '查看'}：${f.question}`}>
            {access.edit && f.status !== 'submitted' ? '编辑' : '查看'}
          </Link>
          {f.isLive && access.publish && (
            <Button type="link" size="small" danger style={{ padding: 0 }} onClick={() => setWithdrawing(f)} aria-label={`撤下：${f.question}`}>
              撤下
            </Button>
          )}
          {access.edit && f.liveVersion === null && f.publishedAt === null && (f.status === 'draft' || f.status === 'returned') && (
            <Popconfirm title="删除这个条目？" description="从未发布过的条目删除后不能恢复。" okText="删除" okButtonProps={{ danger: true }} cancelText="取消" onConfirm={() => remove(f)}>
              <Button type="link" size="small" danger style={{ padding: 0 }} aria-label={`删除：${f.question}`}>
                删除
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  const table = (
    <Table<FaqSummary>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={list.data?.items ?? []}
      loading={list.isFetching}
      locale={{ emptyText: tab === 'review' ? '暂无等待您审核的条目' : '暂无问答条目' }}
      pagination={{
        current: page,
        pageSize: FAQ_PAGE_SIZE,
        total: list.data?.total ?? 0,
        showSizeChanger: false,
        showTotal: (t) => `共 ${t} 条`,
        onChange: (p) => set({ page: String(p) }),
      }}
    />
  );

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            {access.manage && site && (
              <Button icon={<SettingOutlined />} onClick={() => setSettingsOpen(true)}>
                审核设置
              </Button>
            )}
            {access.edit && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/faq/new')} disabled={!siteId}>
                新建条目
              </Button>
            )}
          </Space>
        }
      >
        问答知识库{site ? ` · ${site.name}` : ''}
      </PageTitle>
      {!access.read ? (
        <Alert type="info" showIcon title="您在当前站点没有问答知识库的权限。" description="问答知识库按站点授权（栏目授权不包括问答知识库），请在页面顶部切换到您负责的站点。" />
      ) : (
        <>
          <form className="toolbar" role="search" aria-label="筛选问答条目" onSubmit={(e) => e.preventDefault()}>
            {tab === 'all' && (
              <Select
                aria-label="状态"
                placeholder="全部状态"
                allowClear
                style={{ width: 150 }}
                value={status}
                onChange={(v?: string) => set({ status: v })}
                options={Object.entries(FAQ_STATUS_NAMES).map(([value, label]) => ({ value, label }))}
              />
            )}
            <Select
              aria-label="主题"
              placeholder="全部主题"
              allowClear
              showSearch
              style={{ width: 180 }}
              value={topic}
              loading={topics.isPending}
              onChange={(v?: string) => set({ topic: v })}
              options={(topics.data ?? []).map((t) => ({ value: t.topic, label: `${t.topic}（${t.count}）` }))}
            />
            <Input.Search
              key={q}
              aria-label="问题关键词"
              placeholder="标准问题或同义问法中的词"
              allowClear
              defaultValue={q}
              style={{ width: 280 }}
              onSearch={(v) => set({ q: v.trim() || undefined })}
              enterButton="搜索"
            />
          </form>
          {access.review ? (
            <Tabs
              activeKey={tab}
              destroyOnHidden
              onChange={(k) => set({ tab: k === 'review' ? 'review' : undefined, status: undefined })}
              items={[
                { key: 'all', label: '全部条目', children: table },
                {
                  key: 'review',
                  label: (
                    <span>
                      待我审核 <Badge count={awaiting.data ?? 0} showZero color={awaiting.data ? '#c4161c' : '#595959'} overflowCount={999} />
                    </span>
                  ),
                  children: table,
                },
              ]}
            />
          ) : (
            table
          )}
        </>
      )}
      <WithdrawFaqModal
        entry={withdrawing}
        onClose={() => setWithdrawing(null)}
        onDone={() => {
          setWithdrawing(null);
          refresh();
        }}
      />
      {access.manage && site && <FaqSettingsModal siteId={site.id} siteName={site.name} open={settingsOpen} onClose={() => setSettingsOpen(false)} />}
    </>
  );
}
