import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type FS,
  IncludeTag,
  LayoutTag,
  Liquid,
  type LiquidOptions,
  type Parser,
  RenderTag,
  type TagToken,
  type TopLevelToken,
} from 'liquidjs';
import type { RenderContext } from '../model.js';
import { dateCn, filesize, safeUrl, truncateCn } from './filters.js';
import { isAssetName, isTemplateName, isThemeName } from './names.js';

/**
 * The theme engine: renders a site's pages from Liquid templates — the site's overrides from the
 * database first, then its theme's files — with everything a designer-edited template must not
 * be able to do taken away (other Chinese CMSes were taken over through editable FreeMarker):
 *
 * - no code: Liquid has no way to call functions, and `ownPropertyOnly` hides prototypes
 *   (`{{ site.constructor }}` prints nothing); unknown filters are parse errors;
 * - no file access: a custom `fs` knows only the site's overrides and `themes/<theme>/templates`,
 *   and `render`/`include`/`layout` accept only literal names matching TEMPLATE_NAME_RE,
 *   checked when the template is parsed (so on save, with a line number);
 * - no hang: parse length, render time and allocation are limited per call;
 * - no injection: every `{{ value }}` is HTML-escaped unless the template says `| raw`
 *   (meant for `article.body`, which the content module sanitised).
 *
 * Parsed templates are cached per site; `invalidate(siteId)` drops them after an override changes.
 */

/** `themes/` at the repository root. */
export const DEFAULT_THEMES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../themes');

export interface EngineLimits {
  /** Characters parsed per template file. */
  parseLimit: number;
  /** Milliseconds per render call. */
  renderLimit: number;
  /** Allocation units per render call (array elements, string characters built by filters). */
  memoryLimit: number;
}

/**
 * memoryLimit is 1e7, not 1e8: a `(1..100000000)` range is allocated as a real array before the
 * loop starts, and 1e8 numbers are 800 MB — too much for a process that also serves requests.
 */
export const DEFAULT_LIMITS: EngineLimits = { parseLimit: 1_000_000, renderLimit: 2_000, memoryLimit: 10_000_000 };

const MAX_THEME_FILE_BYTES = 1024 * 1024;

export interface ThemeEngineOptions {
  themesDir: string;
  /** The site's active overrides, name → source. */
  loadOverrides: (siteId: number) => Promise<Record<string, string>>;
  limits?: Partial<EngineLimits>;
}

export type ValidationResult = { ok: true } | { ok: false; line: number; column: number; message: string };

export type TemplateErrorKind = 'parse' | 'render' | 'limit' | 'missing';

/** A template that could not be parsed or rendered: which one, where, and why. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly kind: TemplateErrorKind,
    readonly template: string,
    readonly line: number | null = null,
    readonly column: number | null = null,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

export interface RenderOptions {
  /** A shorter time limit, e.g. for previews in the web process. */
  renderLimit?: number;
}

interface SiteLiquid {
  liquid: Liquid;
  overrides: Record<string, string>;
}

// ---------- tags that only take literal, well-formed template names ----------

function checkFileName(file: unknown, tag: string, allowNone: boolean): void {
  if (file === undefined && allowNone) return;
  if (typeof file !== 'string') throw new Error(`{% ${tag} %} 只能引用固定的模板名（如 'partials/header'），不能使用变量或表达式`);
  if (!isTemplateName(file)) throw new Error(`{% ${tag} %} 引用的模板名不合法："${file.slice(0, 80)}"（只允许小写字母、数字、/、_、-）`);
}

class SafeRenderTag extends RenderTag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remain, liquid, parser);
    checkFileName((this as unknown as { file: unknown }).file, 'render', false);
  }
}
class SafeIncludeTag extends IncludeTag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remain, liquid, parser);
    checkFileName((this as unknown as { file: unknown }).file, 'include', false);
  }
}
class SafeLayoutTag extends LayoutTag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid, parser: Parser) {
    super(token, remain, liquid, parser);
    checkFileName(this.file, 'layout', true);
  }
}

// ---------- errors ----------

