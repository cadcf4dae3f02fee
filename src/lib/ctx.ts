import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { DB, Dialect, Store } from '../db/index.js';
import type { Actor } from '../modules/accounts/actor.js';

export type Lang = 'zh-CN' | 'en';

/** Everything a command or query needs, passed explicitly: no hidden globals. */
export interface Ctx {
  store: Store;
  db: DB;
  dialect: Dialect;
  config: Config;
  actor: Actor;
  ip: string | null;
  now: Date;
  log: Logger;
  lang: Lang;
}
