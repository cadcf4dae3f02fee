import type { Tx } from '../../db/index.js';
import type { Ctx } from '../../lib/ctx.js';
import { type Failure, type Result, AppError, fail, ok } from '../../lib/errors.js';

/** A constraint the database enforced (a race our own checks lost): unique key or foreign key. */
export function constraintKind(err: unknown): 'unique' | 'foreign_key' | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'unique';
  if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreign_key';
  return null;
}

/**
 * Runs `work` in one transaction. An AppError thrown inside rolls back and becomes its failure;
 * a unique or foreign-key violation (a concurrent change slipped past the checks made before)
 * rolls back and becomes a 409 with `conflictMessage`. Anything else is a bug and propagates.
 */
export async function writeTx<T>(ctx: Ctx, conflictMessage: string, work: (tx: Tx) => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await ctx.db.transaction().execute(work));
  } catch (err) {
    if (err instanceof AppError) return fail(err.code, err.message, err.details) as Failure;
    if (constraintKind(err)) return fail('conflict', conflictMessage);
    throw err;
  }
}

/** A 400 naming one field, shaped like the ones zod validation produces. */
export const fieldFailure = (path: string, message: string): Failure => fail('validation_failed', `输入有误。${path}: ${message}`, { issues: [{ path, message }] });
