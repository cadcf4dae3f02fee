/**
 * A stand-in theme for tests: renders the whole model as escaped JSON inside a minimal HTML
 * page, so any change to the model changes the bytes. Test-only; behind the same PageRenderer
 * interface as theme/engine.ts's ThemeEngine.
 */
import type { RenderContext } from '../model.js';
import type { PageRenderer } from './render.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class ModelRenderer implements PageRenderer {
  /** Per-site template "versions": bump one and emit template.changed to simulate a template edit. */
  readonly versions = new Map<number, number>();
  renders = 0;

  /** `version`: the template version of sites without their own (changes every page at once). */
  constructor(private readonly version = 0) {}

  async render(siteId: number, theme: string, template: string, ctx: RenderContext): Promise<string> {
    this.renders++;
    const v = this.versions.get(siteId) ?? this.version;
    const meta = ctx.page.meta.map((m) => `<meta name="${esc(m.name)}" content="${esc(m.content)}">`).join('\n');
    return `<!doctype html>
<html lang="${esc(ctx.page.lang)}">
<head>
<meta charset="utf-8">
<title>${esc(ctx.page.title)}</title>
${meta}
</head>
<body data-theme="${esc(theme)}" data-template="${esc(template)}" data-template-version="${v}">
<h1>${esc(ctx.article?.title ?? ctx.column?.name ?? ctx.site.name)}</h1>
<pre>${esc(JSON.stringify(ctx))}</pre>
</body>
</html>
`;
  }

  themeAssets(theme: string): Map<string, Buffer> {
    return new Map([
      ['site.css', Buffer.from(`/* ${theme} */\nbody{font-family:sans-serif}\n`)],
      ['img/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ]);
  }

  invalidate(): void {}
}
