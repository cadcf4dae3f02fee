/**
 * A small per-client limit on questions (fixed windows, in memory, per process): enough to keep a
 * script from flooding the log and the matcher; a real attack is the reverse proxy's to stop. The
 * client is the request's address as Fastify sees it (behind nginx: X-Forwarded-For, trustProxy).
 */
export interface RateLimitOptions {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
  /** Clients remembered at most (the oldest windows are dropped first). */
  maxClients?: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly opts: RateLimitOptions) {}

  /** Counts a request; true when it is within the limit. */
  take(client: string, now = Date.now()): boolean {
    const w = this.windows.get(client);
    if (!w || now - w.start >= this.opts.windowMs) {
      if (this.windows.size >= (this.opts.maxClients ?? 50_000)) this.prune(now);
      this.windows.set(client, { start: now, count: 1 });
      return true;
    }
    w.count++;
    return w.count <= this.opts.limit;
  }

  /** Seconds until the client's window ends (for Retry-After). */
  retryAfter(client: string, now = Date.now()): number {
    const w = this.windows.get(client);
    return w ? Math.max(1, Math.ceil((w.start + this.opts.windowMs - now) / 1000)) : 1;
  }

  private prune(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.opts.windowMs) this.windows.delete(k);
    if (this.windows.size >= (this.opts.maxClients ?? 50_000)) this.windows.clear();
  }
}

/** Questions per client: 30 a minute (a person types far fewer; a fixture run asks through the function, not HTTP). */
export const QUESTION_LIMIT: RateLimitOptions = { limit: 30, windowMs: 60_000 };
