import { z } from 'zod';

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type PageQuery = z.infer<typeof PageQuery>;

export interface Page<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

export const offsetOf = (q: PageQuery): number => (q.page - 1) * q.pageSize;

/** Query-string id lists and dates. */
export const optionalId = z.coerce.number().int().positive().optional();
export const IsoDate = z.iso.datetime({ offset: true });
export const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
