import { useQuery } from '@tanstack/react-query';
import { Table } from 'antd';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import type { Organisation } from '../../types';

const KINDS: Record<string, string> = { government: '人民政府', department: '政府部门', district: '区县', other: '其他' };

export default function Organisations() {
  const q = useQuery({ queryKey: ['organisations'], queryFn: () => api.get<{ items: Organisation[] }>('/organisations') });
  return (
    <>
      <PageTitle>单位</PageTitle>
      <Table<Organisation>
        rowKey="id"
        size="middle"
        loading={q.isPending}
        dataSource={q.data?.items ?? []}
        pagination={false}
        columns={[
          { title: '单位名称', dataIndex: 'name', render: (v: string, o) => <span style={{ paddingLeft: (o.depth ?? 0) * 20 }}>{v}</span> },
          { title: '代码', dataIndex: 'code', width: 120 },
          { title: '类型', dataIndex: 'kind', width: 120, render: (v: string) => KINDS[v] ?? v },
        ]}
      />
    </>
  );
}
