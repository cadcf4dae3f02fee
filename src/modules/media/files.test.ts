import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MEDIA_LIMITS,
  MediaError,
  contentDisposition,
  detectType,
  downloadHeaders,
  downloadName,
  generateStoredName,
  processImage,
  safeOriginalName,
  writeFileAtomic,
  zipHasRootEntry,
  type DetectResult,
} from './files.js';

// ---------------------------------------------------------------------------------------------
// Fixtures, all built in code
// ---------------------------------------------------------------------------------------------

const solid = (width: number, height: number, background: string, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background } });

let png: Buffer;
let jpeg: Buffer;
let webp: Buffer;
let gif: Buffer;
let animatedGif: Buffer;
let exifJpeg: Buffer;

beforeAll(async () => {
  png = await solid(20, 10, '#ff0000').png().toBuffer();
  jpeg = await solid(20, 10, '#00ff00').jpeg().toBuffer();
  webp = await solid(20, 10, '#0000ff').webp().toBuffer();
  gif = await solid(20, 10, '#ffff00').gif().toBuffer();
  const red = await solid(20, 10, '#ff0000').png().toBuffer();
  const blue = await solid(20, 10, '#0000ff').png().toBuffer();
  animatedGif = await sharp([red, blue], { join: { animated: true } }).gif().toBuffer();
  // 200×100 stored, EXIF orientation 6 (display rotated 90° clockwise → 100×200).
  exifJpeg = await solid(200, 100, '#336699')
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'secret-gps' } } })
    .toBuffer();
});

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

/** A zip with stored (uncompressed) entries: local headers, central directory, EOCD. */
function makeZip(entries: Array<{ name: string; data: string | Buffer }>, comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x5c21, 12); // date 2026-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6); // needed
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5c21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal attrs, external attrs: 0
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const commentBuf = Buffer.from(comment, 'utf8');
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(commentBuf.length, 20);
  return Buffer.concat([...locals, cd, eocd, commentBuf]);
}

const ofdXml =
  '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0">' +
  '<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>';

const ofdZip = () =>
  makeZip([
    { name: 'OFD.xml', data: ofdXml },
    { name: 'Doc_0/Document.xml', data: '<ofd:Document/>' },
  ]);

function officeZip(mainType: string, dir: string): Buffer {
  const types =
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    `<Override PartName="/${dir}/main.xml" ContentType="${mainType}.main+xml"/></Types>`;
  return makeZip([
    { name: '[Content_Types].xml', data: types },
    { name: `${dir}/main.xml`, data: '<x/>' },
  ]);
}

/** An OLE compound file: 512-byte header + one directory sector holding the root entry. */
function makeCfb(rootClsid?: number[]): Buffer {
  const buf = Buffer.alloc(1024);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(buf, 0);
  buf.writeUInt16LE(0x3e, 0x18); // minor version
  buf.writeUInt16LE(3, 0x1a); // major version 3 → 512-byte sectors
  buf.writeUInt16LE(0xfffe, 0x1c); // byte order
  buf.writeUInt16LE(9, 0x1e); // sector shift
  buf.writeUInt16LE(6, 0x20); // mini sector shift
  buf.writeUInt32LE(0, 0x30); // first directory sector
  const root = 512;
  Buffer.from('Root Entry', 'utf16le').copy(buf, root);
  buf.writeUInt16LE(22, root + 0x40);
  buf[root + 0x42] = 5; // root storage
  if (rootClsid) Buffer.from(rootClsid).copy(buf, root + 0x50);
  return buf;
}
const MSI_CLSID = [0x84, 0x10, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46];

function elf(): Buffer {
  const b = Buffer.alloc(128);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(b, 0);
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(0x3e, 18); // x86-64
  return b;
}

function peExe(): Buffer {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
}

