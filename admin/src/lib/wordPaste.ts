/**
 * Paste from Word/WPS, cleaned before the editor parses it (the server's sanitiser cleans again
 * on save): Office conditional comments, XML islands, `mso-` styles and Mso classes go; images
 * that are not in the media library go too (they must be uploaded with alternative text).
 * Pure string work on the DOM parser, no network.
 */
export interface CleanResult {
  html: string;
  /** Images removed because they were not uploaded files. */
  droppedImages: number;
}

const MEDIA_SRC = /^\/media\/\d+(\/thumb)?$/;

export function cleanPastedHtml(input: string): CleanResult {
  const pre = input
    .replace(/<!--\[if[\s\S]*?<!\[endif\]\s*-->/gi, '')
    .replace(/<!\[(?:if[^\]]*|endif)\]>/gi, '')
    .replace(/<\/?(o|w|v|m|st1):[^>]*>/gi, '')
    .replace(/<xml[\s\S]*?<\/xml>/gi, '')
    .replace(/<style[\s\S]*?<\/style>/gi, '');
  const doc = new DOMParser().parseFromString(pre, 'text/html');
  let droppedImages = 0;
  for (const img of Array.from(doc.querySelectorAll('img'))) {
    const src = img.getAttribute('src') ?? '';
    const alt = (img.getAttribute('alt') ?? '').trim();
    if (!MEDIA_SRC.test(src) || !alt) {
      img.remove();
      droppedImages++;
    }
  }
  for (const el of Array.from(doc.body.querySelectorAll<HTMLElement>('[style]'))) {
    const kept = (el.getAttribute('style') ?? '')
      .split(';')
      .map((d) => d.trim())
      .filter((d) => d && !/^mso-/i.test(d) && /^text-align\s*:/i.test(d));
    if (kept.length) el.setAttribute('style', kept.join('; '));
    else el.removeAttribute('style');
  }
  for (const el of Array.from(doc.body.querySelectorAll('[class]'))) {
    const kept = Array.from(el.classList).filter((c) => !/^mso/i.test(c));
    if (kept.length) el.setAttribute('class', kept.join(' '));
    else el.removeAttribute('class');
  }
  for (const el of Array.from(doc.body.querySelectorAll('[lang]'))) el.removeAttribute('lang');
  // Word wraps everything in <span> without meaning once styles are gone.
  for (const span of Array.from(doc.body.querySelectorAll('span:not([class]):not([style])'))) span.replaceWith(...Array.from(span.childNodes));
  return { html: doc.body.innerHTML, droppedImages };
}
