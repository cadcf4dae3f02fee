/**
 * Pure file handling for uploaded media: deciding what a file really is (by content, never by
 * name), making names safe, re-encoding images, writing files atomically and the headers a
 * download is served with. No database and no HTTP here.
 */
import crypto from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';

export interface MediaLimits {
  imageBytes: number;
  documentBytes: number;
}

export const MEDIA_LIMITS: Readonly<MediaLimits> = {
  imageBytes: 10 * 1024 * 1024,
  documentBytes: 50 * 1024 * 1024,
};

export type MediaKind = 'image' | 'document';

export interface DetectedType {
  kind: MediaKind;
  mime: string;
  /** Lower-case extension without the dot; the stored file gets this extension. */
  ext: string;
}

export type DetectResult =
  | { ok: true; value: DetectedType }
  | { ok: false; code: 'unsupported_media_type' | 'payload_too_large' | 'bad_request'; message: string };

/** Error with a Chinese message an editor can be shown; `code` maps to HTTP like lib/errors.ts. */
export class MediaError extends Error {
  constructor(
    readonly code: 'bad_request' | 'payload_too_large' | 'unsupported_media_type',
    message: string,
    readonly reason: 'corrupt_image' | 'image_too_large' | 'unsupported_image',
  ) {
    super(message);
    this.name = 'MediaError';
  }
}

// ---------------------------------------------------------------------------------------------
// Type detection
// ---------------------------------------------------------------------------------------------

const ALLOWED_TEXT =
  'JPG、PNG、GIF、WebP 图片；PDF、OFD、Word（doc/docx）、Excel（xls/xlsx）、PowerPoint（ppt/pptx）、' +
  'WPS 文字/表格（wps/et）、ZIP 压缩包、TXT/CSV 文本（UTF-8 编码）';

const img = (mime: string, ext: string): DetectedType => ({ kind: 'image', mime, ext });
const doc = (mime: string, ext: string): DetectedType => ({ kind: 'document', mime, ext });

/** file-type's answer (its `ext`) → what we store. Anything not listed is refused. */
const BY_CONTENT = new Map<string, DetectedType>([
  ['jpg', img('image/jpeg', 'jpg')],
  ['png', img('image/png', 'png')],
  // Animated PNG: processImage keeps only the default (first) frame, stored as PNG.
  ['apng', img('image/png', 'png')],
  ['gif', img('image/gif', 'gif')],
  ['webp', img('image/webp', 'webp')],
  ['pdf', doc('application/pdf', 'pdf')],
  ['docx', doc('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx')],
  ['xlsx', doc('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx')],
  ['pptx', doc('application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx')],
  ['zip', doc('application/zip', 'zip')],
]);

const OFD = doc('application/ofd', 'ofd');

/**
 * Old Office and WPS files are all OLE compound files (file-type says `cfb`); the content alone
 * does not say which application made them, so here (and only here) the name's extension
 * decides — and only among these.
 */
const CFB_BY_NAME = new Map<string, DetectedType>([
  ['doc', doc('application/msword', 'doc')],
  ['xls', doc('application/vnd.ms-excel', 'xls')],
  ['ppt', doc('application/vnd.ms-powerpoint', 'ppt')],
  ['wps', doc('application/kswps', 'wps')],
  ['et', doc('application/kset', 'et')],
]);

const TEXT_BY_NAME = new Map<string, DetectedType>([
  ['txt', doc('text/plain; charset=utf-8', 'txt')],
  ['csv', doc('text/csv; charset=utf-8', 'csv')],
]);
const PLAIN_TEXT = doc('text/plain; charset=utf-8', 'txt');

/** file-type answers that are programs (or install/run them); named as such in the refusal. */
const EXECUTABLE = new Set([
  'exe', 'elf', 'macho', 'wasm', 'class', 'apk', 'jar', 'xpi', 'crx', 'deb', 'rpm', 'dmg', 'lnk',
  'cab', 'chm', 'reg', 'swf', 'asar',
]);

const fail = (code: 'unsupported_media_type' | 'payload_too_large' | 'bad_request', message: string) =>
  ({ ok: false, code, message }) as const;

function nameExt(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).trim().toLowerCase() : '';
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;