const svgWithScript = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>',
);
const svgWithXmlDecl = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
);
const html = Buffer.from('<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>');
const chineseText = Buffer.from('关于做好2026年春节假期安全工作的通知\n各单位：请做好值班安排。\n', 'utf8');
const chineseCsv = Buffer.from('姓名,部门,电话\n张三,办公室,010-12345678\n', 'utf8');
const invalidUtf8 = Buffer.from([0x68, 0x69, 0x20, 0xc3, 0x28, 0xa0, 0xa1, 0x0a]);
const gbkChinese = Buffer.from([0xd6, 0xd0, 0xce, 0xc4, 0x2c, 0xb2, 0xe2, 0xca, 0xd4, 0x0a]); // "中文,测试" in GBK

function expectOk(r: DetectResult, kind: string, ext: string, mime?: string) {
  if (!r.ok) throw new Error(`expected ok, got ${r.code}: ${r.message}`);
  expect(r.value.kind).toBe(kind);
  expect(r.value.ext).toBe(ext);
  if (mime) expect(r.value.mime).toBe(mime);
}

function expectFail(r: DetectResult, code: string, messagePart?: string | RegExp) {
  if (r.ok) throw new Error(`expected ${code}, got ok: ${JSON.stringify(r.value)}`);
  expect(r.code).toBe(code);
  expect(r.message).toMatch(/[\u4e00-\u9fff]/); // the editor gets Chinese
  if (messagePart) expect(r.message).toMatch(messagePart);
}

// ---------------------------------------------------------------------------------------------
// detectType
// ---------------------------------------------------------------------------------------------

describe('detectType: allowed types, by content', () => {
  it('detects the four image formats', async () => {
    expectOk(await detectType(png, 'a.png'), 'image', 'png', 'image/png');
    expectOk(await detectType(jpeg, 'a.jpg'), 'image', 'jpg', 'image/jpeg');
    expectOk(await detectType(webp, 'a.webp'), 'image', 'webp', 'image/webp');
    expectOk(await detectType(gif, 'a.gif'), 'image', 'gif', 'image/gif');
  });

  it('accepts a hand-built PDF', async () => {
    const pdf = minimalPdf();
    expect(pdf.subarray(0, 8).toString()).toBe('%PDF-1.4');
    expectOk(await detectType(pdf, '通知.pdf'), 'document', 'pdf', 'application/pdf');
  });

  it('detects OFD by an OFD.xml entry at the zip root', async () => {
    expectOk(await detectType(ofdZip(), '公文.ofd'), 'document', 'ofd', 'application/ofd');
  });

  it('a zip without OFD.xml is a plain zip, even when named .ofd', async () => {
    const zip = makeZip([{ name: 'readme.txt', data: 'hello' }]);
    expectOk(await detectType(zip, 'files.zip'), 'document', 'zip', 'application/zip');
    expectOk(await detectType(zip, 'fake.ofd'), 'document', 'zip');
  });

  it('OFD.xml in a subfolder does not make an OFD', async () => {
    const zip = makeZip([{ name: 'sub/OFD.xml', data: ofdXml }]);
    expectOk(await detectType(zip, 'x.ofd'), 'document', 'zip');
  });

  it('detects docx, xlsx and pptx from [Content_Types].xml', async () => {
    const cases = [
      ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'word', 'docx'],
      ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xl', 'xlsx'],
      ['application/vnd.openxmlformats-officedocument.presentationml.presentation', 'ppt', 'pptx'],
    ] as const;
    for (const [type, dir, ext] of cases) {
      expectOk(await detectType(officeZip(type, dir), `file.zip`), 'document', ext, type);
    }
  });

  it('refuses macro-enabled Office files', async () => {
    const docm = officeZip('application/vnd.ms-word.document.macroEnabled', 'word');
    expectFail(await detectType(docm, 'a.docm'), 'unsupported_media_type', /DOCM/);
  });

  it('old Office / WPS compound files take their extension from the name', async () => {
    const cfb = makeCfb();
    expectOk(await detectType(cfb, '报告.doc'), 'document', 'doc', 'application/msword');
    expectOk(await detectType(cfb, '统计.XLS'), 'document', 'xls', 'application/vnd.ms-excel');
    expectOk(await detectType(cfb, '汇报.ppt'), 'document', 'ppt', 'application/vnd.ms-powerpoint');
    expectOk(await detectType(cfb, '公文.wps'), 'document', 'wps');
    expectOk(await detectType(cfb, '报表.et'), 'document', 'et');
  });

  it('refuses a compound file with any other name', async () => {
    expectFail(await detectType(makeCfb(), 'setup.msi'), 'unsupported_media_type', /\.doc/);
    expectFail(await detectType(makeCfb(), 'a.pdf'), 'unsupported_media_type');
    expectFail(await detectType(makeCfb(), 'noext'), 'unsupported_media_type');
  });

  it('refuses a Windows Installer package renamed to .doc', async () => {
    expectFail(await detectType(makeCfb(MSI_CLSID), 'setup.doc'), 'unsupported_media_type', /安装程序/);
  });

  it('accepts UTF-8 Chinese text; csv vs txt follows the name', async () => {
    expectOk(await detectType(chineseText, '通知.txt'), 'document', 'txt', 'text/plain; charset=utf-8');
    expectOk(await detectType(chineseCsv, '名单.csv'), 'document', 'csv', 'text/csv; charset=utf-8');
    expectOk(await detectType(chineseText, '无扩展名'), 'document', 'txt');
    // a page renamed .html whose content is plain text is stored as plain text
    expectOk(await detectType(chineseText, 'page.html'), 'document', 'txt');
  });

  it('text whose first bytes look like a weak signature (BMP "BM") is still text when named .csv', async () => {
    const csv = Buffer.from('BMI,身高,体重\n22,170,64\n', 'utf8');
    expectOk(await detectType(csv, '体检.csv'), 'document', 'csv');
    expectFail(await detectType(csv, 'x.bmp'), 'unsupported_media_type', /BMP/);
  });
});

