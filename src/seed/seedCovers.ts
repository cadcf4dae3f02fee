/**
 * Cover pictures for the demo's headline news (图片新闻). The demo has no photographs, so it
 * draws simple illustrations (a skyline, hills by a lake, a meeting hall) as SVG, rasterises them
 * with sharp and uploads them through the media module like any editor's upload (type checked
 * by content, re-encoded, thumbnail made). Their alternative text says what they show.
 */
import sharp from 'sharp';
import type { Ctx } from '../lib/ctx.js';
import { unwrap } from '../lib/errors.js';
import { uploadMedia } from '../modules/media/commands/uploadMedia.js';

type Scene = 'skyline' | 'lake' | 'hall';
const SCENES: Scene[] = ['skyline', 'lake', 'hall'];
const ALT: Record<Scene, string> = {
  skyline: '示意插画：晴空下的城市天际线',
  lake: '示意插画：青山环抱的湖面',
  hall: '示意插画：会议大厅主席台与座席',
};
const PALETTES = [
  { sky: ['#7fb8e6', '#d8ecf8'], a: '#2f5d8a', b: '#4d7fae', c: '#b1141b' },
  { sky: ['#f2b880', '#fbe3c4'], a: '#6a3d2a', b: '#9a5b3c', c: '#c8372d' },
  { sky: ['#8fd1b9', '#e1f4ec'], a: '#2e6b55', b: '#4f9a7d', c: '#1f4e79' },
  { sky: ['#b7a6e0', '#ebe5f8'], a: '#4a3d7a', b: '#6f5fae', c: '#a31d4a' },
];

/** A 1200×675 illustration, deterministic for (scene, seed). */
export function coverSvg(scene: Scene, seed: number): string {
  const p = PALETTES[seed % PALETTES.length]!;
  const rnd = (i: number) => ((Math.sin(seed * 97 + i * 13.37) + 1) / 2) % 1;
  const sky = `<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${p.sky[0]}"/><stop offset="1" stop-color="${p.sky[1]}"/></linearGradient></defs><rect width="1200" height="675" fill="url(#s)"/>`;
  let body = '';
  if (scene === 'skyline') {
    body += `<circle cx="${900 + rnd(1) * 150}" cy="140" r="60" fill="#fff6d5" opacity="0.9"/>`;
    for (let i = 0; i < 16; i++) {
      const w = 50 + rnd(i) * 40;
      const h = 150 + rnd(i + 20) * 320;
      const x = i * 76 - 10;
      body += `<rect x="${x.toFixed(0)}" y="${(600 - h).toFixed(0)}" width="${w.toFixed(0)}" height="${h.toFixed(0)}" fill="${i % 2 ? p.a : p.b}"/>`;
      for (let r = 0; r < h / 40 - 1; r++) body += `<rect x="${(x + 10).toFixed(0)}" y="${(620 - h + r * 40).toFixed(0)}" width="${(w - 20).toFixed(0)}" height="12" fill="#ffffff" opacity="0.25"/>`;
    }
    body += `<rect y="600" width="1200" height="75" fill="${p.a}"/>`;
  } else if (scene === 'lake') {
    body += `<circle cx="${250 + rnd(2) * 200}" cy="150" r="55" fill="#fff6d5" opacity="0.9"/>`;
    body += `<path d="M0 420 L${180 + rnd(3) * 80} 200 L420 420 Z" fill="${p.b}"/><path d="M260 420 L${560 + rnd(4) * 80} 160 L860 420 Z" fill="${p.a}"/><path d="M700 420 L${980 + rnd(5) * 60} 230 L1200 420 Z" fill="${p.b}"/>`;
    body += `<rect y="420" width="1200" height="255" fill="${p.sky[0]}" opacity="0.85"/>`;
    for (let i = 0; i < 9; i++) body += `<rect x="${(i * 140 + rnd(i) * 40).toFixed(0)}" y="${(470 + i * 20).toFixed(0)}" width="${(80 + rnd(i + 5) * 60).toFixed(0)}" height="4" fill="#ffffff" opacity="0.6"/>`;
  } else {
    body += `<rect y="0" width="1200" height="675" fill="${p.sky[1]}"/>`;
    body += `<rect x="150" y="70" width="900" height="90" fill="${p.c}"/>`;
    body += `<rect x="200" y="210" width="800" height="70" fill="${p.a}"/>`;
    for (let i = 0; i < 8; i++) body += `<circle cx="${250 + i * 100}" cy="200" r="22" fill="${p.b}"/>`;
    for (let row = 0; row < 5; row++)
      for (let i = 0; i < 12; i++) body += `<rect x="${(120 + i * 82 + (row % 2) * 20).toFixed(0)}" y="${360 + row * 62}" width="56" height="40" rx="8" fill="${row % 2 ? p.b : p.a}"/>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" viewBox="0 0 1200 675">${sky}${body}</svg>`;
}

/** Uploads one illustration for a site; returns the media id and its alternative text. */
export async function uploadCover(ctx: Ctx, siteId: number, seed: number): Promise<{ mediaId: number; alt: string }> {
  const scene = SCENES[seed % SCENES.length]!;
  const png = await sharp(Buffer.from(coverSvg(scene, seed))).jpeg({ quality: 80 }).toBuffer();
  const media = unwrap(await uploadMedia(ctx, { siteId, alt: ALT[scene], fileName: `demo-cover-${seed}.jpg`, data: png }));
  return { mediaId: media.id, alt: ALT[scene] };
}