/**
 * Decides what an uploaded file is from its bytes. The original name only picks between formats
 * the content cannot tell apart (doc/xls/ppt/wps/et; txt/csv); the returned `ext` is what the
 * file is stored with, so `photo.pdf` that is really a PNG is stored as `.png`.
 */
export async function detectType(
  buf: Buffer,
  originalName: string,
  limits: Readonly<MediaLimits> = MEDIA_LIMITS,
): Promise<DetectResult> {
  if (buf.length === 0) return fail('bad_request', '文件为空（0 字节），请重新选择文件。');
  const maxAny = Math.max(limits.imageBytes, limits.documentBytes);
  if (buf.length > maxAny) {
    return fail('payload_too_large', `文件过大（${mb(buf.length)}），上传上限为 ${mb(maxAny)}。`);
  }

  const result = await detectByContent(buf, originalName);
  if (!result.ok) return result;

  const { kind } = result.value;
  const limit = kind === 'image' ? limits.imageBytes : limits.documentBytes;
  if (buf.length > limit) {
    const what = kind === 'image' ? '图片' : '文档';
    return fail('payload_too_large', `${what}不能超过 ${mb(limit)}（当前文件 ${mb(buf.length)}）。`);
  }
  return result;
}

async function detectByContent(buf: Buffer, originalName: string): Promise<DetectResult> {
  const declared = nameExt(originalName);
  let found: { ext: string; mime: string } | undefined;
  try {
    found = await fileTypeFromBuffer(buf);
  } catch {
    found = undefined; // malformed container: treat as unrecognised (text check below, then refuse)
  }

  if (!found) {
    const text = detectText(buf, declared);
    if (text) return text;
    if (TEXT_BY_NAME.has(declared)) {
      return fail(
        'unsupported_media_type',
        `文本文件必须是 UTF-8 编码且不含空字符。请在记事本或 Excel 中“另存为”UTF-8 编码后重新上传。`,
      );
    }
    return fail('unsupported_media_type', `无法识别文件内容，不支持此类文件。允许的类型：${ALLOWED_TEXT}。`);
  }

  const known = BY_CONTENT.get(found.ext);
  if (known) {
    if (found.ext === 'zip' && zipHasRootEntry(buf, 'OFD.xml')) return { ok: true, value: OFD };
    return { ok: true, value: known };
  }

  if (found.ext === 'cfb') {
    const byName = CFB_BY_NAME.get(declared);
    if (byName && !isWindowsInstaller(buf)) return { ok: true, value: byName };
    if (byName) {
      return fail('unsupported_media_type', `“${originalName}”实际是 Windows 安装程序（可执行程序），出于安全原因不允许上传。`);
    }
    return fail(
      'unsupported_media_type',
      `不支持的文件类型：该文件是旧版 Office/WPS 复合文档格式，但文件扩展名不是 .doc、.xls、.ppt、.wps 或 .et。` +
        `请用原扩展名上传，或另存为 docx/xlsx/pptx/PDF。允许的类型：${ALLOWED_TEXT}。`,
    );
  }

  // Weak signatures (two bytes for BMP "BM", EXE "MZ") also match ordinary text, e.g. a CSV whose
  // first cell is "BMI". A file named .txt/.csv that is clean UTF-8 text is text; a real
  // executable always contains NUL bytes and never passes this.
  if (TEXT_BY_NAME.has(declared)) {
    const text = detectText(buf, declared);
    if (text?.ok) return text;
  }

  if (EXECUTABLE.has(found.ext)) {
    return fail(
      'unsupported_media_type',
      `“${originalName}”实际是可执行程序或安装包（${found.ext.toUpperCase()}），出于安全原因不允许上传。`,
    );
  }
  if (found.ext === 'xml') {
    return fail(
      'unsupported_media_type',
      `不支持的文件类型：XML/SVG 文件可能包含脚本，出于安全原因不允许上传。允许的类型：${ALLOWED_TEXT}。`,
    );
  }
  return fail(
    'unsupported_media_type',
    `不支持的文件类型：${found.ext.toUpperCase()}（${found.mime}）。允许的类型：${ALLOWED_TEXT}。`,
  );
}

