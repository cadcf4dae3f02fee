/**
 * Pure rules of the sites module: codes and URL namespaces, the column path scheme, and the
 * validators of the identity numbers every Chinese government website shows in its footer.
 * No database, no clock: each is table-tested in rules.test.ts.
 */

// ---------- codes and the URL namespace ----------

/** The portal: the site whose code is `www` lives at `/` (DESIGN.md, Publishing). */
export const PORTAL_CODE = 'www';

/**
 * First path segments the platform itself uses (CONTRACTS.md, HTTP): the API, the console,
 * assets, search and health, and the cluster-wide sections 信息公开 (xxgk), 办事服务 (bsfw),
 * 互动交流 (hdjl). A site code is the first segment of its URL, so none of these may be one.
 */
export const RESERVED_CODES: readonly string[] = ['api', 'admin', 'static', 'media', 'search', 'healthz', 'metrics', 'assets', 'xxgk', 'bsfw', 'hdjl', 'zh-hant'];

export const ORG_CODE_RE = /^[a-z][a-z0-9-]{1,40}$/;
export const SITE_CODE_RE = /^[a-z][a-z0-9-]{1,30}$/;
export const COLUMN_SLUG_RE = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const THEME_RE = /^[a-z0-9-]{1,40}$/;
/** Deepest column nesting allowed (portal → section → subsection … is rarely past five). */
export const MAX_COLUMN_DEPTH = 8;

export const isReservedCode = (code: string): boolean => RESERVED_CODES.includes(code);

/** Absolute URL path of a site's home: `/` for the portal, `/{code}/` otherwise. */
export const siteUrl = (siteCode: string): string => (siteCode === PORTAL_CODE ? '/' : `/${siteCode}/`);

/** Absolute URL path of a column's list page: `/{site}/{column-path}/` (portal: `/{column-path}/`). */
export const columnUrl = (siteCode: string, path: string): string => `${siteUrl(siteCode)}${path}/`;

/**
 * Why a top-level column of the portal may not take this slug, or null. The portal's columns
 * live at `/{slug}/`, the same namespace as sub-sites (`/{code}/`) and the platform's own paths.
 */
export function portalSlugProblem(slug: string, siteCodes: readonly string[]): string | null {
  if (isReservedCode(slug)) return `“${slug}”是平台保留路径，门户一级栏目不能使用`;
  if (siteCodes.includes(slug)) return `“${slug}”已是子站代码，门户一级栏目不能使用（网址会冲突）`;
  return null;
}

// ---------- column paths ----------

/** `path` of a column: its parent's path + '/' + slug; a top-level column's path is its slug. */
export const childPath = (parentPath: string | null, slug: string): string => (parentPath === null ? slug : `${parentPath}/${slug}`);

/** `path` of a column after its slug changes from `oldSlug` to `newSlug` (same parent). */
export function renamedPath(path: string, oldSlug: string, newSlug: string): string {
  if (!(path === oldSlug || path.endsWith(`/${oldSlug}`))) throw new Error(`renamedPath: "${path}" does not end with "${oldSlug}"`);
  return path.slice(0, path.length - oldSlug.length) + newSlug;
}

/** `id_path` of a column: its parent's id_path + id + '/'; top-level: `/{id}/`. */
export const childIdPath = (parentIdPath: string | null, id: number): string => `${parentIdPath ?? '/'}${id}/`;

/** Is the column with `idPath` the root `rootIdPath` or inside its subtree? */
export const isInSubtree = (idPath: string, rootIdPath: string): boolean => idPath.startsWith(rootIdPath);

/** Number of levels of an id_path: "/3/" → 1, "/3/17/" → 2. */
export const depthOf = (idPath: string): number => idPath.split('/').filter(Boolean).length;

/** Replaces the prefix `from` of `value` by `to` (a descendant's path when an ancestor moves). */
export function rebase(value: string, from: string, to: string): string {
  if (!value.startsWith(from)) throw new Error(`rebase: "${value}" does not start with "${from}"`);
  return to + value.slice(from.length);
}

/**
 * The ids of a sibling list once `id` is put at `position` (0-based, clamped to the list);
 * the sort value of each sibling is then its index.
 */
export function placeAt(siblingIds: readonly number[], id: number, position: number | undefined): number[] {
  const rest = siblingIds.filter((x) => x !== id);
  const at = position === undefined ? rest.length : Math.max(0, Math.min(position, rest.length));
  return [...rest.slice(0, at), id, ...rest.slice(at)];
}

/** Do two id lists hold the same ids (ignoring order)? */
export function sameIdSet(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return s.size === a.length && b.every((x) => s.has(x));
}

export type Nested<T> = T & { children: Nested<T>[] };

/**
 * Nests flat rows (already in sibling order) by parent. A row whose parent is not in the list
 * becomes a root, so a filtered list (one subtree) nests into its own forest.
 */
