/**
 * 栏目授权 (security administrator): pick a site and a column, see who may write, review or
 * handle there (grants on the site, on the columns above, on it and below), grant and revoke.
 * Grants limited to a column reach its whole subtree.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Row, Select, Space, Spin, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import { GrantsPanel, useSiteGrants } from '../../components/GrantsPanel';
import type { Page, Site, SiteGrantColumn } from '../../types';

function nest(cols: SiteGrantColumn[], parentId: number | null, count: (id: number) => number): TreeDataNode[] {
  return cols
    .filter((c) => c.parentId === parentId)
    .map((c) => {
      const n = count(c.id);
      return { key: c.id, title: n ? `${c.name}（${n}）` : c.name, children: nest(cols, c.id, count) };
    });
}

export default function ColumnGrants() {
  const [params, setParams] = useSearchParams();
  const sites = useQuery({ queryKey: ['sites', 'all'], queryFn: () => api.get<Page<Site>>('/sites', { pageSize: 100 }), staleTime: 5 * 60_000 });
  const siteId = Number(params.get('site')) || sites.data?.items[0]?.id || null;
  const columnId = Number(params.get('c')) || null;
  const grants = useSiteGrants(siteId);
  const cols = useMemo(() => grants.data?.columns ?? [], [grants.data]);
  const column = cols.find((c) => c.id === columnId) ?? null;
  const tree = useMemo(() => nest(cols, null, (id) => (grants.data?.grants ?? []).filter((g) => g.columnId === id).length), [cols, grants.data]);
  const siteWide = (grants.data?.grants ?? []).filter((g) => g.columnId === null).length;

  return (
    <>
      <PageTitle
        extra={
          <Space>
            <label htmlFor="grant-site">站点</label>
            <Select
              id="grant-site"
              aria-label="站点"
              style={{ minWidth: 260 }}
              loading={sites.isPending}
              value={siteId ?? undefined}
              onChange={(v: number) => setParams({ site: String(v) })}
              options={(sites.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Space>
        }
      >
        栏目授权
      </PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <Card title={<h2 className="card-title">{grants.data?.siteName ?? '栏目'}</h2>} extra={<Typography.Text type="secondary">整站授权 {siteWide} 项</Typography.Text>}>
            {grants.isPending ? (
              <Spin aria-label="正在加载栏目" />
            ) : tree.length === 0 ? (
              <Empty description="该站点还没有栏目" />
            ) : (
              <Tree
                treeData={tree}
                defaultExpandAll
                blockNode
                showLine
                selectedKeys={columnId ? [columnId] : []}
                onSelect={(keys) => keys[0] !== undefined && siteId && setParams({ site: String(siteId), c: String(keys[0]) })}
                aria-label="栏目"
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Card title={<h2 className="card-title">{column ? `授权 · ${column.name}` : '授权'}</h2>}>
            {column && siteId ? (
              <GrantsPanel siteId={siteId} column={column} data={grants.data} canManage />
            ) : (
              <Empty description="请选择栏目。授权可以是整个站点，也可以限定到某个栏目及其下级栏目。" />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}
