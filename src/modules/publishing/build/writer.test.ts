import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryManifest, PENDING } from './manifest.js';
import { Writer, listFiles, sha256 } from './writer.js';

let dir: string;
let manifest: MemoryManifest;
let writer: Writer;
const now = new Date('2026-11-20T02:00:00.000Z');
const page = (title: string) => `<!doctype html>\n<html lang="zh-CN"><head><title>${title}</title></head><body>${'发展改革'.repeat(50)}</body></html>\n`;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiyue-writer-'));
  manifest = new MemoryManifest();
  writer = new Writer({ publicDir: dir, manifest, clock: () => now, fsync: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const read = (p: string) => fs.readFileSync(path.join(dir, p));
const exists = (p: string) => fs.existsSync(path.join(dir, p));

describe('Writer', () => {
  it('writes a page with gzip and brotli siblings that decompress to it, and records all three in the manifest', async () => {
    const html = page('首页');
    const r = await writer.write([{ group: 'site:1:home', siteId: 1, files: [{ path: '/jyj/index.html', data: html }] }]);
    expect(r.written).toEqual(['/jyj/index.html', '/jyj/index.html.br', '/jyj/index.html.gz']);
    expect(read('/jyj/index.html').toString()).toBe(html);
    expect(zlib.gunzipSync(read('/jyj/index.html.gz')).toString()).toBe(html);
    expect(zlib.brotliDecompressSync(read('/jyj/index.html.br')).toString()).toBe(html);
    const rows = await manifest.all();
    expect(rows.map((x) => [x.path, x.group, x.siteId, x.size]).sort()).toEqual([
      ['/jyj/index.html', 'site:1:home', 1, Buffer.byteLength(html)],
      ['/jyj/index.html.br', 'site:1:home', 1, read('/jyj/index.html.br').length],
      ['/jyj/index.html.gz', 'site:1:home', 1, read('/jyj/index.html.gz').length],
    ]);
    for (const x of rows) expect(x.sha256).toBe(sha256(read(x.path)));
    expect((await listFiles(dir)).filter((p) => p.includes('.tmp-'))).toEqual([]);
  });

  it('does not precompress images', async () => {
    await writer.write([{ group: 'assets:default', siteId: null, files: [{ path: '/assets/default/logo.png', data: Buffer.from([1, 2, 3]) }] }]);
    expect(await listFiles(dir)).toEqual(['/assets/default/logo.png']);
  });

  it('writes nothing when the rendered bytes equal the manifest (mtime unchanged)', async () => {
    const out = [{ group: 'site:1:home', siteId: 1, files: [{ path: '/jyj/index.html', data: page('首页') }] }];
    await writer.write(out);
    const old = new Date('2020-01-01T00:00:00Z');
    for (const f of ['/jyj/index.html', '/jyj/index.html.gz', '/jyj/index.html.br']) fs.utimesSync(path.join(dir, f), old, old);
    const r = await writer.write(out);
    expect(r.written).toEqual([]);
    for (const f of ['/jyj/index.html', '/jyj/index.html.gz', '/jyj/index.html.br']) expect(fs.statSync(path.join(dir, f)).mtime.getTime()).toBe(old.getTime());
    // …but a changed page is written.
    const r2 = await writer.write([{ group: 'site:1:home', siteId: 1, files: [{ path: '/jyj/index.html', data: page('新首页') }] }]);
    expect(r2.written).toHaveLength(3);
    expect(read('/jyj/index.html').toString()).toContain('新首页');
  });

  it('rewrites a file that went missing even though the manifest still lists it', async () => {
    const out = [{ group: 'site:1:home', siteId: 1, files: [{ path: '/jyj/index.html', data: page('首页') }] }];
    await writer.write(out);
    fs.rmSync(path.join(dir, 'jyj'), { recursive: true });
    const r = await writer.write(out);
    expect(r.written).toHaveLength(3);
    expect(read('/jyj/index.html').toString()).toContain('首页');
  });

  it('never leaves half a file: a write that fails keeps the old page whole, removes its temporary file, and is redone next time', async () => {
    const out = (t: string) => [{ group: 'site:1:home', siteId: 1, files: [{ path: '/jyj/index.html', data: page(t) }] }];
    await writer.write(out('旧'));
    const real = fsp.rename.bind(fsp);
    const rename = vi.spyOn(fsp, 'rename').mockImplementation(async (from, to) => {
      if (String(to).endsWith('/jyj/index.html')) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      return real(from, to);
    });
    await expect(writer.write(out('新'))).rejects.toThrow('disk full');
    rename.mockRestore();
    expect(read('/jyj/index.html').toString()).toBe(page('旧'));
    expect((await listFiles(dir)).filter((p) => p.includes('.tmp-'))).toEqual([]);
    // The rows of the interrupted write are marked pending, so the same content is not skipped later.
    expect((await manifest.get(['/jyj/index.html'])).get('/jyj/index.html')?.sha256).toBe(PENDING);
    const r = await writer.write(out('旧'));
    expect(r.written).toContain('/jyj/index.html');
    expect(read('/jyj/index.html').toString()).toBe(page('旧'));
  });

  it('removes what a group no longer produces, with its siblings, rows and emptied folders', async () => {
    const list = (n: number) => ({
      group: 'column:5',
      siteId: 1,
      files: Array.from({ length: n }, (_, i) => ({ path: i === 0 ? '/jyj/gzdt/index.html' : `/jyj/gzdt/index_${i + 1}.html`, data: page(`第${i + 1}页`) })),
    });
    await writer.write([list(3), { group: 'article:9', siteId: 1, files: [{ path: '/jyj/gzdt/202611/t20261120_9.html', data: page('稿件') }] }]);
    expect(exists('/jyj/gzdt/index_3.html')).toBe(true);
    const r = await writer.write([list(2), { group: 'article:9', siteId: 1, files: [] }]);
    expect(r.removed).toEqual([
      '/jyj/gzdt/202611/t20261120_9.html',
      '/jyj/gzdt/202611/t20261120_9.html.br',
      '/jyj/gzdt/202611/t20261120_9.html.gz',
      '/jyj/gzdt/index_3.html',
      '/jyj/gzdt/index_3.html.br',
      '/jyj/gzdt/index_3.html.gz',
    ]);
    expect(exists('/jyj/gzdt/index_3.html')).toBe(false);
    expect(exists('/jyj/gzdt/index_2.html')).toBe(true);
    expect(exists('/jyj/gzdt/202611')).toBe(false);
    expect((await manifest.all()).map((x) => x.path).filter((p) => p.includes('index_3') || p.includes('t2026'))).toEqual([]);
  });

  it('does not remove a path another group has taken over', async () => {
    await writer.write([{ group: 'redirect:/jyj/a/x.html', siteId: 1, files: [{ path: '/jyj/a/x.html', data: page('跳转') }] }]);
    await writer.write([{ group: 'article:3', siteId: 1, files: [{ path: '/jyj/a/x.html', data: page('稿件') }] }]);
    const r = await writer.removeStale('redirect:/jyj/a/x.html', []);
    expect(r).toEqual([]);
    expect(read('/jyj/a/x.html').toString()).toContain('稿件');
    expect((await manifest.get(['/jyj/a/x.html'])).get('/jyj/a/x.html')?.group).toBe('article:3');
  });

  it('refuses paths that could leave public/ or hide a file', async () => {
    for (const p of ['/../etc/passwd', '/a/../../b.html', '/.htaccess', 'relative.html', '/a//b.html', '/a/b/', '/a\\b.html', '/%2e%2e/x']) {
      await expect(writer.write([{ group: 'article:1', siteId: 1, files: [{ path: p, data: 'x' }] }]), p).rejects.toThrow();
    }
    expect(await listFiles(dir)).toEqual([]);
  });
});
