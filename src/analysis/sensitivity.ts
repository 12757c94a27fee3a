/**
 * Does a conclusion hang on the answer parser? Each headline statistic (the SA-MA correlations,
 * the log fit's slope and R², the generation deltas) computed twice, from the scores under the
 * upstream policy (the benchmark authors' own extraction) and under the robust one, with a flag
 * wherever the sign or the significance (two-sided, alpha 0.05 by default) differs between them.
 * Analytic tests only, so it is cheap enough for every report; the bootstrap intervals of the
 * chosen policy stay in the main analysis.
 */
import type { ExtractionPolicy } from '../bench/types.js';
import { normalSf, studentTTwoSided } from './distributions.js';
import { fitLog } from './fits.js';
import { generationDeltas } from './generation-deltas.js';
import { kendall } from './kendall.js';
import { pearson } from './pearson.js';
import { spearman } from './spearman.js';
import { groupScores, type PaperColumn, type GroupScoreRow, type TidyScoreRow } from './tables.js';

export interface PolicyEstimate {
  estimate: number;
  /** Two-sided p-value (null for R², which has no sign to test). */
  p: number | null;
  n: number;
  significant: boolean | null;
}

export interface HeadlineStat {
  /** 'sa→ma_p: Pearson r', 'Qwen ma_p Δ (Qwen1.5 → Qwen3)', ... */
  statistic: string;
  kind: 'correlation' | 'slope' | 'r2' | 'delta';
  upstream: PolicyEstimate | null;
  robust: PolicyEstimate | null;
  sign_changes: boolean;
  significance_changes: boolean;
  /** What changes, in words; null when the conclusion survives the change of parser. */
  flag: string | null;
}

export interface Sensitivity {
  alpha: number;
  models: Record<ExtractionPolicy, number>;
  stats: HeadlineStat[];
  /** Statistics whose sign or significance differs between the policies. */
  flagged: number;
  /** Per benchmark where the policies differ at all: the model with the largest |accuracy_upstream - accuracy_robust|. */
  largest_gap: Array<{ benchmark: string; model: string; upstream: number; robust: number }>;
}

export const HEADLINE_PAIRS: ReadonlyArray<[PaperColumn, PaperColumn]> = [
  ['sa', 'ma_u'],
  ['sa', 'ma_p'],
  ['ma_u', 'ma_p'],
];

const LABEL: Record<PaperColumn, string> = { sa: 'SA', ma_u: 'MA-U', ma_p: 'MA-P' };

function attempt<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

function est(estimate: number, p: number | null, n: number, alpha: number): PolicyEstimate | null {
  if (!Number.isFinite(estimate)) return null;
  return { estimate, p, n, significant: p === null || !Number.isFinite(p) ? null : p < alpha };
}

/** The headline statistics of one policy's models, keyed by statistic name. */
export function headlineStats(models: readonly GroupScoreRow[], alpha = 0.05): Map<string, { kind: HeadlineStat['kind']; value: PolicyEstimate | null }> {
  const out = new Map<string, { kind: HeadlineStat['kind']; value: PolicyEstimate | null }>();
  for (const [xk, yk] of HEADLINE_PAIRS) {
    const x = models.map((m) => m[xk]);
    const y = models.map((m) => m[yk]);
    const name = `${LABEL[xk]}→${LABEL[yk]}`;
    const pr = attempt(() => pearson(x, y));
    out.set(`${name}: Pearson r`, { kind: 'correlation', value: pr ? est(pr.estimate, pr.p, pr.n, alpha) : null });
    const sr = attempt(() => spearman(x, y));
    out.set(`${name}: Spearman ρ`, { kind: 'correlation', value: sr ? est(sr.estimate, sr.p, sr.n, alpha) : null });
    const kt = attempt(() => kendall(x, y));
    out.set(`${name}: Kendall τ`, { kind: 'correlation', value: kt ? est(kt.estimate, kt.p, kt.n, alpha) : null });
    const lf = attempt(() => fitLog(x, y));
    const b = lf?.params.b;
    const se = lf?.se.b;
    const p = lf && b !== undefined && se !== undefined && se > 0 && lf.df_resid > 0 ? studentTTwoSided(b / se, lf.df_resid) : null;
    out.set(`${name}: log-fit slope b`, { kind: 'slope', value: lf && b !== undefined ? est(b, p, lf.n, alpha) : null });
    out.set(`${name}: log-fit R²`, { kind: 'r2', value: lf ? est(lf.r2, null, lf.n, alpha) : null });
  }
  for (const d of generationDeltas(models).filter((g) => g.size_class === 'all')) {
    const p = d.se > 0 ? 2 * normalSf(Math.abs(d.delta / d.se)) : null;
    out.set(`${d.family} ${LABEL[d.metric]} Δ (${d.from_generation} → ${d.to_generation})`, {
      kind: 'delta',
      value: est(d.delta, p, d.from_models.length + d.to_models.length, alpha),
    });
  }
  return out;
}

