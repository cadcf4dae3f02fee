import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StaticCache, normaliseFile } from './cache.js';
import { writePublic } from './testing.js';

let dir: string;
let clock: number;
const now = () => clock;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiyue-cache-'));
  clock = 1_000_000;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const page = (n: number, size = 3000) => `<p>第${n}页</p>${'x'.repeat(size)}`;

describe('the page cache', () => {
  it('keeps the total bytes under its bound, evicting the least recently used first', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`/p${i}.txt`] = page(i);
    writePublic(dir, files, { siblings: false });
    // Each entry costs ~3 KB raw + small compressed variants + 1 KB overhead: room for about four.
    const cache = new StaticCache(path.join(dir, 'public'), { maxBytes: 18_000, now });
    for (let i = 0; i < 4; i++) expect((await cache.lookup(`/p${i}.txt`)).kind).toBe('file');
    expect(cache.stats().entries).toBe(4);
    cache.peek('/p0.txt'); // p0 used again: p1 is now the least recently used
    for (let i = 4; i < 10; i++) {
      await cache.lookup(`/p${i}.txt`);
      expect(cache.stats().bytes).toBeLessThanOrEqual(18_000);
    }
    expect(cache.has('/p9.txt')).toBe(true);
    expect(cache.has('/p1.txt')).toBe(false);
    const kept = [...Array(10).keys()].filter((i) => cache.has(`/p${i}.txt`));
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(kept.length).toBeLessThanOrEqual(5);
  });

  it('streams files larger than the per-entry limit instead of keeping them', async () => {
    writePublic(dir, { '/big.pdf': Buffer.alloc(5000, 1), '/small.pdf': Buffer.alloc(10, 1) });
    const cache = new StaticCache(path.join(dir, 'public'), { maxBytes: 100_000, maxEntryBytes: 4096, now });
    const big = await cache.lookup('/big.pdf');
    expect(big.kind).toBe('large');
    expect(cache.has('/big.pdf')).toBe(false);
    expect((await cache.lookup('/small.pdf')).kind).toBe('file');
  });

  it('compares a cached file with the disk at most once per second', async () => {
    writePublic(dir, { '/a.html': '<p>一</p>' });
    const cache = new StaticCache(path.join(dir, 'public'), { now });
    expect(cache.peek('/a.html')).toBeUndefined();
    const first = await cache.lookup('/a.html');
    expect(first.kind === 'file' && first.entry.raw.toString()).toBe('<p>一</p>');
    writePublic(dir, { '/a.html': '<p>二二</p>' });
    clock += 999;
    expect(cache.peek('/a.html')?.raw.toString()).toBe('<p>一</p>');
    clock += 1;
    expect(cache.peek('/a.html')).toBeUndefined(); // due for a look at the disk
    const second = await cache.lookup('/a.html');
    expect(second.kind === 'file' && second.entry.raw.toString()).toBe('<p>二二</p>');
    expect(second.kind === 'file' && first.kind === 'file' && second.entry.etag !== first.entry.etag).toBe(true);
  });

  it('remembers missing files and directories for a second', async () => {
    fs.mkdirSync(path.join(dir, 'public', 'd'), { recursive: true });
    const cache = new StaticCache(path.join(dir, 'public'), { now });
    expect((await cache.lookup('/d')).kind).toBe('dir');
    expect((await cache.lookup('/n.html')).kind).toBe('missing');
    writePublic(dir, { '/n.html': 'now here' });
    expect((await cache.lookup('/n.html')).kind).toBe('missing');
    clock += 1000;
    expect((await cache.lookup('/n.html')).kind).toBe('file');
  });

  it('forgets paths on invalidate, and a load that raced an invalidate is not kept', async () => {
    writePublic(dir, { '/a.html': 'v1', '/b/index.html': 'b1' });
    const cache = new StaticCache(path.join(dir, 'public'), { now });
    await cache.lookup('/a.html');
    await cache.lookup('/b/index.html');
    cache.invalidate(['/a.html', '/b/']);
    expect(cache.has('/a.html')).toBe(false);
    expect(cache.has('/b/index.html')).toBe(false);
    expect(cache.stats().bytes).toBe(0);
    const racing = cache.lookup('/a.html');
    cache.invalidate(['/a.html']);
    expect((await racing).kind).toBe('file');
    expect(cache.has('/a.html')).toBe(false);
    await cache.lookup('/a.html');
    cache.invalidate();
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('compresses text itself when the publisher left no siblings, and uses valid siblings as they are', async () => {
    const html = '<p>政务公开</p>'.repeat(200);
    writePublic(dir, { '/plain.html': html }, { siblings: false });
    writePublic(dir, { '/sib.html': html });
    const cache = new StaticCache(path.join(dir, 'public'), { now });
    const plain = await cache.lookup('/plain.html');
    if (plain.kind !== 'file') throw new Error('expected a file');
    expect(zlib.gunzipSync(plain.entry.gzip!).toString()).toBe(html);
    expect(zlib.brotliDecompressSync(plain.entry.br!).toString()).toBe(html);
    const sib = await cache.lookup('/sib.html');
    if (sib.kind !== 'file') throw new Error('expected a file');
    expect(sib.entry.gzip!.equals(fs.readFileSync(path.join(dir, 'public/sib.html.gz')))).toBe(true);
    expect(sib.entry.br!.equals(fs.readFileSync(path.join(dir, 'public/sib.html.br')))).toBe(true);
    expect(sib.entry.variants.br!.headers['Content-Encoding']).toBe('br');
    expect(sib.entry.variants.gzip!.etag).toBe(`${sib.entry.etag.slice(0, -1)}-gz"`);
  });

  it('never reads outside its root', async () => {
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');
    const cache = new StaticCache(path.join(dir, 'public'), { now });
    expect(cache.absPath('/../secret.txt')).toBeNull();
    expect((await cache.lookup('/../secret.txt')).kind).toBe('missing');
  });

  it('normalises the paths given to invalidate', () => {
    expect(normaliseFile('/a/')).toBe('/a/index.html');
    expect(normaliseFile('a/b.html')).toBe('/a/b.html');
  });
});
