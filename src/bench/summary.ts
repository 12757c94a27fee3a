/**
 * Per-benchmark summary from item-level scores: accuracy, its standard error (clustered
 * when items share a story or scenario) and a 95% interval, overall and per sub-category.
 */

export interface ItemScore {
  id: string;
  /** Item score in [0, 1] after folding its trials. */
  score: number;
  cluster: string;
  tags: Record<string, string>;
}

export interface ScoreSummary {
  n: number;
  /** Sum of item scores (the number correct when scores are 0/1). */
  correct: number;
  accuracy: number;
  stderr: number;
  ci_low: number;
  ci_high: number;
  /** Number of distinct clusters the standard error was computed over. */
  clusters: number;
}

export interface BenchSummary extends ScoreSummary {
  bench: string;
  /** tag name -> tag value -> summary, e.g. subscores.category.law. */
  subscores: Record<string, Record<string, ScoreSummary>>;
}

const Z95 = 1.959963984540054;

/**
 * Standard error of the mean. With one item per cluster this is the usual sd/sqrt(n)
 * (sample sd); otherwise the cluster-robust (CR1) form: sqrt(G/(G-1) * sum_g (sum_{i in g}(s_i - mean))^2) / n.
 */
export function clusteredStderr(scores: readonly number[], clusters: readonly string[]): number {
  const n = scores.length;
  if (n < 2) return 0;
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  const sums = new Map<string, number>();
  for (let i = 0; i < n; i++) sums.set(clusters[i]!, (sums.get(clusters[i]!) ?? 0) + (scores[i]! - mean));
  const g = sums.size;
  if (g === n) {
    let ss = 0;
    for (const s of scores) ss += (s - mean) ** 2;
    return Math.sqrt(ss / (n - 1) / n);
  }
  if (g < 2) return 0;
  let acc = 0;
  for (const v of sums.values()) acc += v * v;
  return Math.sqrt((g / (g - 1)) * acc) / n;
}

/**
 * Wilson score interval for a proportion, at the effective sample size implied by the
 * standard error (n_eff = p(1-p)/se^2), so clustering widens it. Falls back to n when
 * p is 0 or 1 (where the standard error carries no information).
 */
export function wilsonInterval(p: number, n: number, se: number, z = Z95): [number, number] {
  if (n === 0) return [0, 1];
  let nEff = n;
  if (se > 0 && p > 0 && p < 1) nEff = Math.min(n, (p * (1 - p)) / (se * se));
  const z2 = z * z;
  const denom = 1 + z2 / nEff;
  const centre = (p + z2 / (2 * nEff)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / nEff + z2 / (4 * nEff * nEff))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function summarizeScores(items: readonly ItemScore[]): ScoreSummary {
  const n = items.length;
  const correct = items.reduce((a, b) => a + b.score, 0);
  const accuracy = n === 0 ? 0 : correct / n;
  const stderr = clusteredStderr(
    items.map((i) => i.score),
    items.map((i) => i.cluster),
  );
  const [ci_low, ci_high] = wilsonInterval(accuracy, n, stderr);
  return { n, correct, accuracy, stderr, ci_low, ci_high, clusters: new Set(items.map((i) => i.cluster)).size };
}

export function summarizeBench(bench: string, items: readonly ItemScore[]): BenchSummary {
  const subscores: Record<string, Record<string, ScoreSummary>> = {};
  const groups = new Map<string, Map<string, ItemScore[]>>();
  for (const it of items) {
    for (const [tag, value] of Object.entries(it.tags)) {
      let byValue = groups.get(tag);
      if (!byValue) groups.set(tag, (byValue = new Map()));
      let list = byValue.get(value);
      if (!list) byValue.set(value, (list = []));
      list.push(it);
    }
  }
  for (const [tag, byValue] of groups) {
    subscores[tag] = {};
    for (const [value, list] of [...byValue].sort((a, b) => a[0].localeCompare(b[0]))) {
      subscores[tag]![value] = summarizeScores(list);
    }
  }
  return { bench, ...summarizeScores(items), subscores };
}
