/**
 * The public pages of the module, rendered per request through the site's theme in the site's
 * look (the publisher's `dynamicPage`), Simplified and Traditional (/zh-hant/…), plain links and
 * plain HTML forms, so they work without JavaScript:
 *
 *   GET  /hdjl/cjwt/[{site}/]            常见问题 by topic (?topic=, ?page=)      template faq
 *   GET  /hdjl/cjwt/{site}/{id}.html      one entry                               template faq-entry
 *   GET  /hdjl/znwd/[{site}/]            智能问答: the conversation of this visit (?c=) template qa
 *   POST /hdjl/znwd/[{site}/]            ask (form: question, conversation) → 303 to the conversation
 *   POST /hdjl/znwd/feedback             有帮助 / 没帮助 (form: id, conversation, helpful) → 303 back
 *
 * Why dynamic and not published files: the publisher's page graph (publishing/build) is another
 * module's, and a file under public/ that its manifest does not know is removed by the tamper
 * check; these pages read the database directly instead (a few milliseconds). See docs/interaction.md.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JiyueApp } from '../../app.js';
import { findMalformedText } from '../../http/validate.js';
import { dynamicPage, toTraditional } from '../publishing/build/index.js';
import { themeEngineFor } from '../publishing/index.js';
import { PORTAL_CODE } from '../sites/index.js';
import { type PublicFaq, publicFaqs } from './faq/queries/publicFaqs.js';
import { askQuestion } from './qa/commands/askQuestion.js';
import { giveFeedback } from './qa/commands/giveFeedback.js';
import { type ConversationItem, conversationOf } from './qa/queries/conversation.js';
import { popularEntries } from './qa/queries/popular.js';
import type { RateLimiter } from './qa/rateLimit.js';
import { AskInput, CONVERSATION_RE, QUESTION_MAX } from './qa/schema.js';
import { rateLimited } from './routes.js';
import { FAQ_BASE, QA_BASE, faqEntryUrl, faqListUrl, qaUrl } from './urls.js';

export const FAQ_PAGE_SIZE = 20;
const SITE_RE = /^[a-z][a-z0-9-]{1,30}$/;
const HANT = '/zh-hant';

const first = (v: unknown): string | undefined => (Array.isArray(v) ? first(v[0]) : typeof v === 'string' ? v : undefined);
const fields = (raw: unknown, keys: string[]): Record<string, string> => {
  const out: Record<string, string> = {};
  const obj = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  for (const k of keys) {
    const v = first(obj[k]);
    if (v !== undefined) out[k] = v;
  }
  return out;
};

interface Link {
  name: string;
  url: string;
}

interface Render {
  siteCode: string | null;
  traditional: boolean;
  kind: string;
  title: string;
  path: string;
  crumbs: Link[];
  template: string;
  status?: number;
  cache?: 'public' | 'private';
  extra: (dp: NonNullable<Awaited<ReturnType<typeof dynamicPage>>>) => Promise<Record<string, unknown>> | Record<string, unknown>;
}

const PLAIN_404 =
  '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>页面不存在</title></head><body><main><h1>页面不存在</h1><p>您访问的页面不存在或已被删除。<a href="/">返回首页</a></p></main></body></html>';

export function registerInteractionPages(app: JiyueApp, limiter: RateLimiter): void {
  const { store, config, clock } = app.deps;
  const engine = themeEngineFor(app);

  /** The site a page's {site} segment names, if it is open (null: the portal look). */
  const siteOf = async (code: string | undefined): Promise<{ ok: true; code: string | null } | { ok: false }> => {
    if (code === undefined) return { ok: true, code: null };
    if (!SITE_RE.test(code)) return { ok: false };
    const s = await store.db.selectFrom('sites').select('code').where('code', '=', code).where('status', '=', 'open').executeTakeFirst();
    return s ? { ok: true, code: s.code } : { ok: false };
  };

  async function render(reply: FastifyReply, r: Render): Promise<FastifyReply> {
    const dp = await dynamicPage(store.db, { siteCode: r.siteCode, traditional: r.traditional, kind: r.kind, title: r.title, path: r.path, crumbs: r.crumbs, publicUrl: config.publicUrl });
    if (!dp) return reply.code(404).type('text/html; charset=utf-8').send(PLAIN_404);
    const model = { ...dp.ctx, page: { ...dp.ctx.page, title: `${r.title}_${dp.site.name}` }, ...(await r.extra(dp)) };
    let html = await engine.render(dp.site.id, dp.site.theme, r.template, model);
    if (dp.convert) html = toTraditional(html);
    return reply
      .code(r.status ?? 200)
      .header('cache-control', r.cache === 'public' ? 'public, max-age=60' : 'no-store')
      .header('x-robots-tag', r.cache === 'public' ? 'all' : 'noindex')
      .type('text/html; charset=utf-8')
      .send(html);
  }

  const notFound = (reply: FastifyReply, traditional: boolean) =>
    render(reply, { siteCode: null, traditional, kind: 'notfound', title: '页面不存在', path: FAQ_BASE, crumbs: [], template: 'notfound', status: 404, extra: () => ({}) });

  /** Sites by id/code for links from a page (Traditional twins on 繁體 pages). */
  const linker = (dp: NonNullable<Awaited<ReturnType<typeof dynamicPage>>>) => {
    const byCode = new Map(dp.cluster.map((s) => [s.code, s.id]));
    return {
      entry: (e: Pick<PublicFaq, 'siteId' | 'url'>) => dp.link(e.siteId, e.url),
      byCode: (code: string, url: string) => dp.link(byCode.get(code) ?? dp.site.id, url),
      here: (url: string) => dp.link(dp.site.id, url),
    };
  };

  const entryView = (e: PublicFaq, link: ReturnType<typeof linker>) => ({
    id: e.id,
    anchor: `faq-${e.id}`,
    question: e.question,
    answer: e.answer,
    url: link.entry(e),
    topic: e.topic,
    siteName: e.siteName,
    department: e.organisationName ?? e.siteName,
    date: e.publishedAt,
    refTitle: e.refTitle,
    refUrl: e.refUrl,
  });

  // ---------------- 常见问题 ----------------

  const faqList = (traditional: boolean) => async (req: FastifyRequest<{ Params: { site?: string } }>, reply: FastifyReply) => {
    const site = await siteOf(req.params.site);
    if (!site.ok) return notFound(reply, traditional);
    const q = fields(req.query, ['topic', 'page']);
    if (findMalformedText(q)) return notFound(reply, traditional);
    const now = clock();
    const siteRow = site.code === null ? null : await store.db.selectFrom('sites').select(['id', 'name']).where('code', '=', site.code).executeTakeFirst();
    const all = await publicFaqs(store.db, now, siteRow ? { siteId: siteRow.id } : 'all');
    const topicCounts = new Map<string, number>();
    for (const e of all) topicCounts.set(e.topic, (topicCounts.get(e.topic) ?? 0) + 1);
    const topics = [...topicCounts.keys()].sort((a, b) => a.localeCompare(b, 'zh-CN'));
    const topic = q.topic && topicCounts.has(q.topic) ? q.topic : null;
    const chosen = all.filter((e) => !topic || e.topic === topic).sort((a, b) => topics.indexOf(a.topic) - topics.indexOf(b.topic) || a.id - b.id);
    const pages = Math.max(1, Math.ceil(chosen.length / FAQ_PAGE_SIZE));
    const page = Math.min(pages, Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1));
    const listPath = faqListUrl(site.code);
    const pathOf = (over: { topic?: string | null; page?: number }) => {
      const s = new URLSearchParams();
      const t = over.topic === undefined ? topic : over.topic;
      if (t) s.set('topic', t);
      const p = over.page ?? 1;
      if (p > 1) s.set('page', String(p));
      const str = s.toString();
      return `${listPath}${str ? `?${str}` : ''}`;
    };
    const scopeName = siteRow?.name ?? '全站群';
    return render(reply, {
      siteCode: site.code,
      traditional,
      kind: 'faq',
      title: topic ? `${topic} - 常见问题` : '常见问题',
      path: pathOf({ page }),
      crumbs: [{ name: '常见问题', url: listPath }, ...(topic ? [{ name: topic, url: pathOf({ page: 1 }) }] : [])],
      template: 'faq',
      cache: 'public',
      extra: (dp) => {
        const link = linker(dp);
        const slice = chosen.slice((page - 1) * FAQ_PAGE_SIZE, page * FAQ_PAGE_SIZE);
        const groups: { topic: string; items: ReturnType<typeof entryView>[] }[] = [];
        for (const e of slice) {
          const last = groups[groups.length - 1];
          if (last && last.topic === e.topic) last.items.push(entryView(e, link));
          else groups.push({ topic: e.topic, items: [entryView(e, link)] });
        }
        return {
          faq: {
            scope: scopeName,
            isCluster: site.code === null,
            total: chosen.length,
            all: all.length,
            topic,
            allUrl: link.here(pathOf({ topic: null, page: 1 })),
            topics: topics.map((t) => ({ name: t, count: topicCounts.get(t)!, url: link.here(pathOf({ topic: t, page: 1 })), current: t === topic })),
            groups,
            qaUrl: link.here(qaUrl(site.code)),
            clusterUrl: site.code === null ? null : dp.link(dp.cluster[0]?.id ?? dp.site.id, FAQ_BASE),
          },
          pagination:
            pages > 1
              ? {
                  current: page,
                  total: pages,
                  prev: page > 1 ? link.here(pathOf({ page: page - 1 })) : null,
                  next: page < pages ? link.here(pathOf({ page: page + 1 })) : null,
                  pages: Array.from({ length: pages }, (_, i) => ({ number: i + 1, url: link.here(pathOf({ page: i + 1 })), current: i + 1 === page })),
                }
              : undefined,
        };
      },
    });
  };

  const faqEntry = (traditional: boolean) => async (req: FastifyRequest<{ Params: { site: string; file: string } }>, reply: FastifyReply) => {
    const site = await siteOf(req.params.site);
    const m = /^([1-9][0-9]{0,9})\.html$/.exec(req.params.file);
    if (!site.ok || site.code === null || !m) return notFound(reply, traditional);
    const now = clock();
    const id = Number(m[1]);
    const [e] = id <= 2_147_483_647 ? await publicFaqs(store.db, now, { ids: [id] }) : [];
    if (!e || e.siteCode !== site.code) return notFound(reply, traditional);
    const siblings = (await publicFaqs(store.db, now, { siteId: e.siteId })).filter((x) => x.topic === e.topic && x.id !== e.id).slice(0, 8);
    const listPath = faqListUrl(site.code);
    const topicPath = `${listPath}?${new URLSearchParams({ topic: e.topic }).toString()}`;
    return render(reply, {
      siteCode: site.code,
      traditional,
      kind: 'faq',
      title: e.question,
      path: faqEntryUrl(site.code, e.id),
      crumbs: [
        { name: '常见问题', url: listPath },
        { name: e.topic, url: topicPath },
      ],
      template: 'faq-entry',
      cache: 'public',
      extra: (dp) => {
        const link = linker(dp);
        return {
          faqEntry: {
            ...entryView(e, link),
            variants: e.variants,
            effectiveAt: e.effectiveAt,
            expiresAt: e.expiresAt,
            topicUrl: link.here(topicPath),
            listUrl: link.here(listPath),
            qaUrl: link.here(qaUrl(site.code)),
            related: siblings.map((x) => ({ question: x.question, url: link.entry(x) })),
          },
        };
      },
    });
  };

  // ---------------- 智能问答 ----------------

  interface QaState {
    conversation: string | null;
    error?: string | null;
    draft?: string;
    notice?: string | null;
    status?: number;
  }

  const qaPage = async (reply: FastifyReply, traditional: boolean, siteCode: string | null, state: QaState) => {
    const now = clock();
    const items: ConversationItem[] = state.conversation ? await conversationOf(store.db, now, state.conversation) : [];
    const siteRow = siteCode === null ? null : await store.db.selectFrom('sites').select(['id', 'name']).where('code', '=', siteCode).executeTakeFirst();
    const portal = siteRow ? null : await store.db.selectFrom('sites').select(['id']).where('code', '=', PORTAL_CODE).executeTakeFirst();
    const suggestions = items.length === 0 ? await popularEntries(store.db, now, siteRow?.id ?? portal?.id ?? null) : [];
    const path = qaUrl(siteCode);
    return render(reply, {
      siteCode,
      traditional,
      kind: 'qa',
      title: '智能问答',
      path: state.conversation ? `${path}?c=${state.conversation}` : path,
      crumbs: [{ name: '智能问答', url: path }],
      template: 'qa',
      status: state.status,
      extra: (dp) => {
        const link = linker(dp);
        const pre = (u: string) => (traditional ? `${HANT}${u}` : u);
        return {
          qa: {
            scope: siteRow?.name ?? '全站群',
            action: pre(path),
            feedbackAction: pre(`${QA_BASE}feedback`),
            site: siteCode ?? '',
            conversation: state.conversation ?? '',
            max: QUESTION_MAX,
            error: state.error ?? null,
            notice: state.notice ?? null,
            draft: state.draft ?? '',
            faqUrl: link.here(faqListUrl(siteCode === PORTAL_CODE ? null : siteCode)),
            suggestions: suggestions.map((e) => ({ question: e.question, url: link.entry(e) })),
            items: items.map((it, i) => ({
              id: it.questionId,
              anchor: `q-${it.questionId}`,
              last: i === items.length - 1,
              question: it.question,
              askedAt: it.askedAt,
              answer: it.answer && { ...it.answer, url: dp.link(siteIdOf(dp, it.answer.url), it.answer.url), department: it.answer.organisationName ?? it.answer.siteName },
              answerWithdrawn: it.answerWithdrawn,
              related: it.related.map((r) => ({ question: r.question, url: dp.link(siteIdOf(dp, r.url), r.url) })),
              passages: it.passages.map((p) => ({ ...p, url: link.byCode(p.site, p.url) })),
              feedback: it.feedback,
              handled: it.handled,
              canRate: !it.handled,
            })),
          },
        };
      },
    });
  };

  const qaGet = (traditional: boolean) => async (req: FastifyRequest<{ Params: { site?: string } }>, reply: FastifyReply) => {
    const site = await siteOf(req.params.site);
    if (!site.ok) return notFound(reply, traditional);
    const q = fields(req.query, ['c', 'thanks']);
    const conversation = q.c && CONVERSATION_RE.test(q.c) ? q.c : null;
    return qaPage(reply, traditional, site.code, { conversation, notice: conversation && q.thanks === '1' ? '感谢您的评价，我们会据此改进答复。' : null });
  };

  const qaPost = (traditional: boolean) => async (req: FastifyRequest<{ Params: { site?: string } }>, reply: FastifyReply) => {
    const site = await siteOf(req.params.site);
    if (!site.ok) return notFound(reply, traditional);
    const body = fields(req.body, ['question', 'conversation']);
    const conversation = body.conversation && CONVERSATION_RE.test(body.conversation) ? body.conversation : null;
    if (findMalformedText(body)) return qaPage(reply, traditional, site.code, { conversation, error: '问题包含无效的字符，请重新输入', status: 400 });
    const parsed = AskInput.safeParse({ question: body.question ?? '', site: site.code ?? undefined, conversation: conversation ?? undefined });
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? '请输入您的问题';
      return qaPage(reply, traditional, site.code, { conversation, error: message, draft: (body.question ?? '').slice(0, QUESTION_MAX + 50), status: 400 });
    }
    const limited = rateLimited(limiter, req, reply);
    if (limited) return qaPage(reply, traditional, site.code, { conversation, error: limited.message, draft: parsed.data.question, status: 429 });
    const now = clock();
    const r = await askQuestion({ db: store.db, dialect: store.dialect, now }, parsed.data);
    if (!r.ok) return qaPage(reply, traditional, site.code, { conversation, error: r.message.replace(/^输入有误。/, ''), draft: parsed.data.question, status: 400 });
    const back = `${traditional ? HANT : ''}${qaUrl(site.code)}?c=${r.value.conversation}#q-${r.value.questionId}`;
    return reply.code(303).header('cache-control', 'no-store').redirect(back, 303);
  };

  const qaFeedback = (traditional: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const body = fields(req.body, ['id', 'conversation', 'helpful', 'site']);
    const conversation = body.conversation && CONVERSATION_RE.test(body.conversation) ? body.conversation : null;
    const id = body.id && /^[1-9][0-9]{0,9}$/.test(body.id) ? Number(body.id) : null;
    const siteCode = body.site && SITE_RE.test(body.site) ? body.site : null;
    const site = await siteOf(siteCode ?? undefined);
    const code = site.ok ? site.code : null;
    if (!conversation || id === null || id > 2_147_483_647 || (body.helpful !== '1' && body.helpful !== '0'))
      return qaPage(reply, traditional, code, { conversation, error: '评价未能提交：请从问答页面的“有帮助”“没帮助”按钮提交', status: 400 });
    const r = await giveFeedback({ db: store.db, now: clock() }, id, { conversation, helpful: body.helpful === '1' });
    if (!r.ok) return qaPage(reply, traditional, code, { conversation, error: r.message, status: r.code === 'not_found' ? 404 : 409 });
    const back = `${traditional ? HANT : ''}${qaUrl(code)}?c=${conversation}&thanks=1#q-${id}`;
    return reply.code(303).header('cache-control', 'no-store').redirect(back, 303);
  };

  for (const traditional of [false, true]) {
    const p = traditional ? HANT : '';
    app.app.get(`${p}${FAQ_BASE}`, faqList(traditional));
    app.app.get(`${p}${FAQ_BASE}:site/`, faqList(traditional));
    app.app.get(`${p}${FAQ_BASE}:site/:file`, faqEntry(traditional));
    app.app.get(`${p}${QA_BASE}`, qaGet(traditional));
    app.app.get(`${p}${QA_BASE}:site/`, qaGet(traditional));
    app.app.post(`${p}${QA_BASE}`, { bodyLimit: 16 * 1024 }, qaPost(traditional));
    app.app.post(`${p}${QA_BASE}:site/`, { bodyLimit: 16 * 1024 }, qaPost(traditional));
    app.app.post(`${p}${QA_BASE}feedback`, { bodyLimit: 16 * 1024 }, qaFeedback(traditional));
    // Without the trailing slash: to the page.
    for (const base of [FAQ_BASE, QA_BASE]) {
      const bare = base.slice(0, -1);
      app.app.get(`${p}${bare}`, (_req, reply) => reply.redirect(`${p}${base}`, 301));
      app.app.get(`${p}${bare}/:site`, (req: FastifyRequest<{ Params: { site: string } }>, reply) =>
        SITE_RE.test(req.params.site) ? reply.redirect(`${p}${base}${req.params.site}/`, 301) : reply.code(404).type('text/html; charset=utf-8').send(PLAIN_404),
      );
    }
  }
}

/** The site of an entry's address (/hdjl/cjwt/{code}/{id}.html), for links from a page. */
function siteIdOf(dp: { cluster: { id: number; code: string }[]; site: { id: number } }, url: string): number {
  const code = url.startsWith(FAQ_BASE) ? url.slice(FAQ_BASE.length).split('/')[0] : undefined;
  return dp.cluster.find((s) => s.code === code)?.id ?? dp.site.id;
}
