/**
 * Multiple-comparison adjustment of p-values (many benchmark × model cells, or many
 * correlations): Holm's step-down (family-wise error) and Benjamini-Hochberg (false
 * discovery rate), as statsmodels.stats.multitest.multipletests ('holm', 'fdr_bh').
 * NaN p-values are passed through and not counted.
 */
export function adjustPValues(p: readonly number[], method: 'holm' | 'bh'): number[] {
  const idx = p.map((_, i) => i).filter((i) => !Number.isNaN(p[i]!));
  const m = idx.length;
  const out = p.map(() => NaN);
  if (m === 0) return out;
  if (method === 'holm') {
    const order = [...idx].sort((a, b) => p[a]! - p[b]!);
    let running = 0;
    order.forEach((i, k) => {
      running = Math.max(running, Math.min(1, (m - k) * p[i]!));
      out[i] = running;
    });
    return out;
  }
  const order = [...idx].sort((a, b) => p[b]! - p[a]!);
  let running = 1;
  order.forEach((i, k) => {
    const rank = m - k;
    running = Math.min(running, (p[i]! * m) / rank);
    out[i] = Math.min(1, running);
  });
  return out;
}
