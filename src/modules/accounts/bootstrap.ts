import type { Store } from '../../db/index.js';
import { iso } from '../../lib/time.js';
import { type GlobalRole, systemActor } from './actor.js';
import * as audit from './audit.js';
import { generatePassword, hashPassword, passwordProblems } from './passwords.js';
import { insertUser } from './store.js';

export interface BootstrapAccount {
  username: string;
  role: GlobalRole;
  /** Set only when the password was generated now: print it once. */
  password?: string;
}

const ADMINS: { username: string; displayName: string; role: GlobalRole }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'sysadmin' },
  { username: 'secadmin', displayName: '安全管理员', role: 'secadmin' },
  { username: 'auditor', displayName: '安全审计员', role: 'auditor' },
];

/**
 * On an empty user table, creates the three separated administrators (三员分立). Their passwords
 * are generated (or `admin`'s taken from JIYUE_ADMIN_PASSWORD) and must be changed at first login.
 */
export async function bootstrapAdmins(store: Store, now: Date, adminPassword?: string): Promise<BootstrapAccount[]> {
  const any = await store.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return [];
  if (adminPassword) {
    const problems = passwordProblems(adminPassword, 'admin');
    if (problems.length) throw new Error(`JIYUE_ADMIN_PASSWORD 不符合密码策略：${problems.join('；')}`);
  }
  const out: BootstrapAccount[] = [];
  await store.db.transaction().execute(async (tx) => {
    for (const a of ADMINS) {
      const configured = a.username === 'admin' ? adminPassword : undefined;
      const password = configured ?? generatePassword();
      const r = { id: await insertUser(tx, { username: a.username, displayName: a.displayName, passwordHash: await hashPassword(password), mustChangePassword: !configured, now: iso(now) }) };
      await tx.insertInto('grants').values({ user_id: r.id, role: a.role, site_id: null, column_id: null, review_level: null, created_by: null, created_at: iso(now) }).execute();
      await audit.record(tx, { actor: systemActor('bootstrap'), ip: null, now, dialect: store.dialect }, 'user.create', { type: 'user', id: r.id }, null, { username: a.username, role: a.role });
      out.push({ username: a.username, role: a.role, ...(configured ? {} : { password }) });
    }
  });
  return out;
}
