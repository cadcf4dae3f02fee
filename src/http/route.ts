import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Ctx } from '../lib/ctx.js';
import { type Failure, type Result, fail } from '../lib/errors.js';
import { findMalformedText, malformedTextFailure, parseInput } from './validate.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * - `public`: anyone (still resolves the actor if there is one).
 * - `user`: an authenticated user who has finished login (password changed, second factor given);
 *   the handler then checks the scoped permission through accounts' `can`.
 * - `pending`: authenticated, but allowed before the forced password change / second factor
 *   (e.g. change-password, verify TOTP, logout, me).
 */
export type Auth = 'public' | 'user' | 'pending';

export interface Input<B, Q, P> {
  body: B;
  query: Q;
  params: P;
}

export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: Method;
  url: string;
  summary: string;
  tag: string;
  auth: Auth;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** HTTP status on success (default 200). */
  status?: number;
  /** For multipart and raw routes: the handler reads the request itself. */
  raw?: boolean;
  /** Body size limit in bytes when a route needs more than the app's default (2 MiB). */
  bodyLimit?: number;
  handler: (ctx: Ctx, input: Input<B, Q, P>, req: FastifyRequest, reply: FastifyReply) => Promise<Result<unknown> | void>;
}

export type AnyRoute = RouteSpec<any, any, any>;

/** Hooks the app provides so this file does not depend on the accounts module. */
export interface RouteEnv {
  makeCtx(req: FastifyRequest): Promise<Ctx>;
  /** Returns a failure when the actor may not call a route of this auth level (401/403, CSRF). */
  gate(ctx: Ctx, auth: Auth, req: FastifyRequest): Failure | null;
  sendFailure(reply: FastifyReply, f: Failure, lang: Ctx['lang']): void;
}

/** Collects route specs: registered on Fastify, described in OpenAPI, walked by the route-table tests. */
export class Router {
  readonly routes: AnyRoute[] = [];
  constructor(
    private readonly app: FastifyInstance,
    private readonly env: RouteEnv,
  ) {}

  add<B, Q, P>(spec: RouteSpec<B, Q, P>): void {
    this.routes.push(spec as AnyRoute);
    const env = this.env;
    this.app.route({
      method: spec.method,
      url: spec.url,
      ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
      handler: async (req, reply) => {
        const ctx = await env.makeCtx(req);
        const denied = env.gate(ctx, spec.auth, req);
        if (denied) return env.sendFailure(reply, denied, ctx.lang);
        const input: Input<any, any, any> = { body: undefined, query: undefined, params: undefined };
        for (const part of ['params', 'query', 'body'] as const) {
          const schema = spec[part];
          if (!schema) continue;
          if (part === 'body' && spec.raw) continue;
          const raw = part === 'body' ? (req.body ?? {}) : part === 'query' ? req.query : req.params;
          const malformed = findMalformedText(raw);
          if (malformed) return env.sendFailure(reply, malformedTextFailure(malformed, ctx.lang), ctx.lang);
          const parsed = parseInput(schema, raw, ctx.lang);
          if (!parsed.ok) return env.sendFailure(reply, parsed, ctx.lang);
          input[part] = parsed.value;
        }
        const result = await spec.handler(ctx, input, req, reply);
        if (result === undefined) return reply;
        if (!result.ok) return env.sendFailure(reply, result, ctx.lang);
        reply.code(spec.status ?? 200);
        return result.value;
      },
    });
  }
}

export const notFound = (what: string): Failure => fail('not_found', `${what}不存在`);