function compare(statistic: string, kind: HeadlineStat['kind'], up: PolicyEstimate | null, rob: PolicyEstimate | null): HeadlineStat {
  let sign = false;
  let sig = false;
  const why: string[] = [];
  if (up && rob) {
    if (kind !== 'r2' && Math.sign(up.estimate) !== Math.sign(rob.estimate) && up.estimate !== 0 && rob.estimate !== 0) {
      sign = true;
      why.push(`sign flips (${up.estimate.toFixed(3)} upstream, ${rob.estimate.toFixed(3)} robust)`);
    }
    if (up.significant !== null && rob.significant !== null && up.significant !== rob.significant) {
      sig = true;
      why.push(`significant only under ${up.significant ? 'upstream' : 'robust'} (p ${up.p!.toPrecision(2)} upstream, ${rob.p!.toPrecision(2)} robust)`);
    }
  } else if (up || rob) {
    why.push(`computable only under ${up ? 'upstream' : 'robust'}`);
  }
  return { statistic, kind, upstream: up, robust: rob, sign_changes: sign, significance_changes: sig, flag: why.length > 0 ? why.join('; ') : null };
}

/** Sensitivity from the tidy rows as each policy reads them (policy-scores.ts rowsUnderPolicy). */
export function sensitivity(rows: Record<ExtractionPolicy, readonly TidyScoreRow[]>, opts: { alpha?: number } = {}): Sensitivity {
  const alpha = opts.alpha ?? 0.05;
  const models = { upstream: groupScores(rows.upstream.filter((r) => r.n > 0)), robust: groupScores(rows.robust.filter((r) => r.n > 0)) };
  const up = headlineStats(models.upstream, alpha);
  const rob = headlineStats(models.robust, alpha);
  const names = [...new Set([...up.keys(), ...rob.keys()])];
  const stats = names.map((n) => compare(n, (up.get(n) ?? rob.get(n))!.kind, up.get(n)?.value ?? null, rob.get(n)?.value ?? null));
  const gaps = new Map<string, { benchmark: string; model: string; upstream: number; robust: number }>();
  rows.upstream.forEach((r, i) => {
    const q = rows.robust[i];
    if (!q || r.n === 0) return;
    const prev = gaps.get(r.benchmark);
    if (!prev || Math.abs(r.accuracy - q.accuracy) > Math.abs(prev.upstream - prev.robust)) {
      gaps.set(r.benchmark, { benchmark: r.benchmark, model: r.model, upstream: r.accuracy, robust: q.accuracy });
    }
  });
  return {
    alpha,
    models: { upstream: models.upstream.length, robust: models.robust.length },
    stats,
    flagged: stats.filter((s) => s.flag !== null).length,
    largest_gap: [...gaps.values()].filter((g) => g.upstream !== g.robust),
  };
}

/** The table as plain text lines (masa analyze, masa demo). */
export function sensitivityLines(s: Sensitivity): string[] {
  const f = (e: PolicyEstimate | null): string => (e ? `${e.estimate >= 0 ? ' ' : ''}${e.estimate.toFixed(3)}${e.p === null ? '' : ` (p ${e.p < 1e-4 ? e.p.toExponential(1) : e.p.toFixed(4)})`}` : '-');
  const w = Math.max(30, ...s.stats.map((x) => x.statistic.length));
  const out = [`${'statistic'.padEnd(w)}  ${'upstream'.padEnd(20)}  ${'robust'.padEnd(20)}  conclusion`];
  for (const x of s.stats) out.push(`${x.statistic.padEnd(w)}  ${f(x.upstream).padEnd(20)}  ${f(x.robust).padEnd(20)}  ${x.flag ? `CHANGES: ${x.flag}` : 'same'}`);
  out.push(`${s.flagged} of ${s.stats.length} headline statistics change sign or significance (alpha ${s.alpha}) between the two answer parsers`);
  return out;
}
