/**
 * Public addresses of the interaction pages (互动交流, the `hdjl/` section of CONTRACTS.md), pure.
 * They are answered by the application (dynamic pages), so they live under a first path segment
 * the application owns: the portal's `/hdjl/…` with the site's code after the page name
 * (`/{site}/hdjl/…` would start with a site code, which the static server answers):
 *
 *   /hdjl/cjwt/                 常见问题 of the whole cluster (portal look)
 *   /hdjl/cjwt/{site}/          a site's FAQ, by topic (the site's look)
 *   /hdjl/cjwt/{site}/{id}.html one entry
 *   /hdjl/znwd/                 智能问答 (portal look); /hdjl/znwd/{site}/ in a site's look
 *
 * Traditional Chinese twins are the same paths under /zh-hant.
 */
import { PORTAL_CODE } from '../sites/index.js';

export const FAQ_BASE = '/hdjl/cjwt/';
export const QA_BASE = '/hdjl/znwd/';

/** The FAQ list of a site, or of the whole cluster (null). */
export const faqListUrl = (siteCode: string | null): string => (siteCode === null ? FAQ_BASE : `${FAQ_BASE}${siteCode}/`);
export const faqEntryUrl = (siteCode: string, id: number): string => `${FAQ_BASE}${siteCode}/${id}.html`;
/** The Q&A page in a site's look (the portal's look for the portal and for null). */
export const qaUrl = (siteCode: string | null): string => (siteCode === null || siteCode === PORTAL_CODE ? QA_BASE : `${QA_BASE}${siteCode}/`);
