import { type Zippable, unzipSync, zipSync } from 'fflate';
import { hasControlChars, isAssetName, isTemplateName } from './names.js';

/**
 * Theme packages: a zip of `templates/<name>.liquid`, `assets/<file>` and an optional
 * `theme.json`. Reading is defensive — the zip comes from a browser:
 *
 * - the central directory is read first without inflating anything; every entry name is checked
 *   (no absolute paths, `..`, backslashes, drive letters or odd characters: zip-slip) and the
 *   declared uncompressed sizes are added up (at most 20 MB, 1 MB per template: zip bombs);
 * - only then are the template entries inflated, each into a buffer of its declared size (fflate
 *   never writes past it), so a lying header cannot make the server allocate more;
 * - the text must be valid UTF-8 with no NUL.
 */

export const ZIP_LIMITS = {
  maxEntries: 500,
  maxTotalUncompressed: 20 * 1024 * 1024,
  maxTemplateBytes: 1024 * 1024,
};

export interface ThemeZip {
  /** name → source. */
  templates: Map<string, string>;
  /** Entries that are valid but not imported (assets, theme.json, OS clutter). */
  ignored: string[];
}

export class ZipRejected extends Error {
  constructor(
    message: string,
    readonly entry: string | null = null,
  ) {
    super(message);
  }
}

interface EntryInfo {
  name: string;
  size: number;
  originalSize: number;
  compression: number;
}

const TEMPLATE_ENTRY = /^templates\/(.+)\.liquid$/;

/** Is this an entry name nobody should unpack (zip-slip), whatever it claims to be? */
export function isUnsafeEntryName(name: string): boolean {
  return (
    name.length === 0 ||
    name.length > 300 ||
    !name.isWellFormed() ||
    hasControlChars(name) ||
    /[\\:*?"<>|]/.test(name) ||
    name.startsWith('/') ||
    name.split('/').some((seg) => seg === '..' || seg === '.')
  );
}

/** Reads and checks a theme zip; throws ZipRejected with a Chinese message naming the entry. */
export function readThemeZip(data: Uint8Array): ThemeZip {
  // 1. The directory only: names and declared sizes, nothing inflated.
  const infos: EntryInfo[] = [];
  try {
    unzipSync(data, {
      filter(f) {
        if (infos.length >= ZIP_LIMITS.maxEntries) throw new ZipRejected(`主题包中的文件过多（最多 ${ZIP_LIMITS.maxEntries} 个）`);
        infos.push({ name: f.name, size: f.size, originalSize: f.originalSize, compression: f.compression });
        return false;
      },
    });
  } catch (e) {
    if (e instanceof ZipRejected) throw e;
    throw new ZipRejected('不是有效的 zip 文件');
  }

  const templates = new Map<string, string>();
  const ignored: string[] = [];
  const wanted = new Set<string>();
  const seen = new Set<string>();
  let total = 0;
  for (const f of infos) {
    if (isUnsafeEntryName(f.name)) throw new ZipRejected(`主题包含不安全的文件名：${printable(f.name)}`, printable(f.name));
    if (seen.has(f.name)) throw new ZipRejected(`主题包中有重复的文件：${f.name}`, f.name);
    seen.add(f.name);
    if (!Number.isFinite(f.originalSize) || f.originalSize < 0) throw new ZipRejected(`文件大小信息无效：${f.name}`, f.name);
    total += f.originalSize;
    if (total > ZIP_LIMITS.maxTotalUncompressed) throw new ZipRejected(`主题包解压后过大（最多 ${ZIP_LIMITS.maxTotalUncompressed / 1024 / 1024} MB）`, f.name);
    if (f.name.endsWith('/')) continue; // a directory
    if (f.name.startsWith('__MACOSX/') || f.name.endsWith('.DS_Store') || f.name === 'theme.json') {
      ignored.push(f.name);
      continue;
    }
    const m = TEMPLATE_ENTRY.exec(f.name);
    if (m) {
      if (!isTemplateName(m[1])) throw new ZipRejected(`模板名不合法：${f.name}（只允许小写字母、数字、/、_、-）`, f.name);
      if (f.compression !== 0 && f.compression !== 8) throw new ZipRejected(`不支持的压缩方式：${f.name}`, f.name);
      if (f.originalSize > ZIP_LIMITS.maxTemplateBytes) throw new ZipRejected(`模板文件过大：${f.name}`, f.name);
      wanted.add(f.name);
      continue;
    }
    if (f.name.startsWith('assets/') && isAssetName(f.name.slice('assets/'.length))) {
      ignored.push(f.name);
      continue;
    }
    throw new ZipRejected(`主题包中有不支持的文件：${f.name}（只能包含 templates/*.liquid、assets/* 和 theme.json）`, f.name);
  }

  // 2. Inflate the templates, each into a buffer of its declared size.
  let files: Record<string, Uint8Array>;
  try {
    files = wanted.size ? unzipSync(data, { filter: (f) => wanted.has(f.name) }) : {};
  } catch {
    throw new ZipRejected('zip 文件已损坏，无法解压');
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const entry of wanted) {
    const bytes = files[entry];
    if (!bytes) throw new ZipRejected(`无法读取：${entry}`, entry);
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new ZipRejected(`模板不是有效的 UTF-8 文本：${entry}`, entry);
    }
    if (text.includes('\u0000')) throw new ZipRejected(`模板包含空字符或文件已损坏：${entry}`, entry);
    templates.set(TEMPLATE_ENTRY.exec(entry)![1]!, text.startsWith('\uFEFF') ? text.slice(1) : text);
  }
  return { templates, ignored };
}

/** Builds a theme zip (deterministic for the same input and time). */
export function writeThemeZip(input: { templates: Map<string, string>; assets: Map<string, Uint8Array>; manifest: unknown; mtime: Date }): Uint8Array {
  const enc = new TextEncoder();
  const files: Zippable = {};
  const opts = { mtime: input.mtime };
  files['theme.json'] = [enc.encode(JSON.stringify(input.manifest, null, 2)), opts];
  for (const name of [...input.templates.keys()].sort()) files[`templates/${name}.liquid`] = [enc.encode(input.templates.get(name)!), opts];
  for (const name of [...input.assets.keys()].sort()) files[`assets/${name}`] = [input.assets.get(name)!, opts];
  return zipSync(files, { level: 6, mtime: input.mtime });
}

function printable(name: string): string {
  return Array.from(name.slice(0, 120))
    .map((c) => (c.isWellFormed() && !hasControlChars(c) ? c : '\uFFFD'))
    .join('');
}
