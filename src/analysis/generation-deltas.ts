/**
 * Generation deltas (the paper's headline comparison): for each family, and for each size
 * class within it, the change in SA, MA-U and MA-P from the earliest to the latest
 * generation present. When a generation has several models in the cell, their mean is
 * used. Intervals are normal, from the per-model standard errors (benchmark item sampling;
 * models treated as independent): se(mean of k) = sqrt(Σ se²)/k, se(Δ) = sqrt(se_from² + se_to²).
 * They cover item-sampling noise only, not the choice of models.
 */
import { normalQuantile } from './distributions.js';
import type { PaperColumn } from './tables.js';

export interface SizeClass {
  name: string;
  /** Upper bound in billions of parameters (exclusive); the classes are taken in order. */
  below: number;
}

/** Default size classes (billions of parameters): <3, 3-10, 10-40, >=40. */
export const DEFAULT_SIZE_CLASSES: readonly SizeClass[] = [
  { name: '<3B', below: 3 },
  { name: '3-10B', below: 10 },
  { name: '10-40B', below: 40 },
  { name: '>=40B', below: Infinity },
];

export interface GenerationModel {
  model: string;
  family: string;
  generation: string;
  generation_rank: number | null;
  params_b: number | null;
  active_params_b?: number | null;
  sa: number | null;
  sa_stderr: number | null;
  ma_u: number | null;
  ma_u_stderr: number | null;
  ma_p: number | null;
  ma_p_stderr: number | null;
}

export interface GenerationDelta {
  family: string;
  /** A size class name, or 'all' for the family's generation means over every size. */
  size_class: string;
  metric: PaperColumn;
  from_generation: string;
  to_generation: string;
  from_models: string[];
  to_models: string[];
  from: number;
  from_se: number;
  to: number;
  to_se: number;
  delta: number;
  se: number;
  ci: [number, number];
}

export function sizeClassOf(params: number, classes: readonly SizeClass[] = DEFAULT_SIZE_CLASSES): string {
  return (classes.find((c) => params < c.below) ?? classes[classes.length - 1]!).name;
}

const METRICS: readonly PaperColumn[] = ['sa', 'ma_u', 'ma_p'];

function cellMean(models: readonly GenerationModel[], metric: PaperColumn): { value: number; se: number } | null {
  const ok = models.filter((m) => typeof m[metric] === 'number' && Number.isFinite(m[metric] as number));
  if (ok.length === 0) return null;
  const k = ok.length;
  return {
    value: ok.reduce((s, m) => s + (m[metric] as number), 0) / k,
    se: Math.sqrt(ok.reduce((s, m) => s + (m[`${metric}_stderr`] ?? 0) ** 2, 0)) / k,
  };
}

function deltasFor(family: string, sizeClass: string, models: readonly GenerationModel[], level: number): GenerationDelta[] {
  const ranked = models.filter((m) => m.generation_rank !== null);
  if (ranked.length === 0) return [];
  const ranks = [...new Set(ranked.map((m) => m.generation_rank!))].sort((a, b) => a - b);
  if (ranks.length < 2) return [];
  const z = normalQuantile(1 - (1 - level) / 2);
  const out: GenerationDelta[] = [];
  for (const metric of METRICS) {
    // Earliest and latest generation that has this metric in the cell.
    const has = ranks.filter((r) => cellMean(ranked.filter((m) => m.generation_rank === r), metric));
    if (has.length < 2) continue;
    const first = ranked.filter((m) => m.generation_rank === has[0]);
    const last = ranked.filter((m) => m.generation_rank === has[has.length - 1]);
    const a = cellMean(first, metric)!;
    const b = cellMean(last, metric)!;
    const se = Math.sqrt(a.se ** 2 + b.se ** 2);
    const delta = b.value - a.value;
    out.push({
      family,
      size_class: sizeClass,
      metric,
      from_generation: first[0]!.generation,
      to_generation: last[0]!.generation,
      from_models: first.filter((m) => typeof m[metric] === 'number').map((m) => m.model),
      to_models: last.filter((m) => typeof m[metric] === 'number').map((m) => m.model),
      from: a.value,
      from_se: a.se,
      to: b.value,
      to_se: b.se,
      delta,
      se,
      ci: [delta - z * se, delta + z * se],
    });
  }
  return out;
}

/**
 * Earliest → latest generation changes per family ('all' sizes: generation means) and per
 * (family, size class). `size` picks total or active parameters for the classes.
 */
export function generationDeltas(
  models: readonly GenerationModel[],
  opts: { sizeClasses?: readonly SizeClass[]; size?: 'params_b' | 'active_params_b'; level?: number } = {},
): GenerationDelta[] {
  const level = opts.level ?? 0.95;
  const classes = opts.sizeClasses ?? DEFAULT_SIZE_CLASSES;
  const sizeKey = opts.size ?? 'params_b';
  const out: GenerationDelta[] = [];
  for (const family of [...new Set(models.map((m) => m.family))].sort()) {
    const fam = models.filter((m) => m.family === family);
    out.push(...deltasFor(family, 'all', fam, level));
    for (const c of classes) {
      const cell = fam.filter((m) => {
        const p = m[sizeKey];
        return typeof p === 'number' && sizeClassOf(p, classes) === c.name;
      });
      out.push(...deltasFor(family, c.name, cell, level));
    }
  }
  return out;
}

export interface GenerationMean {
  family: string;
  generation: string;
  generation_rank: number;
  models: number;
  sa: number | null;
  sa_se: number | null;
  ma_u: number | null;
  ma_u_se: number | null;
  ma_p: number | null;
  ma_p_se: number | null;
}

/** Mean group scores per (family, generation), for trend plots. */
export function generationMeans(models: readonly GenerationModel[]): GenerationMean[] {
  const keys = new Map<string, GenerationModel[]>();
  for (const m of models) {
    if (m.generation_rank === null) continue;
    const k = `${m.family}\u0000${m.generation_rank}`;
    let list = keys.get(k);
    if (!list) keys.set(k, (list = []));
    list.push(m);
  }
  return [...keys.values()]
    .map((list) => {
      const g: GenerationMean = {
        family: list[0]!.family, generation: list[0]!.generation, generation_rank: list[0]!.generation_rank!, models: list.length,
        sa: null, sa_se: null, ma_u: null, ma_u_se: null, ma_p: null, ma_p_se: null,
      };
      for (const metric of METRICS) {
        const c = cellMean(list, metric);
        if (c) {
          g[metric] = c.value;
          g[`${metric}_se`] = c.se;
        }
      }
      return g;
    })
    .sort((a, b) => a.family.localeCompare(b.family) || a.generation_rank - b.generation_rank);
}
