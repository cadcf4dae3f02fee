/**
 * The published OpenAPI document (GET /api/v1/openapi.json) against the route table it is built
 * from, and — as a real consumer would use it — against what the API actually accepts: the
 * required properties it documents for three write routes are exactly the ones the API refuses
 * to go without.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../src/app.js';
import { openApiDocument } from '../src/http/openapi.js';
import type { AnyRoute } from '../src/http/route.js';
import { type Client, type TestApp, anonymousClient, countRows, createTestApp, loginAs, makeColumn, makeSite, makeUser } from './helpers.js';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
}
interface Operation {
  summary?: unknown;
  operationId?: unknown;
  tags?: unknown;
  parameters?: Parameter[];
  responses?: Record<string, { description?: unknown; content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, string[]>[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Record<string, unknown> }> };
}
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
  paths: Record<string, Record<string, Operation>>;
}

// Built at collection time so that every route gets a test of its own, named after it.
const t: TestApp = await createTestApp();
const apiRoutes: AnyRoute[] = t.jiyue.router.routes.filter((r) => r.url.startsWith('/api/'));
const label = (r: AnyRoute) => `${r.method} ${r.url}`;
const openApiPath = (url: string) => url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
const urlParams = (url: string) => [...url.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);

let doc: Doc;
let served: { status: number; headers: Record<string, unknown> };
beforeAll(async () => {
  const res = await anonymousClient(t).get('/api/v1/openapi.json');
  served = res;
  doc = res.body as Doc;
});
afterAll(() => t.close());

const operationOf = (r: AnyRoute): Operation | undefined => doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()];
const allOperations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));

/** Follows a local JSON pointer ("#/components/schemas/Error") through the document. */
function resolvePointer(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
const deref = (s: unknown): unknown => (s && typeof s === 'object' && typeof (s as { $ref?: unknown }).$ref === 'string' ? resolvePointer((s as { $ref: string }).$ref) : s);

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);
/** Structural problems in a JSON Schema (enough to catch a broken generator, not a full meta-schema check). */
function schemaProblems(s: unknown, at: string, out: string[] = []): string[] {
  if (typeof s === 'boolean') return out;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) {
    out.push(`${at}: not a schema`);
    return out;
  }
  const o = s as Record<string, unknown>;
  if ('$ref' in o && (typeof o.$ref !== 'string' || resolvePointer(o.$ref) === undefined)) out.push(`${at}: unresolvable $ref ${String(o.$ref)}`);
  if ('type' in o) {
    const types = Array.isArray(o.type) ? o.type : [o.type];
    if (!types.every((x) => typeof x === 'string' && JSON_TYPES.has(x))) out.push(`${at}: bad type ${JSON.stringify(o.type)}`);
  }
  if ('required' in o) {
    if (!Array.isArray(o.required) || !o.required.every((x) => typeof x === 'string')) out.push(`${at}: required is not a list of names`);
    else if (o.properties && typeof o.properties === 'object') {
      for (const name of o.required as string[]) if (!Object.hasOwn(o.properties, name)) out.push(`${at}: required "${name}" is not among the properties`);
    }
  }
  if ('properties' in o) {
    if (!o.properties || typeof o.properties !== 'object') out.push(`${at}: properties is not an object`);
    else for (const [k, v] of Object.entries(o.properties)) schemaProblems(v, `${at}.properties.${k}`, out);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (key in o) {
      if (!Array.isArray(o[key]) || (o[key] as unknown[]).length === 0) out.push(`${at}: ${key} is not a non-empty list`);
      else (o[key] as unknown[]).forEach((x, i) => schemaProblems(x, `${at}.${key}[${i}]`, out));
    }
  }
  if ('items' in o) schemaProblems(o.items, `${at}.items`, out);
  if ('additionalProperties' in o) schemaProblems(o.additionalProperties, `${at}.additionalProperties`, out);
  for (const key of ['minLength', 'maxLength', 'minItems', 'maxItems']) {
    if (key in o && !(Number.isInteger(o[key]) && (o[key] as number) >= 0)) out.push(`${at}: ${key} is not a non-negative integer`);
  }
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']) {
    if (key in o && !Number.isFinite(o[key])) out.push(`${at}: ${key} is not a finite number`);
  }
  if ('pattern' in o) {
    try {
      new RegExp(String(o.pattern), 'u');
    } catch {
      out.push(`${at}: pattern does not compile`);
    }
  }
  return out;
}

