import crypto from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  PASSWORD,
  type TestApp,
  anonymousClient,
  countRows,
  createTestApp,
  loginAs,
  makeColumn,
  makeSite,
  makeUser,
} from '../../../test/helpers.js';
import type { Ctx } from '../../lib/ctx.js';
import { uploadMedia } from './commands/uploadMedia.js';
import { contentDisposition } from './files.js';
import { IMAGE_CACHE, etagMatches } from './serve.js';
import * as media from './index.js';
import { storedPaths } from './storage.js';

// ---------------------------------------------------------------------------------------------
// App and fixtures
// ---------------------------------------------------------------------------------------------

const solid = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } });

function minimalPdf(): Buffer {
  const objects = [
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const o of objects) {
    offsets.push(body.length);
    body += o;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function peExe(): Buffer {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const MB = 1024 * 1024;

interface Part {
  data: Buffer;
  name: string;
  field?: string;
}

/** A multipart/form-data body made the way a browser makes it (FormData), as bytes + content type. */
async function multipart(files: Part[], fields: Record<string, string> = {}): Promise<{ body: Buffer; contentType: string }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const f of files) fd.append(f.field ?? 'file', new Blob([f.data]), f.name);
  const r = new Response(fd);
  return { body: Buffer.from(await r.arrayBuffer()), contentType: r.headers.get('content-type')! };
}

async function upload(c: Client, file: Part | Part[] | null, fields: Record<string, string> = {}) {
  const { body, contentType } = await multipart(file === null ? [] : Array.isArray(file) ? file : [file], fields);
  return c.request('POST', '/api/v1/media', body, { 'content-type': contentType });
}

/** Every file under <dataDir>/media (relative paths). */
function mediaFiles(t: TestApp): string[] {
  const dir = path.join(t.dataDir, 'media');
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => fs.statSync(path.join(dir, p)).isFile()).sort();
}

/** GET with the raw bytes of the answer (the test client decodes bodies as text). */
const fetchRaw = (t: TestApp, url: string, headers: Record<string, string> = {}) => t.jiyue.app.inject({ method: 'GET', url, headers });

const rowOf = (t: TestApp, id: number) => t.store.db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

let t: TestApp;
let siteA: number;
let siteB: number;
let editorAId: number;
let editorA: Client;
let editorB: Client;
let reviewerA: Client;
let sysadmin: Client;
let secadmin: Client;
let png: Buffer;
let pngWithExif: Buffer;
let jpegWithGps: Buffer;
const pdf = minimalPdf();