describe('detectType: refusals', () => {
  it('refuses an ELF executable renamed .jpg', async () => {
    expectFail(await detectType(elf(), 'photo.jpg'), 'unsupported_media_type', /可执行程序/);
  });

  it('refuses a Windows executable renamed .jpg, .pdf or .txt', async () => {
    for (const name of ['photo.jpg', 'report.pdf', 'readme.txt']) {
      expectFail(await detectType(peExe(), name), 'unsupported_media_type', /可执行程序/);
    }
  });

  it('refuses SVG with a script, whatever its name', async () => {
    for (const name of ['logo.svg', 'logo.png', 'logo.txt']) {
      expectFail(await detectType(svgWithScript, name), 'unsupported_media_type', /脚本/);
      expectFail(await detectType(svgWithXmlDecl, name), 'unsupported_media_type', /脚本/);
    }
  });

  it('refuses HTML, also behind a BOM and whitespace, also named .txt', async () => {
    expectFail(await detectType(html, 'page.html'), 'unsupported_media_type', /脚本/);
    expectFail(await detectType(html, 'page.txt'), 'unsupported_media_type', /脚本/);
    const hidden = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\n  \t'), html]);
    expectFail(await detectType(hidden, 'notes.txt'), 'unsupported_media_type', /脚本/);
  });

  it('refuses text with a script tag further down', async () => {
    const t = Buffer.from('第一行\n第二行 <script src="//evil.example/x.js"></script>\n', 'utf8');
    expectFail(await detectType(t, 'a.txt'), 'unsupported_media_type', /脚本/);
  });

  it('refuses invalid UTF-8 and tells a .csv/.txt uploader to save as UTF-8', async () => {
    expectFail(await detectType(invalidUtf8, 'a.txt'), 'unsupported_media_type', /另存为.*UTF-8/);
    expectFail(await detectType(gbkChinese, '名单.csv'), 'unsupported_media_type', /另存为.*UTF-8/);
    expectFail(await detectType(invalidUtf8, 'a.bin'), 'unsupported_media_type', /允许的类型/);
  });

  it('refuses text containing a NUL byte', async () => {
    expectFail(await detectType(Buffer.from('abc\0def', 'latin1'), 'a.txt'), 'unsupported_media_type');
  });

  it('refuses an empty buffer as bad_request', async () => {
    expectFail(await detectType(Buffer.alloc(0), 'a.pdf'), 'bad_request', /空/);
  });

  it('names the allowed types in the unsupported message', async () => {
    const r = await detectType(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), 'a.gz');
    expectFail(r, 'unsupported_media_type', /不支持的文件类型：GZ/);
    expectFail(r, 'unsupported_media_type', /允许的类型：.*PDF.*OFD/);
  });
});

