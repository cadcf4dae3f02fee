import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { beijingParts } from '../../../lib/time.js';
import { can } from '../access.js';
import * as audit from '../audit.js';
import { type AuditFilter, filteredAuditLog } from './auditFilter.js';

/** One export holds at most this many entries; a larger selection is refused (narrow the dates). */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;
/** Excel refuses cells longer than 32 767 characters. */
const MAX_CELL = 32_000;
const BATCH = 1000;

export interface AuditExport {
  /** 审计日志-20261120-1100.xlsx */
  filename: string;
  /** The same in ASCII, for clients that ignore `filename*`. */
  asciiFilename: string;
  rows: number;
  /** The workbook, written as it is read (rows fetched in batches of 1000). */
  stream: Readable;
}

const beijing = (at: string): string => {
  const d = new Date(at);
  const p = beijingParts(d);
  const ss = String(new Date(d.getTime() + 8 * 3600_000).getUTCSeconds()).padStart(2, '0');
  return `${p.y}-${p.m}-${p.d} ${p.hh}:${p.mm}:${ss}`;
};
const cell = (s: string | null): string => (s === null ? '' : s.length > MAX_CELL ? `${s.slice(0, MAX_CELL)}…（已截断）` : s);

const COLUMNS: Partial<ExcelJS.Column>[] = [
  { header: '序号', key: 'id', width: 9 },
  { header: '时间（北京时间）', key: 'at', width: 21 },
  { header: '操作人', key: 'actor', width: 16 },
  { header: '操作人编号', key: 'actorId', width: 10 },
  { header: '操作', key: 'action', width: 24 },
  { header: '对象类型', key: 'targetType', width: 14 },
  { header: '对象编号', key: 'targetId', width: 12 },
  { header: '站点编号', key: 'siteId', width: 9 },
  { header: 'IP 地址', key: 'ip', width: 16 },
  { header: '修改前', key: 'before', width: 40 },
  { header: '修改后', key: 'after', width: 40 },
  { header: '哈希', key: 'hash', width: 66 },
];

/**
 * 导出审计日志 (安全审计员): the entries the list would show for the same filters, newest first,
 * as one xlsx worksheet. The export is itself recorded in the audit log. More than
 * AUDIT_EXPORT_MAX_ROWS entries are refused rather than cut, so an export is never silently partial.
 */
export async function exportAuditLog(ctx: Ctx, q: AuditFilter): Promise<Result<AuditExport>> {
  const denied = can(ctx.actor, 'audit.read', 'global');
  if (denied) return denied;
  const stats = await filteredAuditLog(ctx.db, q)
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('maxId')])
    .executeTakeFirstOrThrow();
  const rows = Number(stats.n);
  if (rows > AUDIT_EXPORT_MAX_ROWS) {
    return fail('bad_request', `符合条件的审计记录有 ${rows} 条，超过单次导出上限 ${AUDIT_EXPORT_MAX_ROWS} 条，请缩小时间范围后分批导出`, { total: rows, limit: AUDIT_EXPORT_MAX_ROWS });
  }
  // Entries written after this point (this export's own record included) are not part of it.
  const maxId = stats.maxId === null ? 0 : Number(stats.maxId);
  await ctx.db.transaction().execute((tx) => audit.record(tx, ctx, 'audit.export', { type: 'audit_log' }, null, { filters: q, rows }));

  const p = beijingParts(ctx.now);
  const stamp = `${p.y}${p.m}${p.d}-${p.hh}${p.mm}`;
  const out = new PassThrough();
  void writeWorkbook(ctx, q, maxId, out).catch((err: unknown) => {
    ctx.log.error({ err }, 'audit log export failed while streaming');
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return ok({ filename: `审计日志-${stamp}.xlsx`, asciiFilename: `audit-log-${stamp}.xlsx`, rows, stream: out });
}

async function writeWorkbook(ctx: Ctx, q: AuditFilter, maxId: number, out: PassThrough): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = '集约 · 政府网站集约化平台';
  wb.created = ctx.now;
  const ws = wb.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = COLUMNS;
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  let below = maxId + 1;
  for (;;) {
    const batch = await filteredAuditLog(ctx.db, q).selectAll().where('id', '<', below).orderBy('id', 'desc').limit(BATCH).execute();
    for (const r of batch) {
      ws.addRow({
        id: r.id,
        at: beijing(r.at),
        actor: r.actor_name,
        actorId: r.actor_id ?? '',
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id ?? '',
        siteId: r.site_id ?? '',
        ip: r.ip ?? '',
        before: cell(r.before),
        after: cell(r.after),
        hash: r.hash,
      }).commit();
    }
    if (batch.length < BATCH) break;
    below = batch[batch.length - 1]!.id;
  }
  ws.commit();
  await wb.commit();
}
