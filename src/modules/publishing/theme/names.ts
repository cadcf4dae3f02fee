/**
 * Names of themes and templates. A template name is a path inside a theme's `templates/` folder
 * without the `.liquid` extension ("article", "partials/header"). Names are checked wherever
 * they enter (the Liquid file system, the API, zip imports), so no template can reach a file
 * outside its theme: no dots (hence no `..`), no leading slash, no empty segment.
 */
export const TEMPLATE_NAME_RE = /^[a-z0-9][a-z0-9/_-]{0,60}$/;
export const THEME_NAME_RE = /^[a-z0-9][a-z0-9_-]{0,40}$/;

export function isTemplateName(name: unknown): boolean {
  // "__" is how a "/" travels in API URLs ("partials__header"), so it cannot be part of a name.
  return typeof name === 'string' && TEMPLATE_NAME_RE.test(name) && !name.includes('//') && !name.includes('__') && !name.endsWith('/');
}

export function isThemeName(name: unknown): boolean {
  return typeof name === 'string' && THEME_NAME_RE.test(name);
}

/** Asset file names inside a theme's `assets/` folder ("site.css", "img/logo.png"). */
export const ASSET_NAME_RE = /^[a-z0-9][a-z0-9_-]{0,60}(\/[a-z0-9][a-z0-9_-]{0,60}){0,3}\.(css|js|png|jpg|jpeg|gif|svg|webp|ico|woff2|txt)$/;

export function isAssetName(name: unknown): boolean {
  return typeof name === 'string' && name.length <= 200 && ASSET_NAME_RE.test(name);
}

/** Does the text contain a C0 control character or DEL (NUL, newline, escape …)? */
export function hasControlChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