describe('detectType: the name never decides the type', () => {
  it('a PNG named photo.pdf is accepted as PNG', async () => {
    expectOk(await detectType(png, 'photo.pdf'), 'image', 'png', 'image/png');
  });

  it('a PDF named scan.jpg is accepted as PDF', async () => {
    expectOk(await detectType(minimalPdf(), 'scan.jpg'), 'document', 'pdf');
  });

  it('a JPEG with no extension is accepted as JPEG', async () => {
    expectOk(await detectType(jpeg, 'IMG_0001'), 'image', 'jpg');
  });
});

describe('detectType: size limits', () => {
  it('has the documented limits', () => {
    expect(MEDIA_LIMITS).toEqual({ imageBytes: 10 * 1024 * 1024, documentBytes: 50 * 1024 * 1024 });
  });

  it('applies the image limit to images (not the larger document limit)', async () => {
    const limits = { imageBytes: png.length - 1, documentBytes: png.length * 10 };
    expectFail(await detectType(png, 'a.png', limits), 'payload_too_large', /图片不能超过/);
    expectOk(await detectType(png, 'a.png', { imageBytes: png.length, documentBytes: 1 }), 'image', 'png');
  });

  it('applies the document limit to documents, boundary inclusive', async () => {
    const pdf = minimalPdf();
    expectOk(await detectType(pdf, 'a.pdf', { imageBytes: 1, documentBytes: pdf.length }), 'document', 'pdf');
    const r = await detectType(pdf, 'a.pdf', { imageBytes: pdf.length * 10, documentBytes: pdf.length - 1 });
    expectFail(r, 'payload_too_large', /文档不能超过/);
  });

  it('refuses anything larger than every limit before looking at it', async () => {
    const r = await detectType(elf(), 'a.bin', { imageBytes: 10, documentBytes: 20 });
    expectFail(r, 'payload_too_large', /文件过大/);
  });
});

