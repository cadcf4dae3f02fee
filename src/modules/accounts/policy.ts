import { z } from 'zod';
import type { DB } from '../../db/index.js';
import { iso } from '../../lib/time.js';
import { ROLES } from './actor.js';

/** The security policy, edited by the security administrator; stored in `settings`. */
export const SecurityPolicy = z.object({
  sessionIdleMinutes: z.number().int().min(5).max(480).default(30),
  sessionMaxHours: z.number().int().min(1).max(72).default(12),
  lockoutThreshold: z.number().int().min(3).max(20).default(5),
  lockoutMinutes: z.number().int().min(1).max(1440).default(15),
  /** Roles whose holders must use a TOTP second factor (等保三级: administrators). */
  mfaRequiredRoles: z.array(z.enum(ROLES)).default([]),
});
export type SecurityPolicy = z.infer<typeof SecurityPolicy>;

const KEY = 'security.policy';

export async function getPolicy(db: DB): Promise<SecurityPolicy> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  return SecurityPolicy.parse(row ? JSON.parse(row.value) : {});
}

export async function savePolicy(db: DB, p: SecurityPolicy, now: Date): Promise<void> {
  const value = JSON.stringify(p);
  await db
    .insertInto('settings')
    .values({ key: KEY, value, updated_at: iso(now) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: iso(now) }))
    .execute();
}
