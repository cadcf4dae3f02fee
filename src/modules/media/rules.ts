import type { Failure } from '../../lib/errors.js';
import { fail } from '../../lib/errors.js';
import { type Actor, can, visibleSiteIds } from '../accounts/index.js';

/**
 * Who may do what with media. A file belongs to a site, or to no site (shared media of the whole
 * cluster, usable by every site's articles):
 * - change (upload, edit alt, delete): `media.upload` on its site; shared media: the system
 *   administrator (`system.manage`).
 * - see in the library: `content.read` on its site; shared media: anyone holding `content.read`
 *   on some site. (The files themselves are public at /media/:id; the library's listing is not.)
 */
export function canChangeMedia(actor: Actor, siteId: number | null): Failure | null {
  return siteId === null ? can(actor, 'system.manage', 'global') : can(actor, 'media.upload', { siteId });
}

export function canSeeMedia(actor: Actor, siteId: number | null): Failure | null {
  if (siteId !== null) return can(actor, 'content.read', { siteId });
  if (actor.kind === 'anonymous') return fail('unauthenticated', '请先登录');
  const visible = visibleSiteIds(actor, 'content.read');
  return visible === 'all' || visible.length > 0 ? null : fail('forbidden', '没有权限查看媒体库');
}

/** May an article of `siteId` use this file (as cover or attachment)? Its own site's, or shared. */
export const isUsableBySite = (row: { site_id: number | null }, siteId: number): boolean => row.site_id === null || row.site_id === siteId;
