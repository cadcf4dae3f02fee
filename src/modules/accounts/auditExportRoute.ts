import type { JiyueApp } from '../../app.js';
import { AuditQuery } from './adminSchema.js';
import { exportAuditLog } from './queries/exportAuditLog.js';

export const AuditExportQuery = AuditQuery.omit({ page: true, pageSize: true });

/** `attachment` with the Chinese name (RFC 6266 / 5987) and an ASCII one for old clients. */
export const attachment = (name: string, ascii: string): string => `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;

/** 审计日志导出 (安全审计员): the list's filters, one xlsx file. */
export function auditExportRoute({ router }: JiyueApp): void {
  router.add({
    method: 'GET',
    url: '/api/v1/audit/export.xlsx',
    summary: '导出审计日志为 Excel（xlsx，仅安全审计员；筛选条件同列表，单次最多 50000 条）',
    tag: 'audit',
    auth: 'user',
    query: AuditExportQuery,
    async handler(ctx, { query }, _req, reply) {
      const r = await exportAuditLog(ctx, query);
      if (!r.ok) return r;
      await reply
        .code(200)
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', attachment(r.value.filename, r.value.asciiFilename))
        .header('cache-control', 'no-store')
        .header('x-jiyue-rows', String(r.value.rows))
        .send(r.value.stream);
    },
  });
}
