import { z } from 'zod';
import { BannerInput } from '../../sites/index.js';

export const MourningInput = z.strictObject({
  on: z.boolean({ error: 'on 应为 true 或 false' }),
  /** Omitted: the whole cluster. */
  siteId: z.number().int().positive().max(2_147_483_647).optional(),
});
export type MourningInput = z.infer<typeof MourningInput>;

export const SetBannerInput = z.strictObject({
  /** null switches the banner off. */
  banner: BannerInput.nullable(),
  /** Omitted: the whole cluster. */
  siteId: z.number().int().positive().max(2_147_483_647).optional(),
});
export type SetBannerInput = z.infer<typeof SetBannerInput>;

export { ModeCssQuery, ModeQuery } from './mode.js';
