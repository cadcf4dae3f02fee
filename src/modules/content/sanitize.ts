/**
 * The allow-list sanitiser for article bodies: rich HTML from the WYSIWYG editor or pasted from
 * Word/WPS. Only the tags, attributes, URL forms and styles listed here survive; everything else
 * is dropped (its text kept, except for script-like containers whose content goes too).
 * Pure: no database, no HTTP.
 */
import sanitizeHtml from 'sanitize-html';

const HEADINGS = ['h2', 'h3', 'h4', 'h5', 'h6'];
const ALIGNABLE = ['p', 'td', 'th', ...HEADINGS];

export const ALLOWED_TAGS = [
  'p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup',
  ...HEADINGS,
  'ul', 'ol', 'li', 'blockquote', 'hr',
  'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  'a', 'img', 'figure', 'figcaption', 'span', 'div',
];

/** The few classes the themes style; any other class (MsoNormal, …) is dropped. */
export const ALLOWED_CLASSES = ['align-left', 'align-center', 'align-right', 'indent', 'table-bordered', 'note', 'image'];

/**
 * Containers whose content is not text a reader should see: dropped with everything inside.
 * Word's `<xml>` islands and `<style>` blocks, and foreign content (SVG, MathML) are among them.
 */
const DROP_WITH_CONTENT = [
  'script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'noembed', 'noframes', 'template',
  'title', 'head', 'xml', 'svg', 'math', 'iframe', 'object', 'embed', 'select', 'button', 'frameset',
];

const TEXT_ALIGN = [/^(left|right|center|justify)$/];

/** Site-relative path (not protocol-relative, no backslash tricks). */
const SITE_RELATIVE = /^\/(?![/\\])[^\\\s]*$/;
const ABSOLUTE_WEB = /^https?:\/\/[^\s\\]+$/i;
const MAILTO_TEL = /^(mailto|tel):[^\s\\]+$/i;
const FRAGMENT = /^#[\w\-.:%]*$/;
const MEDIA_PATH = /^\/media\/(?!.*\.\.)[\w\-./%]+$/;

export const isAllowedHref = (href: string): boolean =>
  ABSOLUTE_WEB.test(href) || MAILTO_TEL.test(href) || SITE_RELATIVE.test(href) || FRAGMENT.test(href);
export const isAllowedImgSrc = (src: string): boolean => MEDIA_PATH.test(src) || ABSOLUTE_WEB.test(src);

const SMALL_INT = /^\d{1,4}$/;
const SPAN_INT = /^[1-9]\d{0,2}$/;
const SCOPES = ['row', 'col', 'rowgroup', 'colgroup'];

/** Word/WPS paste leftovers that the parser would otherwise turn into visible text. */
function stripOfficeJunk(html: string): string {
  return (
    html
      // Control characters other than tab and newlines (Word pastes vertical tabs; PostgreSQL refuses NUL).
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
      // Downlevel-hidden conditional comments: <!--[if gte mso 9]> … <![endif]--> (content included).
      .replace(/<!--\[if[\s\S]*?<!\[endif\]\s*-->/gi, '')
      // Downlevel-revealed markers: <![if !supportLists]> … <![endif]> (content kept).
      .replace(/<!\[(?:if[^\]]*|endif)\]>/gi, '')
  );
}

