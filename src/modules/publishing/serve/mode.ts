/**
 * Visitor display modes without JavaScript (pure): static pages link `/_mode.css?site=<code>`,
 * whose content depends on the visitor's cookies (elder mode, font size) and on the site's or the
 * cluster's national-mourning switch (哀悼日 grey mode). `/_mode?…&back=` sets the cookies.
 */
import { z } from 'zod';
import type { Banner } from './mourning.js';

export const ELDER_COOKIE = 'jiyue_elder';
export const SIZE_COOKIE = 'jiyue_size';
/** One year: the visitor's choice persists. */
export const MODE_COOKIE_MAX_AGE = 365 * 24 * 3600;

export const FONT_SIZES = ['normal', 'large', 'larger'] as const;
export type FontSize = (typeof FONT_SIZES)[number];
/** Root font size per choice; elder mode starts from 125 % (20 px), so its steps start there too. */
const ROOT_FONT_SIZE: Record<FontSize, string | null> = { normal: null, large: '112.5%', larger: '125%' };
const ELDER_ROOT_FONT_SIZE: Record<FontSize, string | null> = { normal: null, large: '140%', larger: '156.25%' };

/** Grey pages on national days of mourning. */
export const MOURNING_CSS = 'html { -webkit-filter: grayscale(100%); filter: grayscale(100%); }';

export const ModeQuery = z.object({
  elder: z.enum(['0', '1'], { error: 'elder 应为 0 或 1' }).optional(),
  size: z.enum(FONT_SIZES, { error: 'size 应为 normal、large 或 larger' }).optional(),
  /** Checked by localPath(): anything but a local path sends the visitor to "/". */
  back: z.string().max(2000, '返回地址过长').optional(),
});
export type ModeQuery = z.infer<typeof ModeQuery>;

export const ModeCssQuery = z.object({
  site: z.string().max(40, '站点代码过长').optional(),
  /** `hant`: the page is a Traditional Chinese one; banner text is converted. */
  v: z.enum(['hant']).optional(),
});

export interface VisitorModes {
  elder: boolean;
  size: FontSize;
}

/** The visitor's modes from the request's cookies (unknown values are the defaults). */
export function modesFromCookies(cookies: Record<string, string | undefined>): VisitorModes {
  const size = cookies[SIZE_COOKIE];
  return { elder: cookies[ELDER_COOKIE] === '1', size: (FONT_SIZES as readonly string[]).includes(size ?? '') ? (size as FontSize) : 'normal' };
}

/** Colours per banner level (text on background ≥ 4.5:1). */
const BANNER_STYLE: Record<Banner['level'], string> = {
  emergency: 'background: #8c1016; color: #fff; border-bottom: 2px solid #5a0a0e;',
  warning: 'background: #fff4d6; color: #1a1a1a; border-bottom: 2px solid #8a5a00;',
  info: 'background: #e8f0fa; color: #1a1a1a; border-bottom: 2px solid #0a4b9a;',
};
const BANNER_LABEL: Record<Banner['level'], string> = { emergency: '紧急通告', warning: '重要提示', info: '通知' };

/**
 * A CSS string literal: quotes, backslashes, line breaks and every control or non-ASCII
 * character as a hex escape, so no text can end the string or the rule (nor smuggle `</style>`).
 */
export function cssString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f || ch === '"' || ch === '\\' || ch === '<' || ch === '>' || c > 0x7e) out += `\\${c.toString(16)} `;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * The emergency banners, live: every page has an empty `.live-banner` slot (hidden by the site
 * stylesheet) whose text this stylesheet supplies as generated content — cluster banner before,
 * site banner after — so a banner is on every page within seconds without re-rendering any.
 */
export function bannerCss(banners: readonly Banner[], convert: (s: string) => string = (s) => s): string {
  if (banners.length === 0) return '';
  const [first, second] = banners;
  const content = (b: Banner) => `${cssString(convert(`${BANNER_LABEL[b.level]}：`))} ${cssString(convert(b.text))}`;
  const rules = [
    `.live-banner { display: block; font-weight: 700; line-height: 1.6; }`,
    `.live-banner::before { display: block; padding: 0.6rem 1rem; content: ${content(first!)}; ${BANNER_STYLE[first!.level]} }`,
  ];
  if (second) rules.push(`.live-banner::after { display: block; padding: 0.6rem 1rem; content: ${content(second)}; ${BANNER_STYLE[second.level]} }`);
  return rules.join('\n');
}

/** The stylesheet of overrides for one visitor on one site; empty when nothing applies. */
export function modeCss(m: VisitorModes & { mourning: boolean; elderCss: string; banners?: readonly Banner[]; convert?: (s: string) => string }): string {
  const parts: string[] = [];
  if (m.banners?.length) parts.push(`/* 通告 */\n${bannerCss(m.banners, m.convert)}`);
  if (m.elder && m.elderCss) parts.push(`/* 长者模式 */\n${m.elderCss.trim()}`);
  const fontSize = (m.elder ? ELDER_ROOT_FONT_SIZE : ROOT_FONT_SIZE)[m.size];
  if (fontSize) parts.push(`/* 字号 */\nhtml { font-size: ${fontSize}; }`);
  if (m.mourning) parts.push(`/* 哀悼模式 */\n${MOURNING_CSS}`);
  return parts.length ? `${parts.join('\n\n')}\n` : '/* 默认显示 */\n';
}