interface LiquidErrorLike {
  message: string;
  name?: string;
  token?: { getPosition(): [number, number]; file?: string };
  originalError?: { message?: string };
}

/** Line, column and a message without LiquidJS's ", line:1, col:2" suffix. */
/**
 * LiquidJS words its errors in English; the common ones said in Chinese for the designer (the
 * rest, rare, pass through as LiquidJS wrote them).
 */
const LIQUID_MESSAGES: [RegExp, (...m: string[]) => string][] = [
  [/tag (\{%-?\s*(\w+)[^%]*%\}) not closed/g, (_, tag, name) => `${tag} 没有结束标签（缺少 {% end${name} %}）`],
  [/tag "(end\w+)" not found/g, (_, name) => `多余的 {% ${name} %}：前面没有与之对应的开始标签`],
  [/tag "(\w+)" not found/g, (_, name) => `没有 {% ${name} %} 这个标签`],
  [/output "(.*)" not closed/g, (_, out) => `输出 ${out} 没有用 }} 结束`],
  [/raw "(.*)" not closed/g, (_, out) => `${out} 没有结束`],
  [/undefined filter: ([\w-]+)/g, (_, f) => `没有名为 ${f} 的过滤器`],
  [/illegal tag: (.+)/g, (_, tag) => `标签写法有误：${tag}`],
  [/expected variable name/g, () => '缺少变量名'],
  [/unexpected token at "(.*)"/g, (_, at) => `无法识别的写法：${at}`],
  [/invalid value expression: "?(.*?)"?$/g, (_, v) => `表达式有误：${v}`],
];

export function liquidMessageZh(text: string): string {
  return LIQUID_MESSAGES.reduce((s, [re, zh]) => s.replace(re, (...m: unknown[]) => zh(...(m.slice(0, -2) as string[]))), text);
}

export function describeLiquidError(e: unknown): { line: number; column: number; message: string; file?: string } {
  const err = (e ?? {}) as LiquidErrorLike;
  let line = 1;
  let column = 1;
  try {
    if (err.token && typeof err.token.getPosition === 'function') [line, column] = err.token.getPosition();
  } catch {
    /* a position is a nicety */
  }
  const raw = String(err.originalError?.message ?? err.message ?? e);
  const message = liquidMessageZh(raw.replace(/, (file:[^,]*, )?line:\d+, col:\d+$/, '')).slice(0, 500);
  const file = err.token?.file;
  return typeof file === 'string' && isTemplateName(file) ? { line, column, message, file } : { line, column, message };
}

function isLimitMessage(m: string): boolean {
  return /limit exceeded|Invalid string length|Maximum call stack/i.test(m);
}

// ---------- the engine ----------

export class ThemeEngine {
  private readonly themesDir: string;
  private readonly loadOverrides: ThemeEngineOptions['loadOverrides'];
  readonly limits: EngineLimits;
  /** Parsed-template caches, one Liquid instance per site and theme. */
  private readonly sites = new Map<string, Promise<SiteLiquid>>();
  /** Theme files read from disk, per theme. */
  private readonly themes = new Map<string, Map<string, string>>();
  private readonly validator: Liquid;

  constructor(opts: ThemeEngineOptions) {
    this.themesDir = path.resolve(opts.themesDir);
    this.loadOverrides = opts.loadOverrides;
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.validator = this.makeLiquid(() => undefined, false);
  }

  /** Renders `template` ("article", "home" …) for a site; throws TemplateError. */
  async render(siteId: number, theme: string, template: string, ctx: RenderContext, opts: RenderOptions = {}): Promise<string> {
    const site = await this.siteLiquid(siteId, theme);
    return this.renderWith(site.liquid, template, ctx, opts);
  }

  /**
   * Renders with some templates replaced by unsaved sources (a designer's preview): nothing is
   * cached and the site's cache is left alone.
   */
  async preview(siteId: number, theme: string, template: string, ctx: RenderContext, sources: Record<string, string>, opts: RenderOptions = {}): Promise<string> {
    const site = await this.siteLiquid(siteId, theme);
    const themeFiles = this.themeFiles(theme);
    const merged: Record<string, string> = { ...site.overrides };
    for (const [name, source] of Object.entries(sources)) {
      if (!isTemplateName(name)) throw new TemplateError(`模板名不合法："${name.slice(0, 80)}"`, 'missing', name);
      merged[name] = source;
    }
    const liquid = this.makeLiquid((name) => (Object.hasOwn(merged, name) ? merged[name] : themeFiles.get(name)), false);
    return this.renderWith(liquid, template, ctx, opts);
  }

