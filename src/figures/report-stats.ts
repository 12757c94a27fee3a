/**
 * The statistics the report prints, composed from the analysis layer: the three SA/MA pair
 * analyses (correlations with bootstrap intervals, linear/log/logistic fits with R² and
 * AIC), elasticities, generation deltas, PCA variance, held-out size predictions and the
 * paper's claims checked against these scores.
 */
import { analyzePair, type PairAnalysis } from '../analysis/analyze-pair.js';
import { compareClaims, loadClaims, type ClaimCheck } from '../analysis/claims.js';
import { generationDeltas, type GenerationDelta } from '../analysis/generation-deltas.js';
import type { PcaResult } from '../analysis/pca.js';
import { sensitivity, type Sensitivity } from '../analysis/sensitivity.js';
import { MasaError } from '../core/errors.js';
import { elasticityRows, type ElasticityRow } from './elasticity-intervals.js';
import { groupChance, type FigureData } from './figure-data.js';
import { holdoutPoints, type HoldoutSummary } from './holdout-predictions.js';
import { benchmarkPca } from './pca-loadings.js';

export interface ReportOptions {
  seed?: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Permutations for the permutation p-values (default 2000). */
  permutations?: number;
  /** Claims file (default data/paper/claims.json). */
  claimsFile?: string;
  /** Held-out check: fit on models of at most this many billion parameters. */
  cutoffB?: number;
}

export interface ReportStats {
  seed: number;
  resamples: number;
  models: number;
  benchmarks: number;
  synthetic: boolean;
  /** Runs with no scored item, left out of everything. */
  unscored: Array<{ model: string; benchmark: string }>;
  pairs: PairAnalysis[];
  /** Why a pair could not be analysed. */
  pairErrors: Array<{ pair: string; reason: string }>;
  elasticity: ElasticityRow[];
  deltas: GenerationDelta[];
  pca: PcaResult | null;
  pcaError: string | null;
  holdout: { cutoffB: number; summaries: HoldoutSummary[] } | null;
  claims: ClaimCheck[];
  claimsError: string | null;
  /** SA against the pillars the games measure, and each game run's invalid-move rate; null without games. */
  pillars: PillarStats | null;
  /** The headline statistics under both extraction policies (null: the table has one policy only). */
  sensitivity: Sensitivity | null;
}

export interface PillarStats {
  pairs: PairAnalysis[];
  pairErrors: Array<{ pair: string; reason: string }>;
  /** Every game row: its score on [0, 1] with the interval and the invalid-move rate. */
  games: Array<{ model: string; benchmark: string; group: string; partner: string; score: number; ci: [number, number]; n: number; invalid_rate: number | null }>;
}

const PILLAR_PAIRS: Array<{ x: 'sa'; y: 'ma_c' | 'ma_a' | 'ma_p_play' }> = [
  { x: 'sa', y: 'ma_c' },
  { x: 'sa', y: 'ma_a' },
  { x: 'sa', y: 'ma_p_play' },
];

/** The pillar analyses: the same pair analysis as the paper's groups, with no chance floor (a game's random play is not a known constant). */
function pillarStats(data: FigureData, seed: number, resamples: number, permutations: number): PillarStats | null {
  if (data.play.length === 0) return null;
  const models = data.models;
  const pairs: PairAnalysis[] = [];
  const pairErrors: PillarStats['pairErrors'] = [];
  for (const p of PILLAR_PAIRS) {
    if (!models.some((m) => m[p.y] !== null)) continue;
    const r = attempt(() => analyzePair(p.x, p.y, models.map((m) => m[p.x]), models.map((m) => m[p.y]), { seed, resamples, permutations, floor: 0, size: models.map((m) => m.params_b) }));
    if (r.value) pairs.push(r.value);
    else pairErrors.push({ pair: `${p.x} → ${p.y}`, reason: r.error! });
  }
  const games = data.play.map((r) => ({ model: r.model, benchmark: r.benchmark, group: r.group, partner: r.partner ?? '', score: r.accuracy, ci: [r.ci_low, r.ci_high] as [number, number], n: r.n, invalid_rate: r.invalid_rate ?? null }));
  return { pairs, pairErrors, games };
}

const PAIRS: Array<{ x: 'sa' | 'ma_u'; y: 'ma_u' | 'ma_p'; chance: 'MA-U' | 'MA-P' }> = [
  { x: 'sa', y: 'ma_u', chance: 'MA-U' },
  { x: 'sa', y: 'ma_p', chance: 'MA-P' },
  { x: 'ma_u', y: 'ma_p', chance: 'MA-P' },
];

function attempt<T>(f: () => T): { value: T | null; error: string | null } {
  try {
    return { value: f(), error: null };
  } catch (e) {
    if (!(e instanceof MasaError)) throw e;
    return { value: null, error: e.message };
  }
}

export function reportStats(data: FigureData, opts: ReportOptions = {}): ReportStats {
  const seed = opts.seed ?? 0;
  const resamples = opts.resamples ?? 2000;
  const models = data.models;
  const pairs: PairAnalysis[] = [];
  const pairErrors: ReportStats['pairErrors'] = [];
  for (const p of PAIRS) {
    const r = attempt(() =>
      analyzePair(p.x, p.y, models.map((m) => m[p.x]), models.map((m) => m[p.y]), {
        seed,
        resamples,
        permutations: opts.permutations ?? 2000,
        // The logistic form's floor is the y group's chance level, as the paper's chance lines suggest.
        floor: groupChance(data.benchmarks, p.chance) ?? 0,
        size: models.map((m) => m.params_b),
      }),
    );
    if (r.value) pairs.push(r.value);
    else pairErrors.push({ pair: `${p.x} → ${p.y}`, reason: r.error! });
  }
  const pcaR = attempt(() => benchmarkPca(data));
  const hold = attempt(() => holdoutPoints(data, { cutoffB: opts.cutoffB }));
  let claims: ClaimCheck[] = [];
  let claimsError: string | null = null;
  try {
    claims = compareClaims(models, loadClaims(opts.claimsFile).claims, { seed, resamples });
  } catch (e) {
    if (!(e instanceof MasaError)) throw e;
    claimsError = e.message;
  }
  return {
    seed,
    resamples,
    models: models.length,
    benchmarks: data.benchmarks.length,
    synthetic: data.synthetic,
    unscored: data.unscored,
    pairs,
    pairErrors,
    elasticity: elasticityRows(data, { seed, resamples }),
    deltas: generationDeltas(models),
    pca: pcaR.value,
    pcaError: pcaR.error,
    holdout: hold.value && hold.value.summaries.length > 0 ? { cutoffB: hold.value.cutoffB, summaries: hold.value.summaries } : null,
    claims,
    claimsError,
    pillars: pillarStats(data, seed, resamples, opts.permutations ?? 2000),
    sensitivity: data.policyTidy ? sensitivity(data.policyTidy) : null,
  };
}
