import type { Ctx } from '../../../lib/ctx.js';
import { type Result, fail, ok } from '../../../lib/errors.js';
import { manageableSite } from './access.js';
import { TemplateError } from './engine.js';
import { fixtureContext } from './fixtures.js';
import { SAMPLE_KINDS, type PreviewInput, type SampleKind } from './schema.js';
import type { ThemeServices } from './services.js';
import { templateInvalid } from './commands/write.js';

/** Previews run in the web process: a tighter time limit than publishing. */
const PREVIEW_RENDER_LIMIT_MS = 1000;

const isKind = (name: string): name is SampleKind => (SAMPLE_KINDS as readonly string[]).includes(name);

/**
 * Renders an unsaved template source in the site's real theme (its other overrides included).
 * A page template ("article", "list-news") is rendered itself; a partial or layout is shown in the
 * sample page (`sample`, default home). The model is the publisher's, when it provides one, else
 * the fixture with the site's name.
 */
export async function previewTemplate(ctx: Ctx, services: ThemeServices, input: PreviewInput): Promise<Result<{ html: string; template: string; sample: SampleKind }>> {
  const site = await manageableSite(ctx, input.siteId);
  if (!site.ok) return site;
  const valid = services.engine.validate(input.source);
  if (!valid.ok) return templateInvalid(valid);
  const isFragment = input.name.startsWith('partials/') || input.name.startsWith('layouts/');
  const sample: SampleKind = input.sample ?? (isKind(input.name) ? input.name : isFragment ? 'home' : 'column');
  const template = isFragment ? sample : input.name;
  const { id, code, name, theme } = site.value;
  const model = (await services.previewModel?.(ctx, site.value, sample)) ?? fixtureContext(sample, { site: { id, code, name } });
  try {
    const html = await services.engine.preview(id, theme, template, model, { [input.name]: input.source }, { renderLimit: PREVIEW_RENDER_LIMIT_MS });
    return ok({ html, template, sample });
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    const message = e.template && e.template !== input.name ? `${e.message}（模板 ${e.template}）` : e.message;
    return fail('validation_failed', `预览失败：${message}`, {
      issues: [{ path: 'source', line: e.line ?? 1, column: e.column ?? 1, message, template: e.template, kind: e.kind }],
    });
  }
}