beforeAll(async () => {
  t = await createTestApp();
  siteA = await makeSite(t.store, 'media-a');
  siteB = await makeSite(t.store, 'media-b');
  editorAId = await makeUser(t.store, 'ed-a', [{ role: 'editor', siteId: siteA }]);
  await makeUser(t.store, 'ed-b', [{ role: 'editor', siteId: siteB }]);
  await makeUser(t.store, 'rev-a', [{ role: 'reviewer', siteId: siteA }]);
  await makeUser(t.store, 'sys', [{ role: 'sysadmin' }]);
  await makeUser(t.store, 'sec', [{ role: 'secadmin' }]);
  editorA = await loginAs(t, 'ed-a');
  editorB = await loginAs(t, 'ed-b');
  reviewerA = await loginAs(t, 'rev-a');
  sysadmin = await loginAs(t, 'sys');
  secadmin = await loginAs(t, 'sec');
  png = await solid(20, 10, '#ff0000').png().toBuffer();
  pngWithExif = await solid(20, 10, '#ff0000').png().withExif({ IFD0: { Copyright: 'png-secret-exif' } }).toBuffer();
  jpegWithGps = await solid(40, 30, '#336699')
    .jpeg()
    .withExif({ IFD0: { Make: 'camera-secret' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 2700/100', GPSMapDatum: 'gps-secret-datum' } })
    .toBuffer();
});
afterAll(() => t.close());

/** Asserts that `work` adds no media row and no file under media/. */
async function expectNothingStored(work: () => Promise<unknown>): Promise<void> {
  const rows = await countRows(t.store, 'media');
  const files = mediaFiles(t);
  await work();
  expect(await countRows(t.store, 'media')).toBe(rows);
  expect(mediaFiles(t)).toEqual(files);
}

// ---------------------------------------------------------------------------------------------
// Upload
// ---------------------------------------------------------------------------------------------

describe('POST /api/v1/media', () => {
  it('stores a PNG re-encoded without its EXIF, a WebP thumbnail beside it, and audits the upload', async () => {
    expect(pngWithExif.includes('png-secret-exif')).toBe(true);
    const res = await upload(editorA, { data: pngWithExif, name: '红色方块.png' }, { siteId: String(siteA), alt: '  红色方块  ' });
    expect(res.status).toBe(201);
    const id = res.body.id as number;
    expect(res.body).toEqual({
      id,
      siteId: siteA,
      kind: 'image',
      originalName: '红色方块.png',
      mime: 'image/png',
      ext: 'png',
      size: expect.any(Number),
      width: 20,
      height: 10,
      alt: '红色方块',
      url: `/media/${id}`,
      thumbnailUrl: `/media/${id}/thumb`,
      createdAt: '2026-11-20T02:00:00.000Z',
      createdBy: editorAId,
    });

    const row = await rowOf(t, id);
    expect(row.stored_name).toMatch(/^2026\/11\/[0-9a-f]{32}\.png$/);
    const paths = storedPaths(t.dataDir, row.stored_name)!;
    expect(paths.main.startsWith(path.join(t.dataDir, 'media') + path.sep)).toBe(true);
    const stored = fs.readFileSync(paths.main);
    expect(stored.includes('png-secret-exif')).toBe(false);
    expect(stored.equals(pngWithExif)).toBe(false); // re-encoded by us, not the uploaded bytes
    const meta = await sharp(stored).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['png', 20, 10, undefined]);
    expect(row.sha256).toBe(sha(stored));
    expect(row.size).toBe(stored.length);
    expect(res.body.size).toBe(stored.length);

    expect(paths.thumb).toBe(paths.main.replace(/\.png$/, '.thumb.webp'));
    expect((await sharp(fs.readFileSync(paths.thumb)).metadata()).format).toBe('webp');

    const entry = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'media.upload').where('target_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(entry.site_id).toBe(siteA);
    expect(entry.actor_name).toBe('ed-a');
    expect(JSON.parse(entry.after!)).toEqual({ originalName: '红色方块.png', size: stored.length, kind: 'image', sha256: row.sha256 });
  });

  it('serves the image publicly, inline, with ETag, immutable caching and nosniff; 304 on If-None-Match', async () => {
    const up = await upload(editorA, { data: png, name: 'a.png' }, { siteId: String(siteA), alt: '示例' });
    const id = up.body.id as number;
    const row = await rowOf(t, id);
    const paths = storedPaths(t.dataDir, row.stored_name)!;

    const res = await fetchRaw(t, `/media/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.equals(fs.readFileSync(paths.main))).toBe(true);
    expect(res.headers.etag).toBe(`"${row.sha256}"`);
    expect(res.headers['cache-control']).toBe(IMAGE_CACHE);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(res.headers['content-disposition']).toBe(contentDisposition('a.png', 'inline'));
    expect(Number(res.headers['content-length'])).toBe(row.size);
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin'); // embeddable by the cluster's other hosts

    const again = await fetchRaw(t, `/media/${id}`, { 'if-none-match': `"${row.sha256}"` });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect(again.headers.etag).toBe(`"${row.sha256}"`);
    expect(again.headers['cache-control']).toBe(IMAGE_CACHE);
    expect((await fetchRaw(t, `/media/${id}`, { 'if-none-match': `"other", W/"${row.sha256}"` })).statusCode).toBe(304);
    expect((await fetchRaw(t, `/media/${id}`, { 'if-none-match': '"something-else"' })).statusCode).toBe(200);

    const thumb = await fetchRaw(t, `/media/${id}/thumb`);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(thumb.rawPayload.equals(fs.readFileSync(paths.thumb))).toBe(true);
    expect(thumb.headers['x-content-type-options']).toBe('nosniff');
    expect(thumb.headers['cache-control']).toBe(IMAGE_CACHE);
    expect(thumb.headers['content-disposition']).toBe(contentDisposition('a.webp', 'inline'));
    expect(thumb.headers.etag).not.toBe(res.headers.etag);
    expect((await fetchRaw(t, `/media/${id}/thumb`, { 'if-none-match': String(thumb.headers.etag) })).statusCode).toBe(304);
  });

  it('strips EXIF, GPS included, from a JPEG', async () => {
    expect(jpegWithGps.includes('gps-secret-datum')).toBe(true);
    expect((await sharp(jpegWithGps).metadata()).exif).toBeDefined();
    const res = await upload(editorA, { data: jpegWithGps, name: 'IMG_2041.JPG' }, { siteId: String(siteA), alt: '现场照片' });
    expect(res.status).toBe(201);
    expect([res.body.mime, res.body.ext, res.body.width, res.body.height]).toEqual(['image/jpeg', 'jpg', 40, 30]);
    const row = await rowOf(t, res.body.id);
    const paths = storedPaths(t.dataDir, row.stored_name)!;
    for (const file of [paths.main, paths.thumb]) {
      const bytes = fs.readFileSync(file);
      expect(bytes.includes('gps-secret-datum')).toBe(false);
      expect(bytes.includes('camera-secret')).toBe(false);
      expect((await sharp(bytes).metadata()).exif).toBeUndefined();
    }
    const served = await fetchRaw(t, `/media/${row.id}`);
    expect(served.rawPayload.includes('gps-secret-datum')).toBe(false);
  });

  it('downloads a PDF as an attachment under its Chinese name, byte for byte, with nosniff', async () => {
    const name = '2026年工作报告（定稿）.pdf';
    const res = await upload(editorA, { data: pdf, name }, { siteId: String(siteA) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'document', mime: 'application/pdf', ext: 'pdf', originalName: name, alt: '', width: null, height: null, thumbnailUrl: null, size: pdf.length });
    const row = await rowOf(t, res.body.id);
    expect(row.sha256).toBe(sha(pdf));

    const dl = await fetchRaw(t, res.body.url);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-disposition']).toBe(
      'attachment; filename="2026_________.pdf"; ' +
        "filename*=UTF-8''2026%E5%B9%B4%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A%EF%BC%88%E5%AE%9A%E7%A8%BF%EF%BC%89.pdf",
    );
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['cache-control']).toBe('private, max-age=0');
    expect(dl.headers.etag).toBe(`"${sha(pdf)}"`);
    expect(dl.rawPayload.equals(pdf)).toBe(true);
    expect((await fetchRaw(t, res.body.url, { 'if-none-match': `"${sha(pdf)}"` })).statusCode).toBe(304);

    const thumb = await fetchRaw(t, `/media/${row.id}/thumb`);
    expect(thumb.statusCode).toBe(404);
    expect(JSON.parse(thumb.body).error.code).toBe('not_found');
  });

  it('refuses an executable renamed .jpg (415) and stores nothing', async () => {
    await expectNothingStored(async () => {
      const res = await upload(editorA, { data: peExe(), name: 'photo.jpg' }, { siteId: String(siteA), alt: '照片' });
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
      expect(res.body.error.message).toMatch(/可执行程序/);
    });
  });

  it('refuses SVG (415), even with an image name, and stores nothing', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>');
    await expectNothingStored(async () => {
      for (const name of ['logo.svg', 'logo.png']) {
        const res = await upload(editorA, { data: svg, name }, { siteId: String(siteA), alt: '标志' });
        expect(res.status).toBe(415);
        expect(res.body.error.code).toBe('unsupported_media_type');
      }
    });
  });

  it('requires an alt text of at most 200 characters for images (400) and stores nothing', async () => {
    await expectNothingStored(async () => {
      for (const fields of [{ siteId: String(siteA) }, { siteId: String(siteA), alt: '   ' }] as Array<Record<string, string>>) {
        const res = await upload(editorA, { data: png, name: 'a.png' }, fields);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        expect(res.body.error.message).toContain('图片须填写替代文本（alt）');
        expect(res.body.error.details.issues[0].path).toBe('alt');
      }
      const long = await upload(editorA, { data: png, name: 'a.png' }, { siteId: String(siteA), alt: '长'.repeat(201) });
      expect(long.status).toBe(400);
      expect(long.body.error.details.issues[0].path).toBe('alt');
      const huge = await upload(editorA, { data: png, name: 'a.png' }, { siteId: String(siteA), alt: 'x'.repeat(10_240) });
      expect(huge.status).toBe(400);
      const nul = await upload(editorA, { data: png, name: 'a.png' }, { siteId: String(siteA), alt: 'a\u0000b' });
      expect(nul.status).toBe(400);
    });
  });

  it('refuses a 51 MB document (413) and stores nothing', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(51 * MB, 0x20)]);
    await expectNothingStored(async () => {
      const res = await upload(editorA, { data: big, name: '大文件.pdf' }, { siteId: String(siteA) });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(res.body.error.message).toBe('文件过大，上传上限为 50 MB。'); // stopped while reading, not after
    });
  });

  it('over a real connection, stops reading an oversize body near the limit and still answers 413', async () => {
    await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.jiyue.app.server.address() as AddressInfo;
    const login = await t.jiyue.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ed-a', password: PASSWORD } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const csrf = JSON.parse(login.body).csrfToken as string;
    const boundary = 'jiyue-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="siteId"\r\n\r\n${siteA}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
    );
    const total = 200 * MB;
    await expectNothingStored(async () => {
      const result = await new Promise<{ response: string; sent: number }>((resolve) => {
        const sock = net.connect(port, '127.0.0.1');
        let response = '';
        let sent = 0;
        sock.on('data', (d) => (response += d.toString('latin1')));
        sock.on('close', () => resolve({ response, sent }));
        sock.on('error', () => undefined); // the server closes while we are still sending
        sock.write(
          `POST /api/v1/media HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\nX-CSRF-Token: ${csrf}\r\n` +
            `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${head.length + total}\r\n\r\n`,
        );
        sock.write(head);
        const chunk = Buffer.alloc(MB, 0x20);
        const pump = () => {
          while (sent < total && !sock.destroyed) {
            sent += chunk.length;
            if (!sock.write(chunk)) return void sock.once('drain', pump);
          }
        };
        pump();
      });
      expect(result.sent).toBeLessThan(100 * MB); // reading stopped near 50 MB, not at the end of the body
      expect(result.response).toMatch(/^HTTP\/1\.1 413 /);
      expect(result.response).toMatch(/"payload_too_large"/);
    });
  });

  it('refuses an image over the 10 MB image limit (413) and stores nothing', async () => {
    const big = Buffer.concat([png, Buffer.alloc(11 * MB)]); // a real PNG, padded after IEND
    await expectNothingStored(async () => {
      const res = await upload(editorA, { data: big, name: 'big.png' }, { siteId: String(siteA), alt: '大图' });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
      expect(res.body.error.message).toMatch(/图片不能超过 10 MB/);
    });
  });

  it('applies lower limits given to the command (documents and images alike)', async () => {
    const limits = { imageBytes: 1000, documentBytes: 2000 };
    await expectNothingStored(async () => {
      const doc = await uploadMedia(commandCtx(), { siteId: siteA, alt: '', fileName: 'a.pdf', data: Buffer.concat([pdf, Buffer.alloc(2000, 0x20)]) }, limits);
      expect(doc.ok || doc.code).toBe('payload_too_large');
      const image = await uploadMedia(commandCtx(), { siteId: siteA, alt: '图', fileName: 'a.png', data: Buffer.concat([png, Buffer.alloc(1000)]) }, limits);
      expect(image.ok || image.code).toBe('payload_too_large');
      if (!image.ok) expect(image.message).toMatch(/图片不能超过/);
    });
  });

  it('answers a request that is not multipart, or not a readable one, with the error shape', async () => {
    await expectNothingStored(async () => {
      const json = await editorA.post('/api/v1/media', { siteId: siteA, alt: 'x', file: 'aGVsbG8=' });
      expect(json.status).toBe(415);
      expect(json.body.error.code).toBe('unsupported_media_type');
      expect(json.body.error.message).toMatch(/multipart/);

      const noBoundary = await editorA.request('POST', '/api/v1/media', Buffer.from('hello'), { 'content-type': 'multipart/form-data' });
      expect(noBoundary.status).toBe(400);
      expect(noBoundary.body.error.code).toBe('bad_request');

      const { body, contentType } = await multipart([{ data: pdf, name: 'a.pdf' }], { siteId: String(siteA) });
      const truncated = await editorA.request('POST', '/api/v1/media', body.subarray(0, body.length - 60), { 'content-type': contentType });
      expect(truncated.status).toBe(400);
      expect(truncated.body.error.code).toBe('bad_request');

      const noFile = await upload(editorA, null, { siteId: String(siteA), alt: 'x' });
      expect(noFile.status).toBe(400);
      expect(noFile.body.error.details.issues[0].path).toBe('file');

      const wrongField = await upload(editorA, { data: pdf, name: 'a.pdf', field: 'attachment' }, { siteId: String(siteA) });
      expect(wrongField.status).toBe(400);
      expect(wrongField.body.error.code).toBe('bad_request');

      const two = await upload(editorA, [{ data: pdf, name: 'a.pdf' }, { data: pdf, name: 'b.pdf' }], { siteId: String(siteA) });
      expect(two.status).toBe(413);
      expect(two.body.error.code).toBe('payload_too_large');

      const unknownField = await upload(editorA, { data: pdf, name: 'a.pdf' }, { siteId: String(siteA), title: 'x' });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.error.code).toBe('validation_failed');

      const badSite = await upload(editorA, { data: pdf, name: 'a.pdf' }, { siteId: "1'; DROP TABLE sites;--" });
      expect(badSite.status).toBe(400);
      expect(await countRows(t.store, 'sites')).toBeGreaterThanOrEqual(2);

      const empty = await upload(editorA, { data: Buffer.alloc(0), name: 'empty.pdf' }, { siteId: String(siteA) });
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toMatch(/0 字节/);

      const corrupt = await upload(editorA, { data: png.subarray(0, 60), name: 'broken.png' }, { siteId: String(siteA), alt: '坏图' });
      expect(corrupt.status).toBeGreaterThanOrEqual(400);
      expect(corrupt.status).toBeLessThan(500);
    });
  });

  it('asks anonymous callers to log in (401) and stores nothing', async () => {
    await expectNothingStored(async () => {
      const res = await upload(anonymousClient(t), { data: pdf, name: 'a.pdf' }, { siteId: String(siteA) });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthenticated');
    });
  });

  it('refuses an editor of another site and a reviewer without upload rights (403), storing nothing', async () => {
    await expectNothingStored(async () => {
      const other = await upload(editorB, { data: png, name: 'a.png' }, { siteId: String(siteA), alt: '图' });
      expect(other.status).toBe(403);
      expect(other.body.error.code).toBe('forbidden');
      // Fields first: refused before the file is read, so even a broken file part gets the 403.
      const { body, contentType } = await multipart([{ data: pdf, name: 'a.pdf' }], { siteId: String(siteA) });
      const early = await editorB.request('POST', '/api/v1/media', body.subarray(0, body.length - 60), { 'content-type': contentType });
      expect(early.status).toBe(403);
      const late = await lateFieldsBody(siteA);
      const fieldsAfterFile = await editorB.request('POST', '/api/v1/media', late.body, { 'content-type': late.contentType });
      expect(fieldsAfterFile.status).toBe(403);
      const reviewer = await upload(reviewerA, { data: pdf, name: 'a.pdf' }, { siteId: String(siteA) });
      expect(reviewer.status).toBe(403);
      const noSuchSite = await upload(editorA, { data: pdf, name: 'a.pdf' }, { siteId: '999999' });
      expect(noSuchSite.status).toBe(403);
    });
  });

  it('needs the site unless the caller is the system administrator, who uploads shared media', async () => {
    await expectNothingStored(async () => {
      const res = await upload(editorA, { data: pdf, name: 'a.pdf' }, {});
      expect(res.status).toBe(400);
      expect(res.body.error.details.issues[0].path).toBe('siteId');
      expect((await upload(editorA, { data: pdf, name: 'a.pdf' }, { siteId: '' })).status).toBe(400);
    });
    const shared = await upload(sysadmin, { data: pdf, name: '共享文件.pdf' }, {});
    expect(shared.status).toBe(201);
    expect(shared.body.siteId).toBeNull();
  });

  it('stores hostile file names safely: no path from the name, no markup, bounded length', async () => {
    const before = new Set(mediaFiles(t));
    const cases: Array<[string, string | RegExp]> = [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\windows\\win.ini', 'win.ini'],
      ['<script>.pdf', 'script.pdf'],
      ['<script>alert(1)</script>.pdf', 'script.pdf'], // "</" is a path separator to the parser: only the last part counts
      ["'; DROP TABLE sites;--.pdf", "'; DROP TABLE sites;--.pdf"],
      ['年终总结🎉👨‍👩‍👧.pdf', '年终总结🎉👨‍👩‍👧.pdf'],
      [`${'报'.repeat(300)}.pdf`, /^报{196}\.pdf$/],
      ['a\r\nSet-Cookie: x=1.pdf', 'a%0D%0ASet-Cookie x=1.pdf'], // FormData escapes the line break; ':' is dropped
    ];
    const sites = await countRows(t.store, 'sites');
    for (const [name, expected] of cases) {
      const res = await upload(editorA, { data: pdf, name }, { siteId: String(siteA) });
      expect(res.status, name).toBe(201);
      if (typeof expected === 'string') expect(res.body.originalName).toBe(expected);
      else expect(res.body.originalName).toMatch(expected);
      expect([...res.body.originalName].length).toBeLessThanOrEqual(200);
      const row = await rowOf(t, res.body.id);
      expect(row.stored_name).toMatch(/^\d{4}\/\d{2}\/[0-9a-f]{32}\.pdf$/);
      const dl = await fetchRaw(t, `/media/${row.id}`);
      expect(dl.statusCode).toBe(200);
      expect(String(dl.headers['content-disposition'])).not.toMatch(/[\r\n<>]/);
      expect(dl.headers['set-cookie']).toBeUndefined();
    }
    expect(await countRows(t.store, 'sites')).toBe(sites);
    const added = mediaFiles(t).filter((f) => !before.has(f));
    expect(added).toHaveLength(cases.length);
    for (const f of added) expect(f.split(path.sep).join('/')).toMatch(/^\d{4}\/\d{2}\/[0-9a-f]{32}\.pdf$/);
    expect(fs.existsSync(path.join(t.dataDir, 'etc'))).toBe(false);
    expect(fs.readdirSync(t.dataDir).filter((f) => !f.startsWith('db.sqlite'))).toEqual(['media']);
  });

  it('removes the written files when the row cannot be inserted', async () => {
    // A user id no row has: the insert's foreign key fails after the files are written.
    const ctx = commandCtx({ kind: 'user', id: 999_999, username: 'ghost', displayName: 'ghost', grants: [{ id: 1, role: 'editor', siteId: siteA, columnId: null, columnIdPath: null, reviewLevel: null }], via: 'token', mustChangePassword: false });
    await expectNothingStored(async () => {
      await expect(uploadMedia(ctx, { siteId: siteA, alt: '图', fileName: 'a.png', data: png })).rejects.toThrow();
    });
  });
});

/** A form whose file comes before its fields (the early permission check cannot apply). */
async function lateFieldsBody(siteId: number): Promise<{ body: Buffer; contentType: string }> {
  const fd = new FormData();
  fd.append('file', new Blob([pdf]), 'late.pdf');
  fd.append('siteId', String(siteId));
  const r = new Response(fd);
  return { body: Buffer.from(await r.arrayBuffer()), contentType: r.headers.get('content-type')! };
}

/** A context for calling commands directly (as the system would), by default as a site-A editor. */
function commandCtx(actor?: Ctx['actor']): Ctx {
  return {
    store: t.store,
    db: t.store.db,
    dialect: t.store.dialect,
    config: t.config,
    actor: actor ?? { kind: 'user', id: editorAId, username: 'ed-a', displayName: 'ed-a', grants: [{ id: 1, role: 'editor', siteId: siteA, columnId: null, columnIdPath: null, reviewLevel: null }], via: 'token', mustChangePassword: false },
    ip: null,
    now: t.now.value,
    log: pino({ level: 'silent' }),
    lang: 'zh-CN',
  };
}

// ---------------------------------------------------------------------------------------------
// Serving
// ---------------------------------------------------------------------------------------------

describe('GET /media/:id', () => {
  it('is in the route table as public routes', () => {
    for (const url of ['/media/:id', '/media/:id/thumb']) {
      const r = t.jiyue.router.routes.find((x) => x.url === url && x.method === 'GET');
      expect(r?.auth, url).toBe('public');
    }
  });

  it('cannot be walked out of media/: traversal attempts are 400/404, never a file', async () => {
    const up = await upload(editorA, { data: pdf, name: 'x.pdf' }, { siteId: String(siteA) });
    expect(up.status).toBe(201);
    for (const url of [
      '/media/..%2F..%2Fetc%2Fpasswd',
      '/media/1/../../x',
      '/media/..%2f..%2fdb.sqlite',
      `/media/${up.body.id}%2F..%2F..%2Fdb.sqlite`,
      '/media/%2e%2e/thumb',
      '/media/1%00',
      '/media/-1',
      '/media/1e3',
      '/media/99999999999',
      '/media/abc',
    ]) {
      const res = await fetchRaw(t, url);
      expect([400, 404], url).toContain(res.statusCode);
      expect(res.body).not.toMatch(/root:|SQLite format/);
    }
  });

  it('answers 404 for an unknown id, and for a row whose file has gone, never 500', async () => {
    expect((await fetchRaw(t, '/media/987654')).statusCode).toBe(404);
    const up = await upload(editorA, { data: png, name: 'gone.png' }, { siteId: String(siteA), alt: '消失' });
    const paths = storedPaths(t.dataDir, (await rowOf(t, up.body.id)).stored_name)!;
    fs.rmSync(paths.main);
    fs.rmSync(paths.thumb);
    expect((await fetchRaw(t, `/media/${up.body.id}`)).statusCode).toBe(404);
    expect((await fetchRaw(t, `/media/${up.body.id}/thumb`)).statusCode).toBe(404);
  });

  it('answers HEAD with the headers and no body', async () => {
    const up = await upload(editorA, { data: pdf, name: 'head.pdf' }, { siteId: String(siteA) });
    const res = await t.jiyue.app.inject({ method: 'HEAD', url: `/media/${up.body.id}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(`"${sha(pdf)}"`);
    expect(res.rawPayload.length).toBe(0);
  });

  it('is described in the OpenAPI document (the API half; public file URLs are not API)', async () => {
    const doc = JSON.parse((await t.jiyue.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).body);
    expect(doc.paths['/api/v1/media'].post.requestBody.content['multipart/form-data']).toBeDefined();
    expect(Object.keys(doc.paths['/api/v1/media/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
  });

  it('offers no listing of the files', async () => {
    for (const url of ['/media', '/media/', '/media/2026/', '/media/2026/11/']) {
      const res = await fetchRaw(t, url);
      expect([400, 404], url).toContain(res.statusCode);
      expect(res.body).not.toMatch(/[0-9a-f]{32}/);
    }
  });

  it('compares entity tags weakly and accepts *', () => {
    expect(etagMatches('"abc"', '"abc"')).toBe(true);
    expect(etagMatches('W/"abc"', '"abc"')).toBe(true);
    expect(etagMatches('"x", "abc"', '"abc"')).toBe(true);
    expect(etagMatches('*', '"abc"')).toBe(true);
    expect(etagMatches('"abcd"', '"abc"')).toBe(false);
    expect(etagMatches(undefined, '"abc"')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Library: list, read, edit, delete
// ---------------------------------------------------------------------------------------------

describe('the media library API', () => {
  let imageA: number;
  let docA: number;
  let docB: number;
  let shared: number;

  beforeAll(async () => {
    imageA = (await upload(editorA, { data: png, name: '库-图片_100%.png' }, { siteId: String(siteA), alt: '库图' })).body.id;
    docA = (await upload(editorA, { data: pdf, name: '库-通知.pdf' }, { siteId: String(siteA) })).body.id;
    docB = (await upload(editorB, { data: pdf, name: '库-B站文件.pdf' }, { siteId: String(siteB) })).body.id;
    shared = (await upload(sysadmin, { data: pdf, name: '库-共享.pdf' }, {})).body.id;
    for (const id of [imageA, docA, docB, shared]) expect(id).toBeGreaterThan(0);
  });

  const ids = (body: any): number[] => body.items.map((m: any) => m.id);

  it('lists the files of the caller’s sites plus shared ones, never another site’s', async () => {
    const res = await editorA.get('/api/v1/media?q=库-&pageSize=100');
    expect(res.status).toBe(200);
    expect(ids(res.body).sort()).toEqual([imageA, docA, shared].sort());
    expect(res.body.total).toBe(3);
    expect(ids(res.body)).toEqual([...ids(res.body)].sort((a, b) => b - a)); // newest first
    const b = await editorB.get('/api/v1/media?q=库-&pageSize=100');
    expect(ids(b.body).sort()).toEqual([docB, shared].sort());
    const all = await sysadmin.get('/api/v1/media?q=库-&pageSize=100');
    expect(ids(all.body).sort()).toEqual([imageA, docA, docB, shared].sort());
    const reviewer = await reviewerA.get('/api/v1/media?q=库-');
    expect(ids(reviewer.body).sort()).toEqual([imageA, docA, shared].sort());
  });

  it('filters by site, kind and name (the name taken literally), and pages', async () => {
    expect(ids((await editorA.get(`/api/v1/media?siteId=${siteA}&q=库-&pageSize=100`)).body).sort()).toEqual([imageA, docA].sort());
    expect(ids((await editorA.get('/api/v1/media?kind=image&q=库-')).body)).toEqual([imageA]);
    expect(ids((await editorA.get('/api/v1/media?kind=document&q=库-&pageSize=100')).body).sort()).toEqual([docA, shared].sort());
    expect(ids((await editorA.get(`/api/v1/media?q=${encodeURIComponent('100%')}`)).body)).toEqual([imageA]);
    expect(ids((await editorA.get(`/api/v1/media?q=${encodeURIComponent('_100')}`)).body)).toEqual([imageA]);
    expect((await editorA.get(`/api/v1/media?q=${encodeURIComponent("'; DROP TABLE media;--")}`)).body.total).toBe(0);
    const page = await editorA.get('/api/v1/media?q=库-&pageSize=1&page=2');
    expect(page.body).toMatchObject({ total: 3, page: 2, pageSize: 1 });
    expect(page.body.items).toHaveLength(1);
  });

  it('refuses listing outside the caller’s scope and bad filters', async () => {
    expect((await editorA.get(`/api/v1/media?siteId=${siteB}`)).status).toBe(403);
    expect((await secadmin.get('/api/v1/media')).status).toBe(403);
    expect((await anonymousClient(t).get('/api/v1/media')).status).toBe(401);
    for (const q of ['kind=svg', 'siteId=abc', 'pageSize=1000', `q=${'x'.repeat(10_240)}`, 'q=%00']) {
      const res = await editorA.get(`/api/v1/media?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toBe('validation_failed');
    }
  });

  it('treats undecodable query text as text, never a 500', async () => {
    const res = await editorA.get('/api/v1/media?q=%ED%A0%80');
    expect(res.status).toBeLessThan(500);
  });

  it('shows one file to whoever may read its site (403 elsewhere, 404 when unknown)', async () => {
    expect((await editorA.get(`/api/v1/media/${imageA}`)).body).toMatchObject({ id: imageA, siteId: siteA, alt: '库图' });
    expect((await reviewerA.get(`/api/v1/media/${docA}`)).status).toBe(200);
    expect((await editorA.get(`/api/v1/media/${shared}`)).status).toBe(200);
    expect((await editorA.get(`/api/v1/media/${docB}`)).status).toBe(403);
    expect((await secadmin.get(`/api/v1/media/${shared}`)).status).toBe(403);
    expect((await editorA.get('/api/v1/media/987654')).status).toBe(404);
    expect((await editorA.get('/api/v1/media/abc')).status).toBe(400);
  });

  it('edits the alt text (audited); images keep one, hostile text is refused or stored inertly', async () => {
    const res = await editorA.patch(`/api/v1/media/${imageA}`, { alt: '  新的替代文本  ' });
    expect(res.status).toBe(200);
    expect(res.body.alt).toBe('新的替代文本');
    const entry = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'media.update').where('target_id', '=', String(imageA)).executeTakeFirstOrThrow();
    expect([JSON.parse(entry.before!), JSON.parse(entry.after!)]).toEqual([{ alt: '库图' }, { alt: '新的替代文本' }]);

    const inert = await editorA.patch(`/api/v1/media/${imageA}`, { alt: '<script>alert(1)</script>' });
    expect(inert.status).toBe(200);
    expect((await rowOf(t, imageA)).alt).toBe('<script>alert(1)</script>');

    for (const body of [{ alt: '' }, { alt: '   ' }, { alt: 'x'.repeat(10_240) }, { alt: '\uD800坏' }, { alt: 'a\u0000' }, { alt: '图', siteId: siteB }, {}]) {
      const bad = await editorA.patch(`/api/v1/media/${imageA}`, body);
      expect(bad.status, JSON.stringify(body).slice(0, 40)).toBe(400);
    }
    expect((await editorA.patch(`/api/v1/media/${docA}`, { alt: '' })).status).toBe(200); // documents need none
    expect((await editorB.patch(`/api/v1/media/${imageA}`, { alt: '别人的' })).status).toBe(403);
    expect((await reviewerA.patch(`/api/v1/media/${imageA}`, { alt: '审核员' })).status).toBe(403);
    expect((await editorA.patch(`/api/v1/media/${shared}`, { alt: '共享' })).status).toBe(403);
    expect((await sysadmin.patch(`/api/v1/media/${shared}`, { alt: '共享' })).status).toBe(200);
    expect((await editorA.patch('/api/v1/media/987654', { alt: 'x' })).status).toBe(404);
    expect((await rowOf(t, imageA)).alt).toBe('<script>alert(1)</script>');
  });

  it('refuses to delete a file an article uses (cover, attachment, body) with 409, then deletes it with its files', async () => {
    const column = await makeColumn(t.store, siteA, 'media-news');
    const up = await upload(editorA, { data: png, name: '封面.png' }, { siteId: String(siteA), alt: '封面' });
    const id = up.body.id as number;
    const paths = storedPaths(t.dataDir, (await rowOf(t, id)).stored_name)!;
    const article = (over: { cover_media_id?: number | null; body?: string }) =>
      t.store.db
        .insertInto('articles')
        .values({
          site_id: siteA,
          column_id: column.id,
          title: '引用测试',
          subtitle: '',
          summary: '',
          body: over.body ?? '',
          source: '',
          author: '',
          publish_at: null,
          published_at: null,
          effective_at: null,
          expires_at: null,
          cover_media_id: over.cover_media_id ?? null,
          cover_alt: '',
          tags: '[]',
          status: 'draft',
          review_level: 0,
          version: 1,
          approved_version: null,
          live_version: null,
          created_by: editorAId,
          updated_by: editorAId,
          created_at: '2026-11-20T00:00:00.000Z',
          updated_at: '2026-11-20T00:00:00.000Z',
        })
        .returning('id')
        .executeTakeFirstOrThrow();

    const cover = await article({ cover_media_id: id });
    const refused = await editorA.del(`/api/v1/media/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect(refused.body.error.details.articleIds).toEqual([cover.id]);
    await t.store.db.updateTable('articles').set({ cover_media_id: null }).where('id', '=', cover.id).execute();

    await t.store.db.insertInto('article_attachments').values({ article_id: cover.id, media_id: id, sort: 0 }).execute();
    expect((await editorA.del(`/api/v1/media/${id}`)).status).toBe(409);
    await t.store.db.deleteFrom('article_attachments').where('article_id', '=', cover.id).execute();

    const inBody = await article({ body: `<p><img src="/media/${id}/thumb" alt="封面"></p>` });
    expect((await editorA.del(`/api/v1/media/${id}`)).status).toBe(409);
    await t.store.db.updateTable('articles').set({ body: `<p><img src="/media/${id}0" alt="另一张"></p>` }).where('id', '=', inBody.id).execute();

    expect(await rowOf(t, id)).toBeDefined();
    expect(fs.existsSync(paths.main) && fs.existsSync(paths.thumb)).toBe(true);

    expect((await editorB.del(`/api/v1/media/${id}`)).status).toBe(403);
    expect((await reviewerA.del(`/api/v1/media/${id}`)).status).toBe(403);
    const res = await editorA.del(`/api/v1/media/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id, deleted: true });
    expect(await t.store.db.selectFrom('media').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
    expect(fs.existsSync(paths.main)).toBe(false);
    expect(fs.existsSync(paths.thumb)).toBe(false);
    expect((await fetchRaw(t, `/media/${id}`)).statusCode).toBe(404);
    const entry = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'media.delete').where('target_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(JSON.parse(entry.before!)).toMatchObject({ originalName: '封面.png', kind: 'image' });
    expect((await editorA.del(`/api/v1/media/${id}`)).status).toBe(404);
  });

  it('gives the content module the rows of given ids, to check they belong to the site or to none', async () => {
    const rows = await media.getMediaForSite(t.store.db, [docB, imageA, imageA, 987654]);
    expect(rows.map((r) => r.id)).toEqual([imageA, docB].sort((a, b) => a - b));
    expect(await media.getMediaForSite(t.store.db, [])).toEqual([]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(media.isUsableBySite(byId.get(imageA)!, siteA)).toBe(true);
    expect(media.isUsableBySite(byId.get(docB)!, siteA)).toBe(false);
    const [sharedRow] = await media.getMediaForSite(t.store.db, [shared]);
    expect(media.isUsableBySite(sharedRow!, siteA)).toBe(true);
  });
});
