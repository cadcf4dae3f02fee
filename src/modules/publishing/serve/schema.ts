import { z } from 'zod';

export const MourningInput = z.strictObject({
  on: z.boolean({ error: 'on 应为 true 或 false' }),
  /** Omitted: the whole cluster. */
  siteId: z.number().int().positive().max(2_147_483_647).optional(),
});
export type MourningInput = z.infer<typeof MourningInput>;

export { ModeCssQuery, ModeQuery } from './mode.js';
