import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import type { Column } from '../types';

/** A site's column tree as the user may see it. */
export function useColumnTree(siteId: number | null | undefined) {
  return useQuery({
    queryKey: ['columns', siteId],
    enabled: !!siteId,
    queryFn: () => api.get<{ siteId: number; items: Column[] }>(`/sites/${siteId}/columns`).then((r) => r.items),
    staleTime: 60_000,
  });
}

export interface ColumnOption {
  value: number;
  title: string;
  disabled?: boolean;
  children: ColumnOption[];
}

/** Tree options for a TreeSelect; `selectable` marks which columns can hold articles. */
export function columnOptions(cols: Column[], selectable: (c: Column) => boolean = () => true): ColumnOption[] {
  return cols.map((c) => ({ value: c.id, title: c.name, disabled: !selectable(c), children: columnOptions(c.children ?? [], selectable) }));
}

export function findColumn(cols: Column[], id: number | null | undefined): Column | undefined {
  for (const c of cols) {
    if (c.id === id) return c;
    const inner = findColumn(c.children ?? [], id);
    if (inner) return inner;
  }
  return undefined;
}