function baseOptions(onImg: (attribs: Record<string, string>) => void): sanitizeHtml.IOptions {
  return {
    allowedTags: ALLOWED_TAGS,
    disallowedTagsMode: 'discard',
    nonTextTags: DROP_WITH_CONTENT,
    allowedAttributes: {
      a: ['href', 'target', 'rel', 'title'],
      img: ['src', 'alt', 'width', 'height', 'title'],
      td: ['colspan', 'rowspan', 'style'],
      th: ['colspan', 'rowspan', 'scope', 'style'],
      p: ['style'],
      h2: ['style'],
      h3: ['style'],
      h4: ['style'],
      h5: ['style'],
      h6: ['style'],
      '*': ['class'],
    },
    allowedClasses: { '*': ALLOWED_CLASSES },
    allowedStyles: Object.fromEntries(ALIGNABLE.map((t) => [t, { 'text-align': TEXT_ALIGN }])),
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    enforceHtmlBoundary: false,
    transformTags: {
      a: (tagName, attribs) => {
        const out: Record<string, string> = {};
        const href = (attribs.href ?? '').trim();
        if (href && isAllowedHref(href)) out.href = href;
        if (attribs.title) out.title = attribs.title;
        if (attribs.target === '_blank') {
          out.target = '_blank';
          out.rel = 'noopener noreferrer';
        }
        if (attribs.class) out.class = attribs.class;
        return { tagName, attribs: out };
      },
      img: (tagName, attribs) => {
        const out: Record<string, string> = {};
        const src = (attribs.src ?? '').trim();
        if (src && isAllowedImgSrc(src)) out.src = src;
        if (attribs.alt !== undefined) out.alt = attribs.alt.trim();
        if (attribs.title) out.title = attribs.title;
        for (const k of ['width', 'height'] as const) {
          const v = (attribs[k] ?? '').trim();
          if (SMALL_INT.test(v)) out[k] = v;
        }
        if (attribs.class) out.class = attribs.class;
        return { tagName, attribs: out };
      },
      td: spanFilter,
      th: spanFilter,
    },
    exclusiveFilter: (frame) => {
      if (frame.tag !== 'img') return false;
      // An image whose source was not allowed is removed entirely.
      if (!frame.attribs.src) return true;
      onImg(frame.attribs);
      return false;
    },
  };
}

function spanFilter(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const out: Record<string, string> = { ...attribs };
  for (const k of ['colspan', 'rowspan'] as const) {
    if (out[k] !== undefined && !SPAN_INT.test(out[k].trim())) delete out[k];
  }
  if (out.scope !== undefined && (tagName !== 'th' || !SCOPES.includes(out.scope.trim()))) delete out.scope;
  return { tagName, attribs: out };
}

export type SanitizeResult = { ok: true; html: string } | { ok: false; message: string; missingAlt: number };

export const MISSING_ALT_MESSAGE = '图片缺少替代文本（alt）';

/**
 * Sanitises an article body. The result is refused (a validation error for the editor) when an
 * image has no alternative text: 《信息技术 互联网内容无障碍可访问性技术要求与测试方法》(GB/T 37668-2019)
 * requires a text alternative for every non-text content.
 */
export function sanitizeBody(html: string): SanitizeResult {
  let missingAlt = 0;
  const clean = sanitizeHtml(
    stripOfficeJunk(html),
    baseOptions((attribs) => {
      if (!(attribs.alt ?? '').trim()) missingAlt++;
    }),
  ).trim();
  if (missingAlt > 0) return { ok: false, message: missingAlt === 1 ? MISSING_ALT_MESSAGE : `${MISSING_ALT_MESSAGE}：共 ${missingAlt} 张`, missingAlt };
  return { ok: true, html: clean };
}

const BLOCK_END = /<\/(p|h[1-6]|li|div|blockquote|figcaption|caption|tr|table|ul|ol|figure)>|<br\s*\/?>|<hr\s*\/?>/gi;
const CELL_END = /<\/(td|th)>/gi;
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ', '&amp;': '&' };

/**
 * The reading text of a (sanitised) body, one block per line: what a person compares when two
 * versions are diffed.
 */
export function bodyText(html: string): string {
  const marked = html.replace(CELL_END, '\t$&').replace(BLOCK_END, '\n$&');
  const stripped = sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {}, nonTextTags: DROP_WITH_CONTENT });
  return stripped
    .replace(/&(lt|gt|quot|#39|nbsp|amp);/g, (m) => ENTITIES[m] ?? m)
    .split('\n')
    .map((l) => l.replace(/[ \t\u00A0]+/g, ' ').trim())
    .filter((l) => l.length > 0)
    .join('\n');
}
