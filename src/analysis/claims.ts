/**
 * The paper's headline claims (data/paper/claims.json, each with its source and evidence
 * label) checked against a user's group scores. Each verdict is 'reproduced' (the claimed
 * figure lies within the uncertainty of ours, plus half a unit in the claim's last digit
 * for rounding), 'not reproduced', or 'not testable' (the data lack the family, the metric
 * or enough models), with the observed figures that decided it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MasaError } from '../core/errors.js';
import { projectRoot } from '../core/paths.js';
import { bootstrapInterval } from './bootstrap.js';
import { normalQuantile } from './distributions.js';
import { elasticity } from './elasticity.js';
import { fitLog } from './fits.js';
import { generationDeltas, type GenerationModel } from './generation-deltas.js';
import type { PaperColumn } from './tables.js';

export type Evidence = 'V' | 'S' | 'U' | 'I';

interface ClaimBase {
  id: string;
  statement: string;
  evidence: Evidence;
  source: string;
  meaning_inferred?: string;
}

export type Claim = ClaimBase &
  (
    | { kind: 'generation_change'; family: string; metric: PaperColumn; from: number; to: number }
    | { kind: 'range'; metric: PaperColumn; low: number; high: number }
    | { kind: 'log_fit_r2'; x: PaperColumn; y: PaperColumn; value: number; tolerance?: number }
    | { kind: 'generation_gain_order'; metrics: PaperColumn[] }
    | { kind: 'elasticity_below_1'; metrics: PaperColumn[] }
  );

export interface ClaimsFile {
  paper: string;
  note: string;
  claims: Claim[];
}

export type Verdict = 'reproduced' | 'not reproduced' | 'not testable';

export interface ClaimCheck {
  id: string;
  statement: string;
  evidence: Evidence;
  source: string;
  verdict: Verdict;
  /** What was measured and how it was compared, in one or two sentences. */
  detail: string;
  /** The observed figures (JSON-ready). */
  observed: Record<string, unknown>;
  /** True when the scores are (partly) from simulated models: the verdict says nothing about real models. */
  synthetic: boolean;
}

export function claimsPath(): string {
  return join(projectRoot(), 'data', 'paper', 'claims.json');
}

export function loadClaims(file = claimsPath()): ClaimsFile {
  let parsed: ClaimsFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as ClaimsFile;
  } catch (e) {
    throw new MasaError(`${file}: cannot read the claims (${(e as Error).message})`);
  }
  if (!Array.isArray(parsed.claims)) throw new MasaError(`${file}: no "claims" array`);
  parsed.claims.forEach((c, i) => {
    if (!c.id || !c.kind || !['V', 'S', 'U', 'I'].includes(c.evidence)) throw new MasaError(`${file}: claims[${i}] needs id, kind and an evidence label V/S/U/I`);
  });
  return parsed;
}

export interface ClaimModel extends GenerationModel {
  synthetic?: boolean;
}

export interface CheckOptions {
  level?: number;
  seed?: number;
  resamples?: number;
}

/** Half a unit in the last decimal the claim was stated with (0.23 → 0.005). */
function rounding(v: number): number {
  const s = String(v);
  const d = s.includes('.') ? s.split('.')[1]!.length : 0;
  return 0.5 * 10 ** -d;
}

const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : String(v));

function values(models: readonly ClaimModel[], metric: PaperColumn): Array<{ v: number; se: number; m: ClaimModel }> {
  return models
    .filter((m) => typeof m[metric] === 'number' && Number.isFinite(m[metric] as number))
    .map((m) => ({ v: m[metric] as number, se: (m[`${metric}_stderr`] as number | null) ?? 0, m }));
}

