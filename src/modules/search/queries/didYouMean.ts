/**
 * "Did you mean" (您是不是要找) for common typos, through the dictionary (pure part): a query
 * containing a near miss of a government term — one character wrong (公基金 → 公积金,
 * 社会保检 → 社会保险) — is offered with the term put right. Terms of three or more characters
 * only: two-character words are a single substitution away from too many other words.
 */
export function corrections(q: string, vocabulary: readonly string[], max = 3): string[] {
  const out = new Map<string, number>();
  const chars = [...q];
  for (const v of vocabulary) {
    const vc = [...v];
    if (vc.length < 3 || q.includes(v)) continue;
    for (let i = 0; i + vc.length <= chars.length; i++) {
      let diff = 0;
      for (let k = 0; k < vc.length && diff < 2; k++) if (chars[i + k] !== vc[k]) diff++;
      if (diff !== 1) continue;
      const fixed = [...chars.slice(0, i), ...vc, ...chars.slice(i + vc.length)].join('');
      out.set(fixed, Math.max(out.get(fixed) ?? 0, vc.length));
    }
  }
  return [...out.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([s]) => s);
}
