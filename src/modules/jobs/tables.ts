import type { Generated } from 'kysely';

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface JobTable {
  id: Generated<number>;
  type: string;
  /** JSON payload. */
  payload: string;
  status: JobStatus;
  run_at: string;
  attempts: number;
  max_attempts: number;
  /** At most one pending/running job per key (e.g. "article.publish:42"). */
  dedupe_key: string | null;
  locked_by: string | null;
  lease_until: string | null;
  last_error: string | null;
  /** JSON progress for long work ({done, total, message}). */
  progress: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface SettingTable {
  key: string;
  /** JSON value. */
  value: string;
  updated_at: string;
}