const MARKUP_ANYWHERE = /<\s*(?:script|svg|html|iframe|object|embed)\b|<!doctype\s+html/i;

/**
 * Plain text: valid UTF-8, no NUL byte, and not HTML/SVG/XML (a browser that ignores the
 * declared type could run its scripts). Returns undefined when the bytes are not text at all.
 */
function detectText(buf: Buffer, declared: string): DetectResult | undefined {
  if (buf.includes(0)) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return undefined;
  }
  if (text.trimStart().startsWith('<') || MARKUP_ANYWHERE.test(text)) {
    return fail(
      'unsupported_media_type',
      `不支持的文件类型：HTML/SVG/XML 等网页标记文件可能包含脚本，出于安全原因不允许上传。` +
        `如需发布网页内容，请在编辑器中录入。允许的类型：${ALLOWED_TEXT}。`,
    );
  }
  return { ok: true, value: TEXT_BY_NAME.get(declared) ?? PLAIN_TEXT };
}

/**
 * True when the zip's central directory lists `name` at the archive root. A small scan of the
 * end-of-central-directory record and the directory entries; no decompression, no zip64 (uploads
 * are far below 4 GB), every read bounds-checked.
 */
export function zipHasRootEntry(buf: Buffer, name: string): boolean {
  const EOCD = 0x06054b50;
  const CEN = 0x02014b50;
  const minEocd = 22;
  if (buf.length < minEocd) return false;
  // The EOCD record sits at the end, followed by a comment of at most 65535 bytes.
  const stop = Math.max(0, buf.length - minEocd - 0xffff);
  let eocd = -1;
  for (let i = buf.length - minEocd; i >= stop; i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return false;
  const entries = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);

  let p = cdOffset;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CEN) return false;
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const nameEnd = p + 46 + nameLen;
    if (nameEnd > eocd) return false;
    if (buf.toString('utf8', p + 46, nameEnd) === name) return true;
    p = nameEnd + extraLen + commentLen;
  }
  return false;
}

/**
 * Windows Installer packages (.msi/.msp/.mst) are compound files too; their root storage carries
 * the CLSID {000C108x-0000-0000-C000-000000000046}. Refuse them even when renamed to .doc.
 */
function isWindowsInstaller(buf: Buffer): boolean {
  if (buf.length < 0x50) return false;
  const sectorShift = buf.readUInt16LE(0x1e);
  if (sectorShift !== 9 && sectorShift !== 12) return false;
  const rootEntry = (buf.readUInt32LE(0x30) + 1) * 2 ** sectorShift; // first directory sector
  const clsid = rootEntry + 0x50;
  if (clsid + 16 > buf.length) return false;
  const tail = Buffer.from([0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46]);
  const first = buf.readUInt32LE(clsid);
  return (first & 0xfffffff0) === 0x000c1080 && buf.subarray(clsid + 4, clsid + 16).equals(tail);
}

// ---------------------------------------------------------------------------------------------
// Names and headers
// ---------------------------------------------------------------------------------------------

const MAX_NAME = 200;
const FALLBACK_NAME = '附件';
// C0/C1 controls, and bidi overrides/isolates (U+202A–U+202E, U+2066–U+2069), which can make
// "report‮fdp.exe" display as "reportexe.pdf".
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const WINDOWS_ILLEGAL = /[<>:"/\\|?*]/g;
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

const graphemes = (s: string): string[] =>
  Array.from(new Intl.Segmenter('zh', { granularity: 'grapheme' }).segment(s), (g) => g.segment);

/** Keeps whole graphemes (so an emoji is never cut in half) up to `max` code points. */
function truncateCodePoints(s: string, max: number): string {
  let out = '';
  let used = 0;
  for (const g of graphemes(s)) {
    const len = [...g].length;
    if (used + len > max) break;
    out += g;
    used += len;
  }
  return out;
}

/**
 * A display/download name derived from what the user uploaded. Never used as a path on disk
 * (stored names come from generateStoredName), but still made safe for every OS that may save it.
 */
export function safeOriginalName(name: string): string {
  let s = name.normalize('NFC');
  s = s.split(/[/\\]/).pop() ?? '';
  s = s.replace(CONTROL, '').replace(WINDOWS_ILLEGAL, '');
  // Windows drops trailing dots and spaces; leading dots would make a hidden file.
  s = s.trim().replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (s === '') return FALLBACK_NAME;
  if (WINDOWS_RESERVED.test(s.split('.')[0]!.trim())) s = `_${s}`; // CON, NUL, COM1.txt…

  const dot = s.lastIndexOf('.');
  let stem = dot > 0 ? s.slice(0, dot) : s;
  let ext = dot > 0 ? s.slice(dot) : '';
  if ([...ext].length > 20) {
    stem = s; // not a real extension, just a dot in a long name
    ext = '';
  }
  const room = MAX_NAME - [...ext].length;
  if ([...stem].length > room) stem = truncateCodePoints(stem, room).replace(/[.\s]+$/, '');
  return stem + ext;
}

/** RFC 5987 attr-char: ALPHA / DIGIT / "!#$&+-.^_`|~"; everything else percent-encoded. */
const encodeRfc5987 = (s: string): string =>
  encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 and
 * RFC 5987), so browsers save Chinese names correctly and old clients still get something usable.
 * Control characters can never reach the header (no header injection).
 */