function check(claim: Claim, models: readonly ClaimModel[], opts: Required<CheckOptions>): Pick<ClaimCheck, 'verdict' | 'detail' | 'observed'> {
  const z = normalQuantile(1 - (1 - opts.level) / 2);
  switch (claim.kind) {
    case 'generation_change': {
      const d = generationDeltas(models.filter((m) => m.family.toLowerCase() === claim.family.toLowerCase())).find((x) => x.size_class === 'all' && x.metric === claim.metric);
      if (!d) return { verdict: 'not testable', detail: `needs ${claim.metric} for at least two generations of ${claim.family}`, observed: {} };
      const tolFrom = z * d.from_se + rounding(claim.from);
      const tolTo = z * d.to_se + rounding(claim.to);
      const ok = Math.abs(d.from - claim.from) <= tolFrom && Math.abs(d.to - claim.to) <= tolTo;
      return {
        verdict: ok ? 'reproduced' : 'not reproduced',
        detail: `${claim.family} ${claim.metric}: ${d.from_generation} ${fmt(d.from)} ± ${fmt(tolFrom)} → ${d.to_generation} ${fmt(d.to)} ± ${fmt(tolTo)} (claimed ${claim.from} → ${claim.to}; tolerance = ${opts.level * 100}% item-sampling interval + rounding)`,
        observed: { from_generation: d.from_generation, to_generation: d.to_generation, from: d.from, from_se: d.from_se, to: d.to, to_se: d.to_se, delta: d.delta, delta_ci: d.ci },
      };
    }
    case 'range': {
      const v = values(models, claim.metric);
      if (v.length < 2) return { verdict: 'not testable', detail: `needs ${claim.metric} for at least two models`, observed: {} };
      const lo = v.reduce((a, b) => (b.v < a.v ? b : a));
      const hi = v.reduce((a, b) => (b.v > a.v ? b : a));
      const ok = lo.v + z * lo.se + rounding(claim.low) >= claim.low && hi.v - z * hi.se - rounding(claim.high) <= claim.high;
      return {
        verdict: ok ? 'reproduced' : 'not reproduced',
        detail: `${claim.metric} ranges from ${fmt(lo.v)} (${lo.m.model}) to ${fmt(hi.v)} (${hi.m.model}) over ${v.length} models; claimed ${claim.low}-${claim.high} (each end allowed its ${opts.level * 100}% interval)`,
        observed: { min: lo.v, min_model: lo.m.model, max: hi.v, max_model: hi.m.model, n: v.length },
      };
    }
    case 'log_fit_r2': {
      const rows = models.filter((m) => typeof m[claim.x] === 'number' && typeof m[claim.y] === 'number' && (m[claim.x] as number) > 0);
      if (rows.length < 4) return { verdict: 'not testable', detail: `needs ${claim.x} > 0 and ${claim.y} for at least 4 models`, observed: {} };
      const x = rows.map((m) => m[claim.x] as number);
      const y = rows.map((m) => m[claim.y] as number);
      const fit = fitLog(x, y);
      const stat = (idx: Int32Array): number => {
        try {
          return fitLog(Array.from(idx, (i) => x[i]!), Array.from(idx, (i) => y[i]!)).r2;
        } catch {
          return NaN;
        }
      };
      const b = bootstrapInterval(rows.length, stat, { resamples: opts.resamples, seed: opts.seed, level: opts.level });
      const tol = claim.tolerance ?? rounding(claim.value);
      const ok = claim.value >= b.percentile[0] - tol && claim.value <= b.percentile[1] + tol;
      return {
        verdict: ok ? 'reproduced' : 'not reproduced',
        detail: `R² of ${claim.y} = a + b ln(${claim.x}) is ${fmt(fit.r2)} (bootstrap ${opts.level * 100}% interval ${fmt(b.percentile[0])}-${fmt(b.percentile[1])}, n = ${fit.n}); claimed ≈${claim.value} (± ${tol})`,
        observed: { r2: fit.r2, ci: b.percentile, n: fit.n, a: fit.params.a, b: fit.params.b },
      };
    }
    case 'generation_gain_order': {
      const families = [...new Set(models.map((m) => m.family))].filter((f) => f !== '').sort();
      const rows: Array<Record<string, unknown>> = [];
      let testable = 0;
      let ok = true;
      for (const f of families) {
        const ds = generationDeltas(models.filter((m) => m.family === f)).filter((d) => d.size_class === 'all');
        const sa = ds.find((d) => d.metric === 'sa');
        for (const metric of claim.metrics) {
          const ma = ds.find((d) => d.metric === metric);
          if (!sa || !ma) continue;
          testable++;
          const diff = sa.delta - ma.delta;
          const lower = diff - z * Math.sqrt(sa.se ** 2 + ma.se ** 2);
          if (!(lower > 0)) ok = false;
          rows.push({ family: f, metric, sa_gain: sa.delta, ma_gain: ma.delta, difference: diff, difference_lower: lower });
        }
      }
      if (testable === 0) return { verdict: 'not testable', detail: 'needs SA and MA scores for two or more generations of a family', observed: {} };
      return {
        verdict: ok ? 'reproduced' : 'not reproduced',
        detail: rows.map((r) => `${r.family}: SA gain ${fmt(r.sa_gain as number)} vs ${r.metric} gain ${fmt(r.ma_gain as number)}`).join('; ') + ` (reproduced when every SA gain exceeds the MA gain beyond its ${opts.level * 100}% interval)`,
        observed: { comparisons: rows },
      };
    }
    case 'elasticity_below_1': {
      const out: Array<Record<string, unknown>> = [];
      let ok = true;
      for (const metric of claim.metrics) {
        const rows = models.filter((m) => typeof m.sa === 'number' && typeof m[metric] === 'number');
        if (rows.length < 4) continue;
        const e = elasticity(rows.map((m) => m.sa), rows.map((m) => m[metric] as number), { resamples: opts.resamples, seed: opts.seed, level: opts.level });
        const upper = e.bootstrap.percentile[1];
        if (!(upper < 1)) ok = false;
        out.push({ metric, slope: e.slope, ci: e.bootstrap.percentile, p_below_1: e.p_below_1, n: e.n });
      }
      if (out.length === 0) return { verdict: 'not testable', detail: 'needs SA and MA scores for at least 4 models', observed: {} };
      return {
        verdict: ok ? 'reproduced' : 'not reproduced',
        detail: out.map((o) => `d(${o.metric})/d(sa) = ${fmt(o.slope as number)} [${(o.ci as number[]).map(fmt).join(', ')}]`).join('; ') + ' (reproduced when every bootstrap interval lies below 1)',
        observed: { slopes: out },
      };
    }
  }
}

/** Checks every claim against the models' group scores. */
export function compareClaims(models: readonly ClaimModel[], claims: readonly Claim[] = loadClaims().claims, opts: CheckOptions = {}): ClaimCheck[] {
  const full = { level: opts.level ?? 0.95, seed: opts.seed ?? 0, resamples: opts.resamples ?? 2000 };
  const synthetic = models.some((m) => m.synthetic === true || m.model.startsWith('sim/'));
  return claims.map((c) => ({
    id: c.id,
    statement: c.statement,
    evidence: c.evidence,
    source: c.source,
    ...check(c, models, full),
    synthetic,
  }));
}
