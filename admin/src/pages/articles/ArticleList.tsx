/**
 * 稿件管理: the current site's articles with filters (column, status, keyword, dates) kept in
 * the address, so a link or the back button restores the list.
 */
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Input, Select, Space, Table, TreeSelect, Typography } from 'antd';
import type { TableProps } from 'antd';
import dayjs from 'dayjs';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api';
import { PageTitle, StatusTag } from '../../components/common';
import { fmtTime } from '../../lib/format';
import { columnOptions, useColumnTree } from '../../lib/queries';
import { useSession } from '../../session';
import { type ArticleStatus, type ArticleSummary, type Page, STATUS_NAMES } from '../../types';

const PAGE_SIZE = 20;

export default function ArticleList() {
  const { site, siteId } = useSession();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const columns = useColumnTree(siteId);
  const columnId = Number(params.get('columnId')) || undefined;
  const status = (params.get('status') as ArticleStatus | null) ?? undefined;
  const q = params.get('q') ?? '';
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const page = Number(params.get('page')) || 1;
  const mine = params.get('mine') === '1';

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) if (v) next.set(k, v);
    else next.delete(k);
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };

  const list = useQuery({
    queryKey: ['articles', 'list', siteId, columnId, status, q, from, to, page, mine],
    enabled: !!siteId,
    queryFn: () =>
      api.get<Page<ArticleSummary>>('/articles', {
        siteId: siteId ?? undefined,
        columnId,
        descendants: columnId ? true : undefined,
        status,
        q: q || undefined,
        from: from ? dayjs(from).startOf('day').toISOString() : undefined,
        to: to ? dayjs(to).endOf('day').toISOString() : undefined,
        createdBy: mine ? 'me' : undefined,
        page,
        pageSize: PAGE_SIZE,
      }),
    placeholderData: (prev) => prev,
  });

  const tableColumns: TableProps<ArticleSummary>['columns'] = [
    {
      title: '标题',
      dataIndex: 'title',
      render: (_v, a) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/articles/${a.id}`}>{a.title}</Link>
          {a.isLive && a.url && (
            <Typography.Link href={a.url} target="_blank" rel="noreferrer" style={{ fontSize: 12 }}>
              查看发布页
            </Typography.Link>
          )}
        </Space>
      ),
    },
    { title: '栏目', dataIndex: 'columnName', width: 140 },
    { title: '状态', dataIndex: 'status', width: 150, render: (_v, a) => <StatusTag status={a.status} level={a.reviewLevel} /> },
    { title: '版本', dataIndex: 'version', width: 70, align: 'right' },
    { title: '更新时间', dataIndex: 'updatedAt', width: 160, render: (v: string) => fmtTime(v) },
    {
      title: '操作',
      key: 'ops',
      width: 130,
      render: (_v, a) => (
        <Space>
          <Link to={`/articles/${a.id}`} aria-label={`编辑：${a.title}`}>
            编辑
          </Link>
          <Link to={`/articles/${a.id}/history`} aria-label={`版本历史：${a.title}`}>
            历史
          </Link>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/articles/new${columnId ? `?columnId=${columnId}` : ''}`)} disabled={!siteId}>
            新建稿件
          </Button>
        }
      >
        稿件管理{site ? ` · ${site.name}` : ''}
      </PageTitle>
      <form className="toolbar" role="search" aria-label="筛选稿件" onSubmit={(e) => e.preventDefault()}>
        <TreeSelect
          aria-label="栏目"
          placeholder="全部栏目"
          allowClear
          style={{ width: 220 }}
          treeDefaultExpandAll
          value={columnId}
          onChange={(v?: number) => set({ columnId: v ? String(v) : undefined })}
          treeData={columnOptions(columns.data ?? [])}
          loading={columns.isPending}
          showSearch={{ treeNodeFilterProp: 'title' }}
        />
        <Select
          aria-label="状态"
          placeholder="全部状态"
          allowClear
          style={{ width: 150 }}
          value={status}
          onChange={(v?: string) => set({ status: v })}
          options={Object.entries(STATUS_NAMES).map(([value, label]) => ({ value, label }))}
        />
        <Input.Search aria-label="标题关键词" placeholder="标题关键词" allowClear defaultValue={q} style={{ width: 220 }} onSearch={(v) => set({ q: v.trim() || undefined })} enterButton="搜索" />
        <DatePicker.RangePicker
          aria-label="更新日期范围"
          value={from && to ? [dayjs(from), dayjs(to)] : null}
          onChange={(r) => set({ from: r?.[0]?.format('YYYY-MM-DD'), to: r?.[1]?.format('YYYY-MM-DD') })}
        />
        <Select
          aria-label="作者范围"
          style={{ width: 130 }}
          value={mine ? '1' : '0'}
          onChange={(v) => set({ mine: v === '1' ? '1' : undefined })}
          options={[
            { value: '0', label: '全部稿件' },
            { value: '1', label: '我创建的' },
          ]}
        />
      </form>
      <Table<ArticleSummary>
        rowKey="id"
        size="middle"
        columns={tableColumns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => `共 ${t} 篇`,
          onChange: (p) => set({ page: String(p) }),
        }}
      />
    </>
  );
}
