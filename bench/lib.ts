/** Small helpers for the benchmarks: percentiles, the one-line output format "name: value unit", wrk. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function line(name: string, value: number, unit: string): void {
  const v = value >= 100 ? Math.round(value).toString() : value.toFixed(value >= 10 ? 1 : 2);
  console.log(`${name}: ${v} ${unit}`);
}

/** Runs `fn` n times sequentially and returns the sorted latencies in milliseconds. */
export async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

/** Runs `fn` with `concurrency` loops for `ms` milliseconds; returns completed calls per second. */
export async function throughput(ms: number, concurrency: number, fn: () => Promise<unknown>): Promise<number> {
  let done = 0;
  const end = performance.now() + ms;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await fn();
        done++;
      }
    }),
  );
  return done / ((performance.now() - t0) / 1000);
}

export const WRK = '/usr/bin/wrk';

/** Runs a program to its end; its standard output, or an error with its standard error. */
export function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err}`))));
  });
}

/**
 * Requests per second from Debian's wrk (one thread, another process) against `url`, or against
 * `paths` of its host chosen per request by `pick` ('zipf': the path of rank r with probability
 * ∝ 1/r, as searches follow their hot list; 'uniform'). Any non-2xx/3xx response is an error.
 */
export async function wrk(url: string, opts: { connections: number; seconds: number; headers?: Record<string, string>; paths?: string[]; pick?: 'zipf' | 'uniform' }): Promise<number> {
  const args = ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}: ${v}`);
  let script: string | undefined;
  if (opts.paths) {
    const list = opts.paths.map((p) => JSON.stringify(p)).join(',\n');
    const pick = opts.pick === 'uniform' ? 'math.random(n)' : 'math.min(n, math.floor(math.exp(math.random() * math.log(n + 1))))';
    script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jiyue-wrk-')), 'paths.lua');
    fs.writeFileSync(script, `local paths = {\n${list}\n}\nlocal n = #paths\nmath.randomseed(20261203)\nrequest = function()\n  return wrk.format("GET", paths[${pick}])\nend\n`);
    args.push('-s', script);
  }
  try {
    const out = await run(WRK, [...args, url]);
    const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
    if (!m) throw new Error(`unexpected wrk output: ${out}`);
    if (/Non-2xx or 3xx responses/.test(out)) throw new Error(`errors during the run: ${out}`);
    return Number(m[1]);
  } finally {
    if (script) fs.rmSync(path.dirname(script), { recursive: true, force: true });
  }
}
