/**
 * Visitor display modes without JavaScript (pure): static pages link `/_mode.css?site=<code>`,
 * whose content depends on the visitor's cookies (elder mode, font size) and on the site's or the
 * cluster's national-mourning switch (哀悼日 grey mode). `/_mode?…&back=` sets the cookies.
 */
import { z } from 'zod';

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

/** The stylesheet of overrides for one visitor on one site; empty when nothing applies. */
export function modeCss(m: VisitorModes & { mourning: boolean; elderCss: string }): string {
  const parts: string[] = [];
  if (m.elder && m.elderCss) parts.push(`/* 长者模式 */\n${m.elderCss.trim()}`);
  const fontSize = (m.elder ? ELDER_ROOT_FONT_SIZE : ROOT_FONT_SIZE)[m.size];
  if (fontSize) parts.push(`/* 字号 */\nhtml { font-size: ${fontSize}; }`);
  if (m.mourning) parts.push(`/* 哀悼模式 */\n${MOURNING_CSS}`);
  return parts.length ? `${parts.join('\n\n')}\n` : '/* 默认显示 */\n';
}