  /** Parses a template source without rendering it: ok, or the first error with its position. */
  validate(source: string): ValidationResult {
    if (typeof source !== 'string') return { ok: false, line: 1, column: 1, message: '模板内容必须是文本' };
    if (!source.isWellFormed() || source.includes('\u0000')) return { ok: false, line: 1, column: 1, message: '模板包含无效的 Unicode 字符或空字符' };
    if (source.length > this.limits.parseLimit) return { ok: false, line: 1, column: 1, message: `模板过长（最多 ${this.limits.parseLimit} 个字符）` };
    try {
      this.validator.parse(source, 'source');
      return { ok: true };
    } catch (e) {
      const { line, column, message } = describeLiquidError(e);
      return { ok: false, line, column, message };
    }
  }

  /** Drops cached overrides and parsed templates of one site, or of everything (theme files too). */
  invalidate(siteId?: number): void {
    if (siteId === undefined) {
      this.sites.clear();
      this.themes.clear();
      return;
    }
    const prefix = `${siteId}:`;
    for (const key of [...this.sites.keys()]) if (key.startsWith(prefix)) this.sites.delete(key);
  }

  /** The template names a theme ships, sorted. */
  themeTemplates(theme: string): string[] {
    return [...this.themeFiles(theme).keys()].sort();
  }

  /** A theme file's source, or undefined. */
  themeSource(theme: string, name: string): string | undefined {
    return isTemplateName(name) ? this.themeFiles(theme).get(name) : undefined;
  }

  /** The theme's static assets (CSS, JS, images), name relative to `assets/` → bytes. */
  themeAssets(theme: string): Map<string, Buffer> {
    const out = new Map<string, Buffer>();
    if (!isThemeName(theme)) return out;
    const root = path.join(this.themesDir, theme, 'assets');
    for (const rel of walk(root)) {
      if (!isAssetName(rel)) continue;
      const file = path.join(root, rel);
      const st = fs.lstatSync(file);
      if (st.isFile() && st.size <= 5 * MAX_THEME_FILE_BYTES) out.set(rel, fs.readFileSync(file));
    }
    return out;
  }

  /** Where a theme's assets live on disk (for the publisher to copy), or null for a bad name. */
  themeAssetsDir(theme: string): string | null {
    return isThemeName(theme) ? path.join(this.themesDir, theme, 'assets') : null;
  }

  // ---------- internals ----------

  private renderWith(liquid: Liquid, template: string, ctx: RenderContext, opts: RenderOptions): string {
    if (!isTemplateName(template)) throw new TemplateError(`模板名不合法："${String(template).slice(0, 80)}"`, 'missing', String(template));
    const renderLimit = Math.min(opts.renderLimit ?? this.limits.renderLimit, this.limits.renderLimit);
    try {
      // The model goes in as globals so that `{% render %}`ed partials (isolated scopes) see it too.
      // Rendering is synchronous: every template is in memory, and sync rendering avoids a
      // promise per tag (several times faster); the time limit still applies.
      return liquid.renderFileSync(template, {}, { globals: ctx, renderLimit, memoryLimit: this.limits.memoryLimit });
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      const d = describeLiquidError(e);
      const code = (e as { code?: string; originalError?: { code?: string } }).originalError?.code ?? (e as { code?: string }).code;
      const kind: TemplateErrorKind = code === 'ENOENT' ? 'missing' : isLimitMessage(d.message) ? 'limit' : (e as { name?: string }).name === 'ParseError' ? 'parse' : 'render';
      const message = kind === 'missing' ? `模板不存在：${d.message.replace(/^ENOENT: /, '')}` : d.message;
      // The template the error is in: a partial's own name when it happened there.
      throw new TemplateError(message, kind, d.file ?? template, d.line, d.column);
    }
  }

