/** Small helpers for the benchmarks: percentiles and the one-line output format "name: value unit". */
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
