/** 栏目管理: the current site's column tree with each column's settings (read-only in this version). */
import { Alert, Table, Tag } from 'antd';
import { PageTitle } from '../../components/common';
import { useColumnTree } from '../../lib/queries';
import { useSession } from '../../session';
import type { Column } from '../../types';

const KINDS: Record<string, string> = { list: '列表', page: '单页', link: '外链', disclosure: '信息公开', service: '办事服务', interaction: '互动交流' };

export default function Columns() {
  const { siteId, site } = useSession();
  const tree = useColumnTree(siteId);
  const strip = (cs: Column[]): Column[] => cs.map((c) => ({ ...c, children: c.children?.length ? strip(c.children) : (undefined as unknown as Column[]) }));
  return (
    <>
      <PageTitle>栏目管理{site ? ` · ${site.name}` : ''}</PageTitle>
      <Alert type="info" showIcon className="form-alert" title="本页列出栏目及其设置；新建、拖拽排序和授权将在后续版本中提供，目前可通过 API（/api/v1/columns）操作。" />
      <Table<Column>
        rowKey="id"
        size="middle"
        loading={tree.isPending}
        dataSource={strip(tree.data ?? [])}
        pagination={false}
        expandable={{ defaultExpandAllRows: true }}
        columns={[
          { title: '栏目名称', dataIndex: 'name' },
          { title: '路径', dataIndex: 'url', render: (v: string) => <a href={v} target="_blank" rel="noreferrer">{v}</a> },
          { title: '类型', dataIndex: 'kind', width: 100, render: (v: string) => KINDS[v] ?? v },
          { title: '审核级数', dataIndex: 'reviewLevels', width: 100, render: (v: number) => (v ? `${v} 级` : '无需审核') },
          { title: '更新周期', dataIndex: 'updateIntervalDays', width: 100, render: (v: number | null) => (v ? `${v} 天` : '—') },
          { title: '状态', dataIndex: 'status', width: 80, render: (v: string) => (v === 'active' ? <Tag color="#237804">显示</Tag> : <Tag color="#595959">隐藏</Tag>) },
        ]}
      />
    </>
  );
}
