import { describe, expect, it } from 'vitest';
import { ALLOWED_TAGS, MISSING_ALT_MESSAGE, bodyText, sanitizeBody } from './sanitize.js';

const clean = (html: string): string => {
  const r = sanitizeBody(html);
  if (!r.ok) throw new Error(r.message);
  return r.html;
};

/** Every tag left in the output, with its attributes. */
function tagsOf(html: string): { name: string; attrs: Record<string, string> }[] {
  return [...html.matchAll(/<([a-zA-Z][\w:-]*)([^>]*)>/g)].map((m) => ({
    name: m[1]!.toLowerCase(),
    attrs: Object.fromEntries([...m[2]!.matchAll(/([^\s=/]+)="([^"]*)"/g)].map((a) => [a[1]!.toLowerCase(), a[2]!])),
  }));
}

/** What must never survive, whatever the input. */
function assertInert(html: string): void {
  for (const t of tagsOf(html)) {
    expect(ALLOWED_TAGS).toContain(t.name);
    for (const [k, v] of Object.entries(t.attrs)) {
      expect(k).not.toMatch(/^on/);
      expect(['href', 'src', 'alt', 'title', 'width', 'height', 'target', 'rel', 'class', 'style', 'colspan', 'rowspan', 'scope']).toContain(k);
      if (k === 'href' || k === 'src') expect(v).toMatch(/^(https?:\/\/|mailto:|tel:|\/(?![/\\])|#)/i);
      if (k === 'src') expect(v).not.toMatch(/^data:/i);
      if (k === 'style') expect(v).toMatch(/^text-align:(left|right|center|justify)$/);
    }
  }
  expect(html).not.toMatch(/<\s*(script|svg|math|iframe|object|embed|style|base|meta|link|form)/i);
}

// [name, input, expected output (exact) or a predicate-free check via assertInert only when null]
const HOSTILE: [string, string, string | null][] = [
  ['script element', '<p>通知<script>alert(1)</script></p>', '<p>通知</p>'],
  ['script with src', '<script src="https://evil.example/x.js"></script><p>正文</p>', '<p>正文</p>'],
  ['img onerror', '<img src="/media/a.png" alt="图" onerror="alert(1)">', '<img src="/media/a.png" alt="图" />'],
  ['img with bogus src and onerror', '<img src=x onerror=alert(1)>', ''],
  ['javascript: href', '<a href="javascript:alert(1)">点击</a>', '<a>点击</a>'],
  ['mixed-case javascript:', '<a href="JaVaScRiPt:alert(1)">x</a>', '<a>x</a>'],
  ['entity-encoded javascript:', '<a href="&#106;&#97;vascript:alert(1)">x</a>', '<a>x</a>'],
  ['tab inside javascript:', '<a href="java\tscript:alert(1)">x</a>', '<a>x</a>'],
  ['leading space javascript:', '<a href=" javascript:alert(1)">x</a>', '<a>x</a>'],
  ['vbscript: href', '<a href="vbscript:msgbox(1)">x</a>', '<a>x</a>'],
  ['data: href', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', '<a>x</a>'],
  ['protocol-relative href', '<a href="//evil.example/">x</a>', '<a>x</a>'],
  ['backslash protocol-relative href', '<a href="/\\evil.example/">x</a>', '<a>x</a>'],
  ['data: URI image', '<img src="data:image/png;base64,iVBORw0KGgo=" alt="x">', ''],
  ['data: SVG image', '<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="x">', ''],
  ['image path traversal', '<img src="/media/../../etc/passwd" alt="x">', ''],
  ['file: image from Word', '<img src="file:///C:/Users/a/AppData/Local/Temp/msohtmlclip1/01/clip_image002.png" alt="x">', ''],
  ['svg with script', '<svg><script>alert(1)</script><text>t</text></svg><p>a</p>', '<p>a</p>'],
  ['svg onload', '<svg onload="alert(1)"><circle r="1"/></svg>', ''],
  ['math with href', '<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>', ''],
  ['iframe', '<iframe src="https://evil.example"></iframe>', ''],
  ['object/embed', '<object data="x.swf"></object><embed src="x.swf">', ''],
  ['CSS expression', '<p style="width:expression(alert(1));text-align:center">t</p>', '<p style="text-align:center">t</p>'],
  ['CSS url()', '<p style="background:url(javascript:alert(1))">t</p>', '<p>t</p>'],
  ['style on a div', '<div style="text-align:center;position:fixed">t</div>', '<div>t</div>'],
  ['style element', '<style>body{display:none}</style><p>x</p>', '<p>x</p>'],
  ['nested script trick', '<scr<script>ipt>alert(1)</script>', null],
  ['double-open script trick', '<<script>script>alert(1)<</script>/script>', null],
  ['unclosed attribute quote', '<p title="x><script>alert(1)</script>">t</p>', null],
  ['form and input', '<form action="https://evil.example"><input name="p"></form>', ''],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example">', ''],
  ['base href', '<base href="https://evil.example/"><a href="/x">x</a>', '<a href="/x">x</a>'],
  ['target without _blank', '<a href="https://gov.cn" target="_top">x</a>', '<a href="https://gov.cn">x</a>'],
  ['unknown class', '<p class="MsoNormal hack indent">t</p>', '<p class="indent">t</p>'],
  ['colspan not a number', '<table><tr><td colspan="2;x" rowspan="3">a</td></tr></table>', '<table><tr><td rowspan="3">a</td></tr></table>'],
  ['th scope value', '<table><tr><th scope="javascript">h</th><th scope="col">c</th></tr></table>', '<table><tr><th>h</th><th scope="col">c</th></tr></table>'],
];

describe('sanitizeBody: hostile payloads', () => {
  it.each(HOSTILE)('%s', (_name, input, expected) => {
    const out = clean(input);
    assertInert(out);
    if (expected !== null) expect(out).toBe(expected);
  });
});

describe('sanitizeBody: what editors need keeps working', () => {
  const KEPT: [string, string][] = [
    ['paragraph alignment', '<p style="text-align: center">居中</p>'],
    ['headings h2-h6', '<h2>二</h2><h3>三</h3><h4>四</h4><h5>五</h5><h6>六</h6>'],
    ['lists and quotes', '<ul><li>一</li></ul><ol><li>二</li></ol><blockquote>引</blockquote><hr />'],
    ['inline formatting', '<p><strong>粗</strong><b>b</b><em>斜</em><i>i</i><u>下</u><s>删</s>H<sub>2</sub>O m<sup>2</sup></p>'],
    ['a table with caption', '<table><caption>表1</caption><thead><tr><th scope="col">项目</th></tr></thead><tbody><tr><td colspan="2" style="text-align:right">1</td></tr></tbody><tfoot><tr><td>合计</td></tr></tfoot></table>'],
    ['figure with caption', '<figure class="image"><img src="/media/2026/11/a.jpg" alt="会议现场" width="640" height="480" /><figcaption>会议现场</figcaption></figure>'],
    ['external image', '<img src="https://www.gov.cn/images/a.png" alt="国徽" />'],
    ['links of every allowed kind', '<a href="https://www.gov.cn">政府网</a><a href="mailto:zwgk@example.gov.cn">信箱</a><a href="tel:12345">热线</a><a href="/zwgk/tzgg/">通知</a><a href="#s2">第二节</a>'],
  ];
  it.each(KEPT)('%s', (_name, input) => {
    const out = clean(input);
    assertInert(out);
    expect(out.replace(/\s/g, '')).toBe(input.replace(/\s/g, '').replace(/text-align:/g, 'text-align:'));
  });

  it('adds rel="noopener noreferrer" to links opening a new window', () => {
    expect(clean('<a href="https://www.gov.cn" target="_blank" rel="opener">政府网</a>')).toBe('<a href="https://www.gov.cn" target="_blank" rel="noopener noreferrer">政府网</a>');
  });

  it('keeps text with markup characters as text', () => {
    expect(clean('<p>a &lt;script&gt; b &amp; c</p>')).toBe('<p>a &lt;script&gt; b &amp; c</p>');
    expect(clean("'; DROP TABLE sites;--")).toBe("'; DROP TABLE sites;--");
  });
});

describe('sanitizeBody: Word paste', () => {
  const WORD = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta name=Generator content="Microsoft Word 15"><style><!-- p.MsoNormal {margin:0cm; font-size:10.5pt;} --></style><!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View><w:Zoom>0</w:Zoom></w:WordDocument></xml><![endif]--></head>
<body lang=ZH-CN style='tab-interval:21.0pt'>
<p class=MsoNormal align=center style='text-align:center;mso-line-height-alt:14.0pt'><b><span style='font-size:16.0pt;font-family:方正小标宋简体;mso-hansi-font-family:宋体'>关于做好2026年春节期间安全生产工作的通知<o:p></o:p></span></b></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>一、<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]><span style='font-family:仿宋_GB2312'>高度重视。<o:p></o:p></span></p>
<table class=MsoTableGrid border=1 style='border-collapse:collapse;mso-yfti-tbllook:1184'><tr style='mso-yfti-irow:0'><td width=200 valign=top style='width:150.0pt;border:solid windowtext 1.0pt'><p class=MsoNormal>单位<o:p></o:p></p></td></tr></table>
<p class=MsoNormal><v:shape id="_x0000_i1025" type="#_x0000_t75"><v:imagedata src="file:///C:/clip_image001.png" o:title=""/></v:shape><o:p>&nbsp;</o:p></p>
</body></html>`;

  it('keeps the text, headings and table, and drops Office markup, styles and XML islands', () => {
    const out = clean(WORD);
    assertInert(out);
    expect(out).toContain('关于做好2026年春节期间安全生产工作的通知');
    expect(out).toContain('<p style="text-align:center"><b><span>关于做好');
    expect(out).toContain('一、');
    expect(out).toContain('高度重视。');
    expect(out).toMatch(/<table><tr><td><p>单位<\/p><\/td><\/tr><\/table>/);
    expect(out).not.toMatch(/mso-|MsoNormal|o:p|w:WordDocument|Normal<\/|font-family|v:shape|xml|supportLists|endif|file:/);
    expect(out).not.toContain('margin:0cm');
  });
});

describe('sanitizeBody: accessibility', () => {
  it('refuses an image without alternative text', () => {
    expect(sanitizeBody('<p><img src="/media/a.png"></p>')).toMatchObject({ ok: false, message: MISSING_ALT_MESSAGE });
    expect(sanitizeBody('<img src="/media/a.png" alt="   ">')).toMatchObject({ ok: false, message: MISSING_ALT_MESSAGE });
    expect(sanitizeBody('<img src="/media/a.png" alt="">').ok).toBe(false);
  });

  it('counts the images lacking it', () => {
    const r = sanitizeBody('<img src="/media/a.png"><img src="/media/b.png" alt="b"><img src="https://x.example/c.png">');
    expect(r).toMatchObject({ ok: false, missingAlt: 2 });
    expect(!r.ok && r.message).toContain('2 张');
  });
});

describe('bodyText', () => {
  it('gives one line per block, cells separated, entities decoded', () => {
    expect(bodyText('<h2>标题</h2><p>a &amp; b &lt;c&gt;</p><ul><li>一</li><li>二</li></ul><table><tr><td>1</td><td>2</td></tr></table>')).toBe('标题\na & b <c>\n一\n二\n1 2');
  });
});