export function nest<T extends { id: number; parentId: number | null }>(rows: readonly T[]): Nested<T>[] {
  const byId = new Map<number, Nested<T>>();
  for (const r of rows) byId.set(r.id, { ...r, children: [] });
  const roots: Nested<T>[] = [];
  for (const r of rows) {
    const n = byId.get(r.id)!;
    const parent = r.parentId === null ? undefined : byId.get(r.parentId);
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}

/**
 * Orders a flat list as a tree walk (each parent before its children, siblings by `sort`
 * then id) and gives each item its depth (0 for roots). Items under a missing parent, or in a
 * cycle, come last at depth 0 rather than disappearing.
 */
export function treeOrder<T extends { id: number; parentId: number | null; sort: number }>(rows: readonly T[]): Array<T & { depth: number }> {
  const ids = new Set(rows.map((r) => r.id));
  const bySort = [...rows].sort((a, b) => a.sort - b.sort || a.id - b.id);
  const kids = new Map<number | null, T[]>();
  for (const r of bySort) {
    const key = r.parentId !== null && ids.has(r.parentId) ? r.parentId : null;
    (kids.get(key) ?? kids.set(key, []).get(key)!).push(r);
  }
  const out: Array<T & { depth: number }> = [];
  const seen = new Set<number>();
  const walk = (parent: number | null, depth: number): void => {
    for (const r of kids.get(parent) ?? []) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push({ ...r, depth });
      walk(r.id, depth + 1);
    }
  };
  walk(null, 0);
  for (const r of bySort) if (!seen.has(r.id)) out.push({ ...r, depth: 0 });
  return out;
}

/** Would making `newParentId` the parent of `id` close a loop? `parentOf` gives each id's parent. */
export function wouldCycle(id: number, newParentId: number | null, parentOf: ReadonlyMap<number, number | null>): boolean {
  const seen = new Set<number>();
  for (let p = newParentId; p !== null && p !== undefined; p = parentOf.get(p) ?? null) {
    if (p === id || seen.has(p)) return true;
    seen.add(p);
  }
  return false;
}

// ---------- footer identity numbers ----------

/**
 * 网站标识码: 10 digits for a government website, or "bm" + 8 digits for a department's
 * (《政府网站发展指引》（国办发〔2017〕47号）附件 政府网站标识码).
 */
export const isSiteIdCode = (s: string): boolean => /^(?:\d{10}|bm\d{8})$/.test(s);

/** The 31 province-level abbreviations that start an ICP filing number. */
export const ICP_PROVINCES = '京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新';
const ICP_RE = new RegExp(`^[${ICP_PROVINCES}]ICP备\\d{6,10}号(?:-[1-9]\\d{0,2})?$`, 'u');

/**
 * ICP备案号 (《非经营性互联网信息服务备案管理办法》): province abbreviation + "ICP备" + number
 * + "号", optionally "-N" for the N-th site of the filer, e.g. 京ICP备05012345号-1. Numbers were
 * 6-8 digits until 2017 and are year-prefixed (e.g. 2021012345, 10 digits) since.
 */
export const isIcpNumber = (s: string): boolean => ICP_RE.test(s);

/** 公安机关互联网站安全备案号 (公网安备): the 14-digit number, e.g. 11010502030143. */
export const isPsbNumber = (s: string): boolean => /^\d{14}$/.test(s);

// ---------- hosts and links ----------

const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const isIPv4 = (h: string): boolean => /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(h);

/**
 * A host name a site may answer on: lowercase LDH labels (IDN in punycode, `xn--…`), at most
 * 253 characters, no port, no trailing dot; a dotted-quad IPv4 address is also accepted.
 */
export function isHostName(h: string): boolean {
  if (h.length < 1 || h.length > 253) return false;
  const labels = h.split('.');
  if (!labels.every((l) => LABEL_RE.test(l))) return false;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return isIPv4(h);
  return true;
}

/** The host part of a `Host` header, normalised for lookup (lowercase, no port, no final dot). */
export function normaliseHost(header: string): string | null {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return null; // IPv6 literal: sites are never bound to one
  const bare = h.replace(/:\d{1,5}$/, '').replace(/\.$/, '');
  return isHostName(bare) ? bare : null;
}

/**
 * A column link target: an http(s) URL with a host and no embedded credentials, or a path on
 * this site starting with a single '/'. Anything else (`javascript:`, `data:`, `//evil`,
 * backslashes, whitespace) is refused, since it ends up in an `href`.
 */
export function isSafeLinkUrl(s: string): boolean {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (s.length === 0 || /[\s\\\u0000-\u001f\u007f]/.test(s)) return false;
  if (s.startsWith('/')) return !s.startsWith('//');
  if (!/^https?:\/\/[^/]/i.test(s)) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** A template name relative to the theme: `list-news`, `article/wide`; never absolute or `..`. */
export const isTemplateName = (s: string): boolean => /^[a-z0-9_-]+(?:\/[a-z0-9_-]+)*$/.test(s) && s.length <= 60;

/** Control characters (other than tab/newline when allowed) and unpaired UTF-16 surrogates. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const UNSAFE_LINE = /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const UNSAFE_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text that cannot be stored faithfully (PostgreSQL refuses NUL; a lone surrogate is not Unicode). */
export const hasUnsafeChars = (s: string, multiline = false): boolean => (multiline ? UNSAFE_TEXT : UNSAFE_LINE).test(s);
