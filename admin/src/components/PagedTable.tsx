/** A server-paged table over a `{total,page,pageSize,items}` endpoint, page number kept in the address. */
import { useQuery } from '@tanstack/react-query';
import { Table } from 'antd';
import type { TableProps } from 'antd';
import { useSearchParams } from 'react-router';
import { type Query, api } from '../api';
import type { Page } from '../types';

export function PagedTable<T extends object>({ path, query, columns, rowKey, pageSize = 20, empty }: { path: string; query?: Query; columns: TableProps<T>['columns']; rowKey: keyof T & string; pageSize?: number; empty?: string }) {
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page')) || 1;
  const q = useQuery({ queryKey: ['paged', path, query, page, pageSize], queryFn: () => api.get<Page<T>>(path, { ...query, page, pageSize }), placeholderData: (p) => p });
  return (
    <Table<T>
      rowKey={rowKey}
      size="middle"
      columns={columns}
      dataSource={q.data?.items ?? []}
      loading={q.isFetching}
      locale={{ emptyText: empty ?? '暂无数据' }}
      pagination={{
        current: page,
        pageSize,
        total: q.data?.total ?? 0,
        showSizeChanger: false,
        showTotal: (t) => `共 ${t} 条`,
        onChange: (p) => {
          const next = new URLSearchParams(params);
          next.set('page', String(p));
          setParams(next);
        },
      }}
    />
  );
}
