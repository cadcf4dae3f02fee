/** 版本历史: every saved version of an article; compare any two. */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Select, Space, Spin, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import { DiffView } from '../../components/DiffView';
import { LoadFailed, NotFound } from '../../layout/NotFound';
import { fmtTime } from '../../lib/format';
import type { Article, Page, VersionSummary } from '../../types';

export default function History() {
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const article = useQuery({ queryKey: ['article', id], queryFn: () => api.get<Article>(`/articles/${id}`), enabled: valid, meta: { silent: true } });
  const versions = useQuery({ queryKey: ['article-versions', id], queryFn: () => api.get<Page<VersionSummary>>(`/articles/${id}/versions`, { pageSize: 100 }), enabled: valid && !!article.data });
  const [pair, setPair] = useState<[number, number] | null>(null);
  if (!valid) return <NotFound />;
  if (article.error) return <LoadFailed error={article.error} what="稿件" onRetry={() => void article.refetch()} />;
  if (versions.error) return <LoadFailed error={versions.error} what="版本历史" onRetry={() => void versions.refetch()} />;
  if (!article.data || !versions.data) return <Spin aria-label="正在加载版本" />;
  const list = versions.data.items;
  const latest = list[0]?.version ?? 1;
  const [from, to] = pair ?? [Math.max(1, latest - 1), latest];
  const opts = list.map((v) => ({ value: v.version, label: `第 ${v.version} 版（${fmtTime(v.createdAt)}）` }));
  return (
    <>
      <PageTitle extra={<Link to={`/articles/${id}`}>返回编辑</Link>}>版本历史：{article.data.title}</PageTitle>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>版本比较</h2>} style={{ marginBottom: 16 }}>
        <Space wrap style={{ marginBottom: 16 }}>
          <Select aria-label="较早的版本" value={from} options={opts} onChange={(v) => setPair([v, to])} style={{ width: 260 }} />
          →
          <Select aria-label="较新的版本" value={to} options={opts} onChange={(v) => setPair([from, v])} style={{ width: 260 }} />
        </Space>
        <DiffView articleId={id} from={Math.min(from, to)} to={Math.max(from, to)} />
      </Card>
      <Table<VersionSummary>
        rowKey="version"
        size="small"
        dataSource={list}
        pagination={false}
        columns={[
          { title: '版本', dataIndex: 'version', render: (v: number) => `第 ${v} 版` },
          { title: '保存时间', dataIndex: 'createdAt', render: (v: string) => fmtTime(v) },
          {
            title: '状态',
            key: 'state',
            render: (_v, r) => (
              <Space>
                {r.isLive && <Tag color="#237804">线上版本</Tag>}
                {r.isApproved && <Tag color="#0b6e6e">审核通过</Tag>}
              </Space>
            ),
          },
          {
            title: '操作',
            key: 'ops',
            render: (_v, r) =>
              r.version > 1 ? (
                <Button type="link" size="small" onClick={() => setPair([r.version - 1, r.version])} aria-label={`与上一版比较：第 ${r.version} 版`}>
                  与上一版比较
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
