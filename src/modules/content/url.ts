import { beijingParts } from '../../lib/time.js';
import { PORTAL_CODE, columnUrl } from '../sites/index.js';

/** The portal's site code: its pages live at the root, without `/{siteCode}`. */
export const PORTAL_SITE_CODE = PORTAL_CODE;

/**
 * The public address of an article (CONTRACTS.md, the scheme Chinese government sites use):
 * `/{site}/{column-path}/{yyyymm}/t{yyyymmdd}_{id}.html`, dated by its first publication in
 * Beijing time; the portal's articles have no `/{site}` prefix.
 */
export function articleUrl(siteCode: string, columnPath: string, publishedAt: string | Date, id: number): string {
  const p = beijingParts(typeof publishedAt === 'string' ? new Date(publishedAt) : publishedAt);
  const path = columnPath.replace(/^\/+|\/+$/g, '');
  return `${columnUrl(siteCode, path)}${p.y}${p.m}/t${p.y}${p.m}${p.d}_${id}.html`;
}