describe('zipHasRootEntry', () => {
  it('finds the entry past a trailing zip comment', () => {
    const zip = makeZip([{ name: 'a.txt', data: 'x' }, { name: 'OFD.xml', data: ofdXml }], '电子公文');
    expect(zipHasRootEntry(zip, 'OFD.xml')).toBe(true);
    expect(zipHasRootEntry(zip, 'ofd.xml')).toBe(false);
  });

  it('returns false, not throwing, on truncated or garbage input', () => {
    const zip = ofdZip();
    expect(zipHasRootEntry(zip.subarray(0, zip.length - 10), 'OFD.xml')).toBe(false);
    expect(zipHasRootEntry(zip.subarray(0, 30), 'OFD.xml')).toBe(false);
    expect(zipHasRootEntry(Buffer.alloc(5), 'OFD.xml')).toBe(false);
    const lying = Buffer.from(zip);
    lying.writeUInt32LE(0xfffffff0, lying.length - 6); // central directory offset past the end
    expect(zipHasRootEntry(lying, 'OFD.xml')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s;

describe('safeOriginalName', () => {
  it('strips directory parts, both separators', () => {
    expect(safeOriginalName('../../etc/passwd')).toBe('passwd');
    expect(safeOriginalName('C:\\Users\\a\\报告.pdf')).toBe('报告.pdf');
    expect(safeOriginalName('..\\..\\windows/system32\\x.dll')).toBe('x.dll');
  });

  it('strips control characters and bidi overrides', () => {
    expect(safeOriginalName('a\u0000b\r\n\u0007c\u007f.txt')).toBe('abc.txt');
    expect(safeOriginalName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
  });

  it('strips characters illegal on Windows and trailing dots/spaces', () => {
    expect(safeOriginalName('a<b>c:d"e|f?g*h.pdf')).toBe('abcdefgh.pdf');
    expect(safeOriginalName('  名单.xlsx . ')).toBe('名单.xlsx');
    expect(safeOriginalName('CON.txt')).toBe('_CON.txt');
  });

  it('keeps Chinese and emoji, NFC-normalised', () => {
    expect(safeOriginalName('年终总结🎉👨‍👩‍👧.docx')).toBe('年终总结🎉👨‍👩‍👧.docx');
    expect(safeOriginalName('cafe\u0301.txt')).toBe('caf\u00e9.txt');
  });

  it('limits a 300-character name to 200, keeping the extension', () => {
    const a = safeOriginalName(`${'a'.repeat(296)}.pdf`);
    expect(a).toHaveLength(200);
    expect(a).toBe(`${'a'.repeat(196)}.pdf`);
    const zh = safeOriginalName(`${'报'.repeat(300)}.docx`);
    expect([...zh]).toHaveLength(200);
    expect(zh.endsWith('报.docx')).toBe(true);
    const emoji = safeOriginalName(`${'😀'.repeat(300)}.pdf`);
    expect([...emoji]).toHaveLength(200);
    expect(emoji.endsWith('😀.pdf')).toBe(true);
    expect(wellFormed(emoji)).toBe(true); // no half surrogate pair
  });

  it('falls back to 附件 when nothing is left', () => {
    for (const n of ['', '   ', '../', '...', '\u0000\u0001', 'a/b/', '<>:"|?*']) {
      expect(safeOriginalName(n)).toBe('附件');
    }
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and a UTF-8 filename* for a Chinese name (exact)', () => {
    expect(contentDisposition('2026年工作报告（定稿）.pdf')).toBe(
      'attachment; filename="2026_________.pdf"; ' +
        "filename*=UTF-8''2026%E5%B9%B4%E5%B7%A5%E4%BD%9C%E6%8A%A5%E5%91%8A%EF%BC%88%E5%AE%9A%E7%A8%BF%EF%BC%89.pdf",
    );
  });

  it('supports inline', () => {
    expect(contentDisposition('a.png', 'inline')).toBe(`inline; filename="a.png"; filename*=UTF-8''a.png`);
  });

  it('escapes quotes and backslashes in the fallback and percent-encodes non-attr-chars', () => {
    expect(contentDisposition(`a"b\\c (1)'*.pdf`)).toBe(
      `attachment; filename="a\\"b\\\\c (1)'*.pdf"; filename*=UTF-8''a%22b%5Cc%20%281%29%27%2A.pdf`,
    );
  });

  it('one underscore per character, also for emoji', () => {
    expect(contentDisposition('😀.txt')).toMatch(/^attachment; filename="_\.txt"; /);
  });

  it('cannot be used for header injection', () => {
    const h = contentDisposition('x.pdf\r\nSet-Cookie: sid=1');
    expect(h).not.toMatch(/[\r\n]/);
    expect(h).toMatch(/^attachment; filename="x\.pdfSet-Cookie: sid=1"; filename\*=UTF-8''x\.pdfSet-Cookie%3A%20sid%3D1$/);
  });
});

describe('generateStoredName', () => {
  it('is YYYY/MM/<32 hex>.<ext>', () => {
    const n = generateStoredName('pdf', new Date(Date.UTC(2026, 2, 15, 12)));
    expect(n).toMatch(/^2026\/03\/[0-9a-f]{32}\.pdf$/);
  });

  it('is random each time', () => {
    const names = new Set(Array.from({ length: 50 }, () => generateStoredName('png')));
    expect(names.size).toBe(50);
  });

  it('takes nothing from the uploaded name', async () => {
    const name = '../../var/www/shell.php.jpg';
    const r = await detectType(png, name);
    if (!r.ok) throw new Error(r.message);
    const stored = generateStoredName(r.value.ext);
    expect(stored).toMatch(/^\d{4}\/\d{2}\/[0-9a-f]{32}\.png$/);
    expect(stored).not.toMatch(/shell|php|\.\./);
  });

  it('rejects an extension that is not short lower-case alphanumerics', () => {
    for (const ext of ['', '../x', 'PDF', 'p.df', 'a'.repeat(11), 'pdf\0']) {
      expect(() => generateStoredName(ext)).toThrow();
    }
  });
});

describe('downloadHeaders', () => {
  it('documents: attachment, nosniff, sandbox CSP, private no-cache', () => {
    const h = downloadHeaders({ mime: 'application/pdf', original_name: '通知.pdf', kind: 'document' });
    expect(h).toEqual({
      'Content-Type': 'application/pdf',
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E9%80%9A%E7%9F%A5.pdf",
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, max-age=0',
    });
  });

  it('images: inline, and caching is left to the caller', () => {
    const h = downloadHeaders({ mime: 'image/png', original_name: 'a.png', kind: 'image' });
    expect(h['Content-Disposition']).toMatch(/^inline; /);
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['Content-Security-Policy']).toBe("default-src 'none'; sandbox");
    expect(h['Cache-Control']).toBeUndefined();
  });

  it('sanitises the name and corrects its extension to the stored one', () => {
    const h = downloadHeaders({ mime: 'image/png', original_name: '../photo.pdf', kind: 'image', ext: 'png' });
    expect(h['Content-Disposition']).toBe(`inline; filename="photo.png"; filename*=UTF-8''photo.png`);
    expect(downloadName('报告', 'pdf')).toBe('报告.pdf');
    expect(downloadName('IMG.JPEG', 'jpg')).toBe('IMG.JPEG');
    expect(downloadName('a.txt', 'csv')).toBe('a.csv');
  });

  it('never serves an active type as itself', () => {
    const h = downloadHeaders({ mime: 'image/svg+xml', original_name: 'a.svg', kind: 'image' });
    expect(h['Content-Type']).toBe('application/octet-stream');
  });
});

// ---------------------------------------------------------------------------------------------
// processImage
// ---------------------------------------------------------------------------------------------

describe('processImage', () => {
  it('JPEG stays JPEG', async () => {
    const r = await processImage(jpeg);
    expect([r.mime, r.ext, r.width, r.height]).toEqual(['image/jpeg', 'jpg', 20, 10]);
    expect((await sharp(r.main).metadata()).format).toBe('jpeg');
  });

  it('PNG stays PNG, transparency kept', async () => {
    const rgba = await solid(30, 20, '#ff000080', 4).png().toBuffer();
    const r = await processImage(rgba);
    expect([r.mime, r.ext]).toEqual(['image/png', 'png']);
    const meta = await sharp(r.main).metadata();
    expect(meta.format).toBe('png');
    expect(meta.hasAlpha).toBe(true);
  });

  it('WebP stays WebP', async () => {
    const r = await processImage(webp);
    expect([r.mime, r.ext]).toEqual(['image/webp', 'webp']);
    expect((await sharp(r.main).metadata()).format).toBe('webp');
  });

  it('GIF becomes a PNG of the first frame', async () => {
    expect((await sharp(animatedGif, { pages: -1 }).metadata()).pages).toBe(2);
    const r = await processImage(animatedGif);
    expect([r.mime, r.ext, r.width, r.height]).toEqual(['image/png', 'png', 20, 10]);
    const meta = await sharp(r.main).metadata();
    expect(meta.format).toBe('png');
    expect(meta.pages ?? 1).toBe(1);
    const { data } = await sharp(r.main).raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([255, 0, 0]); // red: frame 1, not blue frame 2
  });

  it('strips EXIF (and any GPS) and applies the orientation', async () => {
    expect(exifJpeg.includes('secret-gps')).toBe(true);
    expect((await sharp(exifJpeg).metadata()).orientation).toBe(6);
    const r = await processImage(exifJpeg);
    expect(r.main.includes('secret-gps')).toBe(false);
    expect(r.thumb.includes('secret-gps')).toBe(false);
    const meta = await sharp(r.main).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect([r.width, r.height]).toEqual([100, 200]); // rotated upright
    expect([meta.width, meta.height]).toEqual([100, 200]);
  });

  it('scales down to 4096 on the longest side and makes a 400-wide WebP thumbnail', async () => {
    const wide = await solid(5000, 100, '#888888').png().toBuffer();
    const r = await processImage(wide);
    expect([r.width, r.height]).toEqual([4096, 82]);
    const t = await sharp(r.thumb).metadata();
    expect(t.format).toBe('webp');
    expect(t.width).toBe(400);
  });

  it('never enlarges small images, nor their thumbnails', async () => {
    const r = await processImage(png);
    expect([r.width, r.height]).toEqual([20, 10]);
    const t = await sharp(r.thumb).metadata();
    expect([t.format, t.width, t.height]).toEqual(['webp', 20, 10]);
  });

  it('refuses images over 50 megapixels', { timeout: 30_000 }, async () => {
    const huge = await solid(8000, 7000, '#ffffff').png().toBuffer(); // 56 MP, small file
    const err = await processImage(huge).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect((err as MediaError).code).toBe('payload_too_large');
    expect((err as MediaError).reason).toBe('image_too_large');
    expect((err as MediaError).message).toMatch(/像素过大.*5000 万/);
  });

  it('honours a lower pixel limit', async () => {
    const err = await processImage(png, { maxInputPixels: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect((err as MediaError).reason).toBe('image_too_large');
  });

  it('throws a MediaError with a Chinese message on corrupt data', async () => {
    const bad = [
      png.subarray(0, Math.floor(png.length / 2)),
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 0x41)]),
      Buffer.concat([gif.subarray(0, 6), Buffer.alloc(50, 0xff)]),
    ];
    for (const buf of bad) {
      const err = await processImage(buf).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MediaError);
      expect((err as MediaError).code).toBe('bad_request');
      expect((err as MediaError).reason).toBe('corrupt_image');
      expect((err as MediaError).message).toMatch(/损坏/);
    }
  });

  it('does not hand non-images (SVG, PDF) to the image decoder', async () => {
    for (const buf of [svgWithScript, minimalPdf()]) {
      const err = await processImage(buf).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MediaError);
      expect((err as MediaError).reason).toBe('unsupported_image');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// writeFileAtomic
// ---------------------------------------------------------------------------------------------

describe('writeFileAtomic', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'media-files-test-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates parent directories and leaves no temp file', async () => {
    const file = path.join(root, 'ok', '2026', '03', 'a.bin');
    await writeFileAtomic(file, Buffer.from('内容'));
    expect((await readFile(file)).toString()).toBe('内容');
    expect(await readdir(path.dirname(file))).toEqual(['a.bin']);
  });

  it('replaces an existing file', async () => {
    const file = path.join(root, 'replace', 'a.bin');
    await writeFileAtomic(file, Buffer.from('old'));
    await writeFileAtomic(file, Buffer.from('new'));
    expect((await readFile(file)).toString()).toBe('new');
    expect(await readdir(path.dirname(file))).toEqual(['a.bin']);
  });

  it('fails, leaving nothing, when the target directory is a file', async () => {
    const dir = path.join(root, 'blocked');
    await mkdir(dir);
    await writeFile(path.join(dir, 'media'), 'i am a file');
    await expect(writeFileAtomic(path.join(dir, 'media', 'x.bin'), Buffer.from('x'))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['media']);
    expect((await readFile(path.join(dir, 'media'))).toString()).toBe('i am a file');
  });

  it('removes the temp file when the rename fails', async () => {
    const dir = path.join(root, 'rename-fails');
    await mkdir(path.join(dir, 'target'), { recursive: true }); // the target is a directory
    await expect(writeFileAtomic(path.join(dir, 'target'), Buffer.from('x'))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['target']);
  });
});