describe('the document', () => {
  it('is served to anonymous callers as JSON', () => {
    expect(served.status).toBe(200);
    expect(String(served.headers['content-type'])).toMatch(/application\/json/);
  });

  it('is OpenAPI 3.x with a title and the application version', () => {
    expect(typeof doc.openapi).toBe('string');
    expect(doc.openapi.startsWith('3.')).toBe(true);
    expect(doc.info.title).toEqual(expect.any(String));
    expect(doc.info.title.length).toBeGreaterThan(0);
    expect(doc.info.version).toBe(VERSION);
  });

  it('describes the session cookie and bearer-token schemes and the error shape', () => {
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie' });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Error).toMatchObject({
      type: 'object',
      required: ['error'],
      properties: { error: { type: 'object', required: expect.arrayContaining(['code', 'message']), properties: { code: { type: 'string' }, message: { type: 'string' } } } },
    });
  });

  it('is built from a route table that includes the routes checked below', () => {
    expect(apiRoutes.length).toBeGreaterThan(20);
    for (const name of ['POST /api/v1/articles', 'POST /api/v1/users', 'POST /api/v1/columns']) expect(apiRoutes.map(label)).toContain(name);
  });

  it('lists exactly the /api/ routes, no more', () => {
    const documented = allOperations().map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    const expected = apiRoutes.map((r) => `${r.method} ${openApiPath(r.url)}`);
    expect([...documented].sort()).toEqual([...new Set(expected)].sort());
    expect(expected).toHaveLength(new Set(expected).size); // no route registered twice
  });

  it('leaves out routes that are not under /api/', () => {
    for (const r of t.jiyue.router.routes.filter((x) => !x.url.startsWith('/api/'))) expect(doc.paths[openApiPath(r.url)], label(r)).toBeUndefined();
  });

  it('gives every operation an operationId unique across the document', () => {
    const ids = allOperations().map(({ op }) => op.operationId);
    for (const id of ids) expect(typeof id === 'string' && /^[A-Za-z][A-Za-z0-9_]*$/.test(id), String(id)).toBe(true);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(dupes).toEqual([]);
  });

  it('round-trips through JSON.stringify unchanged (no undefined, NaN, functions or cycles)', () => {
    const direct = openApiDocument(t.jiyue.router.routes, VERSION);
    const text = JSON.stringify(direct);
    expect(JSON.parse(text)).toStrictEqual(direct);
    expect(doc).toStrictEqual(JSON.parse(text));
  });

  it('has structurally sound JSON Schemas everywhere, with every $ref resolvable', () => {
    const problems: string[] = [];
    for (const [name, s] of Object.entries(doc.components.schemas)) schemaProblems(s, `components.schemas.${name}`, problems);
    for (const { path, method, op } of allOperations()) {
      const at = `${method.toUpperCase()} ${path}`;
      for (const p of op.parameters ?? []) schemaProblems(p.schema, `${at} parameter ${p.name}`, problems);
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) schemaProblems(media.schema, `${at} body ${type}`, problems);
      for (const [status, resp] of Object.entries(op.responses ?? {})) {
        for (const [type, media] of Object.entries(resp.content ?? {})) schemaProblems(media.schema, `${at} ${status} ${type}`, problems);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe.each(apiRoutes.map((r) => ({ name: label(r), r })))('$name', ({ r }) => {
  it('is documented under its path and method', () => {
    expect(doc.paths[openApiPath(r.url)], 'path').toBeDefined();
    expect(operationOf(r), 'method').toBeDefined();
  });

  it('has a summary and a tag', () => {
    const op = operationOf(r)!;
    expect(typeof op.summary).toBe('string');
    expect((op.summary as string).trim().length).toBeGreaterThan(0);
    expect(op.tags).toEqual([r.tag]);
  });

  it('documents its success status and a 4XX response in the error shape', () => {
    const op = operationOf(r)!;
    expect(op.responses?.[String(r.status ?? 200)]).toBeDefined();
    const four = op.responses?.['4XX'];
    expect(typeof four?.description).toBe('string');
    const schema = deref(four?.content?.['application/json']?.schema);
    expect(schema).toBeDefined();
    expect(schema).toEqual(doc.components.schemas.Error);
  });

  it(`requires authentication in the document exactly when the route is not public (auth: ${r.auth})`, () => {
    const op = operationOf(r)!;
    if (r.auth === 'public') {
      expect(op.security).toBeUndefined();
    } else {
      expect(Array.isArray(op.security) && op.security.length > 0).toBe(true);
      for (const req of op.security!) for (const scheme of Object.keys(req)) expect(doc.components.securitySchemes, scheme).toHaveProperty(scheme);
    }
  });

  it('declares each URL parameter as a required path parameter, and no others', () => {
    const op = operationOf(r)!;
    const names = urlParams(r.url);
    for (const name of names) {
      expect(openApiPath(r.url)).toContain(`{${name}}`);
      expect(op.parameters ?? [], name).toContainEqual(expect.objectContaining({ name, in: 'path', required: true }));
    }
    const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
    expect([...declared].sort()).toEqual([...names].sort());
    for (const p of op.parameters ?? []) expect(['path', 'query', 'header', 'cookie'], p.name).toContain(p.in);
  });

  it('documents its request body', () => {
    const op = operationOf(r)!;
    if (r.raw) {
      if (r.method !== 'GET') expect(Object.keys(op.requestBody?.content ?? {})).toEqual(['multipart/form-data']);
      return;
    }
    if (!r.body) {
      expect(op.requestBody).toBeUndefined();
      return;
    }
    expect(op.requestBody?.required).toBe(true);
    const schema = deref(op.requestBody?.content?.['application/json']?.schema) as Record<string, unknown> | undefined;
    expect(schema, 'application/json schema').toBeDefined();
    const isObject = schema!.type === 'object';
    const isUnion = ['anyOf', 'oneOf', 'allOf'].some((k) => Array.isArray(schema![k]));
    expect(isObject || isUnion, JSON.stringify(schema).slice(0, 200)).toBe(true);
  });
});

// ---------- a consumer's check: documented `required` = what the API refuses to go without ----------

interface WriteCase {
  route: string;
  who: string;
  /** The smallest body the API accepts: exactly the documented required properties. */
  minimal: (n: number) => Record<string, unknown>;
  table: 'articles' | 'users' | 'columns';
}

describe('documented required properties match what the API refuses', () => {
  const ctx = { siteId: 0, columnId: 0 };
  const clients: Record<string, Client> = {};
  const cases: WriteCase[] = [
    { route: 'POST /api/v1/articles', who: 'oa.editor', minimal: (n) => ({ columnId: ctx.columnId, title: `接口文档核对 ${n}` }), table: 'articles' },
    { route: 'POST /api/v1/users', who: 'oa.sec', minimal: (n) => ({ username: `oa.new${n}`, displayName: `新用户 ${n}` }), table: 'users' },
    { route: 'POST /api/v1/columns', who: 'oa.siteadmin', minimal: (n) => ({ siteId: ctx.siteId, name: `核对栏目 ${n}`, slug: `oa-col-${n}` }), table: 'columns' },
  ];

  beforeAll(async () => {
    ctx.siteId = await makeSite(t.store, 'oa-site');
    ctx.columnId = (await makeColumn(t.store, ctx.siteId, 'news')).id;
    await makeUser(t.store, 'oa.editor', [{ role: 'editor', siteId: ctx.siteId }]);
    await makeUser(t.store, 'oa.sec', [{ role: 'secadmin' }]);
    await makeUser(t.store, 'oa.siteadmin', [{ role: 'site_admin', siteId: ctx.siteId }]);
    for (const c of cases) clients[c.who] = await loginAs(t, c.who);
  });

  const bodySchema = (route: string) => {
    const [method, url] = route.split(' ') as [string, string];
    const op = doc.paths[openApiPath(url)]?.[method.toLowerCase()];
    return deref(op?.requestBody?.content?.['application/json']?.schema) as { required?: string[]; properties?: Record<string, unknown>; additionalProperties?: unknown };
  };

  let n = 0;
  describe.each(cases)('$route', (c) => {
    const url = c.route.split(' ')[1]!;

    it('documents exactly the properties of the smallest accepted body as required', () => {
      const s = bodySchema(c.route);
      expect(s.required).toBeDefined();
      expect([...s.required!].sort()).toEqual(Object.keys(c.minimal(0)).sort());
    });

    it('accepts a body with only the documented required properties (nothing else is required)', async () => {
      const before = await countRows(t.store, c.table);
      const res = await clients[c.who]!.post(url, c.minimal(++n));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(await countRows(t.store, c.table)).toBe(before + 1);
    });

    it('refuses a body missing each documented required property with 400 naming it, storing nothing', async () => {
      const required = bodySchema(c.route).required ?? [];
      expect(required.length).toBeGreaterThan(0);
      for (const prop of required) {
        const body = c.minimal(++n);
        delete body[prop];
        const before = await countRows(t.store, c.table);
        const res = await clients[c.who]!.post(url, body);
        expect(res.status, `without ${prop}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.error.code).toBe('validation_failed');
        const paths = (res.body.error.details.issues as { path: string }[]).map((i) => i.path);
        expect(paths, `without ${prop}`).toContain(prop);
        expect(await countRows(t.store, c.table)).toBe(before);
      }
    });

    it('refuses an undocumented property when the document says none are allowed', async () => {
      const s = bodySchema(c.route);
      expect(s.additionalProperties).toBe(false);
      const before = await countRows(t.store, c.table);
      const res = await clients[c.who]!.post(url, { ...c.minimal(++n), notInTheDocument: 1 });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(await countRows(t.store, c.table)).toBe(before);
    });

    it('every documented property is one the API knows (none is refused as unrecognised)', async () => {
      const s = bodySchema(c.route);
      const documented = Object.keys(s.properties ?? {});
      expect(documented.length).toBeGreaterThanOrEqual((s.required ?? []).length);
      // Send each documented property with a value no documented type accepts (a list of objects): the
      // API must complain about that property, not about an unknown key.
      const before = await countRows(t.store, c.table);
      for (const prop of documented) {
        const res = await clients[c.who]!.post(url, { ...c.minimal(++n), [prop]: [{ wrong: 'kind' }] });
        expect(res.status, prop).toBe(400);
        const issues = res.body.error.details.issues as { path: string; message: string }[];
        expect(issues.map((i) => i.path.split('.')[0]), prop).toContain(prop);
      }
      expect(await countRows(t.store, c.table)).toBe(before);
    });
  });
});
