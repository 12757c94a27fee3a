/**
 * The two score tables every analysis starts from:
 *  - tidy: one row per (model, benchmark) with the model's catalog facts and the accuracy,
 *    its standard error and 95% interval;
 *  - groups (wide): one row per model with the SA, MA-U and MA-P group scores and their SEs.
 * Group score = unweighted mean of the group's benchmarks (default: each benchmark counts
 * once, as the paper averages), or item-weighted (Σ correct / Σ n). Its standard error
 * treats benchmarks as independent: sqrt(Σ se_b²)/K unweighted, sqrt(Σ n_b² se_b²)/Σ n_b
 * item-weighted.
 */
import type { Group } from '../bench/types.js';

export interface ModelFacts {
  model: string;
  family: string;
  generation: string;
  generation_rank: number | null;
  params_b: number | null;
  active_params_b: number | null;
  release_date: string;
  /** True for simulated (`sim/...`) models: their scores are synthetic, not measurements. */
  synthetic: boolean;
}

export interface TidyScoreRow extends ModelFacts {
  benchmark: string;
  group: Group;
  n: number;
  accuracy: number;
  stderr: number;
  ci_low: number;
  ci_high: number;
  /** Item-trials whose request still failed (their items are left out of n). */
  errors: number;
  /** Trials cut by the token limit (scored wrong). */
  truncated: number;
  run_id: string;
  /** Precision-targeted runs (`--target-ci`): the interval's method, the items drawn from, where the rule stopped. */
  interval?: string;
  items_total?: number;
  stopped_at?: number | null;
}

export type GroupColumn = 'sa' | 'ma_u' | 'ma_p';

export const GROUP_COLUMNS: Record<Group, GroupColumn> = { SA: 'sa', 'MA-U': 'ma_u', 'MA-P': 'ma_p' };

export interface GroupScoreRow extends ModelFacts {
  sa: number | null;
  sa_stderr: number | null;
  ma_u: number | null;
  ma_u_stderr: number | null;
  ma_p: number | null;
  ma_p_stderr: number | null;
  /** Benchmarks averaged into each group score ('mmlu-pro+gpqa-diamond'). */
  sa_benchmarks: string;
  ma_u_benchmarks: string;
  ma_p_benchmarks: string;
}

export const TIDY_COLUMNS: ReadonlyArray<keyof TidyScoreRow> = [
  'model', 'family', 'generation', 'generation_rank', 'params_b', 'active_params_b', 'release_date', 'synthetic',
  'benchmark', 'group', 'n', 'accuracy', 'stderr', 'ci_low', 'ci_high', 'errors', 'truncated', 'run_id',
];

export const GROUP_TABLE_COLUMNS: ReadonlyArray<keyof GroupScoreRow> = [
  'model', 'family', 'generation', 'generation_rank', 'params_b', 'active_params_b', 'release_date', 'synthetic',
  'sa', 'sa_stderr', 'ma_u', 'ma_u_stderr', 'ma_p', 'ma_p_stderr', 'sa_benchmarks', 'ma_u_benchmarks', 'ma_p_benchmarks',
];

export type Weighting = 'unweighted' | 'items';

/** Folds tidy rows into one row per model with the three group scores. */
export function groupScores(rows: readonly TidyScoreRow[], weighting: Weighting = 'unweighted'): GroupScoreRow[] {
  const byModel = new Map<string, TidyScoreRow[]>();
  for (const r of rows) {
    let list = byModel.get(r.model);
    if (!list) byModel.set(r.model, (list = []));
    list.push(r);
  }
  const out: GroupScoreRow[] = [];
  for (const [, list] of byModel) {
    const f = list[0]!;
    const row: GroupScoreRow = {
      model: f.model, family: f.family, generation: f.generation, generation_rank: f.generation_rank,
      params_b: f.params_b, active_params_b: f.active_params_b, release_date: f.release_date, synthetic: f.synthetic,
      sa: null, sa_stderr: null, ma_u: null, ma_u_stderr: null, ma_p: null, ma_p_stderr: null,
      sa_benchmarks: '', ma_u_benchmarks: '', ma_p_benchmarks: '',
    };
    for (const [group, col] of Object.entries(GROUP_COLUMNS) as Array<[Group, GroupColumn]>) {
      const members = list.filter((r) => r.group === group && r.n > 0).sort((a, b) => a.benchmark.localeCompare(b.benchmark));
      if (members.length === 0) continue;
      const [score, se] = aggregate(members, weighting);
      row[col] = score;
      row[`${col}_stderr`] = se;
      row[`${col}_benchmarks`] = members.map((m) => m.benchmark).join('+');
    }
    out.push(row);
  }
  return out.sort((a, b) => a.family.localeCompare(b.family) || (a.params_b ?? 0) - (b.params_b ?? 0) || a.model.localeCompare(b.model));
}

function aggregate(members: readonly TidyScoreRow[], weighting: Weighting): [number, number] {
  if (weighting === 'items') {
    const N = members.reduce((s, m) => s + m.n, 0);
    const score = members.reduce((s, m) => s + m.accuracy * m.n, 0) / N;
    const se = Math.sqrt(members.reduce((s, m) => s + (m.n * m.stderr) ** 2, 0)) / N;
    return [score, se];
  }
  const K = members.length;
  return [members.reduce((s, m) => s + m.accuracy, 0) / K, Math.sqrt(members.reduce((s, m) => s + m.stderr ** 2, 0)) / K];
}

/**
 * The model × benchmark accuracy matrix from tidy rows, as columns (one array per benchmark,
 * NaN where a model lacks it), ready for `pca(columns, benchmarks)`. Benchmarks are ordered
 * SA, MA-U, MA-P, then by id.
 */
export function benchmarkMatrix(rows: readonly TidyScoreRow[]): { models: string[]; benchmarks: string[]; groups: Group[]; columns: number[][] } {
  const models = [...new Set(rows.map((r) => r.model))];
  const order: Group[] = ['SA', 'MA-U', 'MA-P'];
  const benchGroup = new Map(rows.map((r) => [r.benchmark, r.group]));
  const benchmarks = [...benchGroup.keys()].sort((a, b) => order.indexOf(benchGroup.get(a)!) - order.indexOf(benchGroup.get(b)!) || a.localeCompare(b));
  const at = new Map(rows.map((r) => [`${r.model}\u0000${r.benchmark}`, r.accuracy]));
  return {
    models,
    benchmarks,
    groups: benchmarks.map((b) => benchGroup.get(b)!),
    columns: benchmarks.map((b) => models.map((m) => at.get(`${m}\u0000${b}`) ?? NaN)),
  };
}