export function contentDisposition(
  originalName: string,
  disposition: 'attachment' | 'inline' = 'attachment',
): string {
  const name = originalName.normalize('NFC').replace(CONTROL, '');
  const ascii = Array.from(name, (c) => (c >= ' ' && c <= '~' ? c : '_'))
    .join('')
    .replace(/[\\"]/g, (c) => `\\${c}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

/** `YYYY/MM/<32 random hex>.<ext>` (UTC month). Never contains anything from the user. */
export function generateStoredName(ext: string, now: Date = new Date()): string {
  if (!/^[a-z0-9]{1,10}$/.test(ext)) throw new Error(`invalid stored extension: ${JSON.stringify(ext)}`);
  const yyyy = String(now.getUTCFullYear()).padStart(4, '0');
  const mm = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${yyyy}/${mm}/${crypto.randomBytes(16).toString('hex')}.${ext}`;
}

const SAME_EXT: Record<string, string> = { jpeg: 'jpg', jpe: 'jpg', tif: 'tiff' };

/**
 * The name a download is offered under: the sanitised original name, with its extension
 * corrected to the stored (content-derived) one — `photo.pdf` that is a PNG downloads as
 * `photo.png`, so the user's OS opens it with the right program.
 */
export function downloadName(originalName: string, ext?: string): string {
  const safe = safeOriginalName(originalName);
  if (!ext) return safe;
  const have = nameExt(safe);
  if ((SAME_EXT[have] ?? have) === (SAME_EXT[ext] ?? ext)) return safe;
  const dot = safe.lastIndexOf('.');
  const stem = dot > 0 && [...safe.slice(dot)].length <= 21 ? safe.slice(0, dot) : safe;
  return safeOriginalName(`${stem}.${ext}`);
}

/** Types that must never be served as themselves from our origin. */
const ACTIVE_CONTENT = /html|xml|svg|javascript|ecmascript/i;

/**
 * Headers for serving a stored file. `nosniff` + a sandboxing CSP mean that even a file that
 * slipped through detection cannot run script on our origin. Images are shown inline, documents
 * are downloaded. Cache-Control for images is left to the caller (public caching is undecided).
 */
export function downloadHeaders(m: {
  mime: string;
  original_name: string;
  kind: MediaKind;
  ext?: string;
}): Record<string, string> {
  const isDoc = m.kind === 'document';
  const headers: Record<string, string> = {
    'Content-Type': ACTIVE_CONTENT.test(m.mime) ? 'application/octet-stream' : m.mime,
    'X-Content-Type-Options': 'nosniff',
    'Content-Disposition': contentDisposition(downloadName(m.original_name, m.ext), isDoc ? 'attachment' : 'inline'),
    'Content-Security-Policy': "default-src 'none'; sandbox",
  };
  if (isDoc) headers['Cache-Control'] = 'private, max-age=0';
  return headers;
}

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

export const IMAGE_MAX_DIMENSION = 4096;
export const THUMB_MAX_WIDTH = 400;
export const IMAGE_MAX_INPUT_PIXELS = 50_000_000;

export interface ProcessedImage {
  main: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
  mime: string;
  ext: string;
}

/**
 * Re-encodes an uploaded image so that what we store and serve is produced by us: orientation
 * applied, all metadata (EXIF incl. GPS, XMP, IPTC, comments) dropped — sharp writes none unless
 * asked with keepMetadata/withMetadata, which this never does — and bounded in size.
 * `opts.maxInputPixels` exists for tests.
 */
export async function processImage(
  buf: Buffer,
  opts: { maxInputPixels?: number } = {},
): Promise<ProcessedImage> {
  const limitInputPixels = opts.maxInputPixels ?? IMAGE_MAX_INPUT_PIXELS;
  // Check the signature ourselves before libvips sees the bytes: it would happily load SVG,
  // TIFF, HEIF, PDF… and only these four are allowed.
  const format = imageFormat(buf);
  // failOn stays at sharp's default ('warning'), which sharp recommends for untrusted input.
  // Only the first frame/page is read (sharp's default pages: 1).
  const input = () => sharp(buf, { limitInputPixels });

  let pipeline = input()
    .rotate() // apply the EXIF orientation; the tag itself is not written back
    .resize({
      width: IMAGE_MAX_DIMENSION,
      height: IMAGE_MAX_DIMENSION,
      fit: 'inside',
      withoutEnlargement: true,
    });
  let mime: string;
  let ext: string;
  switch (format) {
    case 'jpeg':
      pipeline = pipeline.jpeg({ quality: 85, mozjpeg: false });
      [mime, ext] = ['image/jpeg', 'jpg'];
      break;
    case 'png':
      pipeline = pipeline.png();
      [mime, ext] = ['image/png', 'png'];
      break;
    case 'webp':
      pipeline = pipeline.webp({ quality: 85 });
      [mime, ext] = ['image/webp', 'webp'];
      break;
    case 'gif':
      // GIF: only the first frame is kept (animation is dropped) and it is stored as PNG, which
      // is lossless and has no 256-colour limit.
      pipeline = pipeline.png();
      [mime, ext] = ['image/png', 'png'];
      break;
    default:
      throw new MediaError(
        'unsupported_media_type',
        '不支持的图片格式，请上传 JPG、PNG、GIF 或 WebP 图片。',
        'unsupported_image',
      );
  }

  try {
    const { data: main, info } = await pipeline.toBuffer({ resolveWithObject: true });
    const thumb = await sharp(main)
      .resize({ width: THUMB_MAX_WIDTH, withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    return { main, thumb, width: info.width, height: info.height, mime, ext };
  } catch (err) {
    throw toMediaError(err, limitInputPixels);
  }
}

function imageFormat(buf: Buffer): 'jpeg' | 'png' | 'gif' | 'webp' | undefined {
  const at = (offset: number, bytes: number[]) => bytes.every((b, i) => buf[offset + i] === b);
  if (at(0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (buf.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') {
    return 'webp';
  }
  return undefined;
}

function toMediaError(err: unknown, limit: number): MediaError {
  const message = err instanceof Error ? err.message : String(err);
  if (/pixel limit/i.test(message)) {
    return new MediaError(
      'payload_too_large',
      `图片像素过大（超过 ${Math.round(limit / 10_000)} 万像素），请缩小尺寸后再上传。`,
      'image_too_large',
    );
  }
  return new MediaError('bad_request', '图片文件已损坏或不完整，无法处理，请检查后重新上传。', 'corrupt_image');
}

// ---------------------------------------------------------------------------------------------
// Disk
// ---------------------------------------------------------------------------------------------

/**
 * Writes `data` to `file` so that readers see either the old file or the complete new one:
 * write to a temporary file next to it, fsync, rename into place. Parent directories are
 * created. On failure the temporary file is removed.
 */
export async function writeFileAtomic(file: string, data: Buffer): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.tmp-${crypto.randomBytes(6).toString('hex')}`;
  let created = false;
  try {
    const fh = await open(tmp, 'wx');
    created = true;
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    created = false;
  } catch (err) {
    if (created) await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDir(dir);
}

/** Makes the rename itself durable. Best effort: not every platform can fsync a directory. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // ignore
  }
}