  private siteLiquid(siteId: number, theme: string): Promise<SiteLiquid> {
    if (!isThemeName(theme)) return Promise.reject(new TemplateError(`主题名不合法："${String(theme).slice(0, 60)}"`, 'missing', ''));
    const key = `${siteId}:${theme}`;
    let entry = this.sites.get(key);
    if (!entry) {
      entry = this.loadOverrides(siteId).then((overrides) => {
        const own: Record<string, string> = Object.create(null);
        for (const [name, source] of Object.entries(overrides)) if (isTemplateName(name)) own[name] = source;
        const themeFiles = this.themeFiles(theme);
        return { overrides: own, liquid: this.makeLiquid((name) => own[name] ?? themeFiles.get(name), true) };
      });
      this.sites.set(key, entry);
      entry.catch(() => {
        if (this.sites.get(key) === entry) this.sites.delete(key);
      });
    }
    return entry;
  }

  /** A Liquid instance whose only files are what `lookup` returns for a well-formed name. */
  private makeLiquid(lookup: (name: string) => string | undefined, cache: boolean): Liquid {
    const find = (file: string): string | undefined => (isTemplateName(file) ? lookup(file) : undefined);
    const read = (file: string): string => {
      const src = find(file);
      if (src === undefined) throw Object.assign(new Error(`ENOENT: 模板 "${file.slice(0, 80)}" 不存在`), { code: 'ENOENT' });
      return src;
    };
    const themeFs: FS = {
      sep: '/',
      // Names are not paths: the directory is ignored and the name must be well-formed.
      resolve: (_dir, file) => file,
      dirname: () => '',
      contains: async (_root, file) => isTemplateName(file),
      containsSync: (_root, file) => isTemplateName(file),
      exists: async (file) => find(file) !== undefined,
      existsSync: (file) => find(file) !== undefined,
      readFile: async (file) => read(file),
      readFileSync: read,
    };
    const options: LiquidOptions = {
      fs: themeFs,
      root: ['theme'],
      partials: ['theme'],
      layouts: ['theme'],
      relativeReference: false,
      extname: '',
      cache,
      ownPropertyOnly: true,
      strictFilters: true,
      strictVariables: false,
      outputEscape: 'escape',
      jsTruthy: false,
      timezoneOffset: 'Asia/Shanghai',
      locale: 'zh-CN',
      parseLimit: this.limits.parseLimit,
      renderLimit: this.limits.renderLimit,
      memoryLimit: this.limits.memoryLimit,
    };
    const liquid = new Liquid(options);
    liquid.registerTag('render', SafeRenderTag);
    liquid.registerTag('include', SafeIncludeTag);
    liquid.registerTag('layout', SafeLayoutTag);
    liquid.registerFilter('date_cn', dateCn);
    liquid.registerFilter('filesize', filesize);
    liquid.registerFilter('truncate_cn', truncateCn);
    liquid.registerFilter('safe_url', safeUrl);
    return liquid;
  }

  private themeFiles(theme: string): Map<string, string> {
    let files = this.themes.get(theme);
    if (files) return files;
    files = new Map();
    if (isThemeName(theme)) {
      const root = path.join(this.themesDir, theme, 'templates');
      for (const rel of walk(root)) {
        if (!rel.endsWith('.liquid')) continue;
        const name = rel.slice(0, -'.liquid'.length);
        if (!isTemplateName(name)) continue;
        const file = path.join(root, rel);
        const st = fs.lstatSync(file);
        if (st.isFile() && st.size <= MAX_THEME_FILE_BYTES) files.set(name, fs.readFileSync(file, 'utf8'));
      }
    }
    this.themes.set(theme, files);
    return files;
  }
}

/** Relative paths ('/'-separated) of the regular files under `root`; symbolic links are not followed. */
function walk(root: string, depth = 0): string[] {
  if (depth > 4) return [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) out.push(...walk(path.join(root, e.name), depth + 1).map((r) => `${e.name}/${r}`));
    else if (e.isFile()) out.push(e.name);
  }
  return out;
}
