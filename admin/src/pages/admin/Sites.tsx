import { Tag } from 'antd';
import { PageTitle } from '../../components/common';
import { PagedTable } from '../../components/PagedTable';
import type { Site } from '../../types';

export default function Sites() {
  return (
    <>
      <PageTitle>站点</PageTitle>
      <PagedTable<Site>
        path="/sites"
        rowKey="id"
        columns={[
          { title: '站点名称', dataIndex: 'name', render: (v: string, s) => <a href={s.url} target="_blank" rel="noreferrer">{v}</a> },
          { title: '代码', dataIndex: 'code', width: 100 },
          { title: '域名', dataIndex: 'hosts', render: (v: string[]) => v.join('、') || '—' },
          { title: '主题', dataIndex: 'theme', width: 100 },
          { title: '状态', dataIndex: 'status', width: 90, render: (v: string) => <Tag color={v === 'open' ? '#237804' : '#595959'}>{v === 'open' ? '开放' : v}</Tag> },
        ]}
      />
    </>
  );
}
