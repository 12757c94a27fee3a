/**
 * The two score tables every analysis starts from:
 *  - tidy: one row per (model, benchmark) with the model's catalog facts and the accuracy,
 *    its standard error and 95% interval;
 *  - groups (wide): one row per model with the group scores and their SEs: the paper's SA,
 *    MA-U and MA-P, and the games' MA-C, MA-A and MA-P-play (only rows marked canonical feed them).
 * Group score = unweighted mean of the group's benchmarks (default: each benchmark counts
 * once, as the paper averages), or item-weighted (Σ correct / Σ n). Its standard error
 * treats benchmarks as independent: sqrt(Σ se_b²)/K unweighted, sqrt(Σ n_b² se_b²)/Σ n_b
 * item-weighted.
 */
import type { Group } from '../bench/types.js';
import type { PlayGroup } from '../play/types.js';

/** The paper's three benchmark groups and the three the games feed (MA-C, MA-A, MA-P-play). */
export type ScoreGroup = Group | PlayGroup;

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
  /** A benchmark id, a game id (its headline measure), or `<game>:<measure>`. */
  benchmark: string;
  group: ScoreGroup;
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
  /** A game run's partner ('self', 'bot:<name>', 'model:<name>', 'panel', 'cross' for a
   * cross-play summary); '' for benchmarks. */
  partner?: string;
  /** False for rows that do not feed their group score: a game played with a partner other than
   * the game's default (cross-play). Benchmarks and default-partner games are canonical. */
  canonical?: boolean;
  /** A game run's unusable replies over requests for the model under evaluation (null for benchmarks). */
  invalid_rate?: number | null;
  /** Who gathered the samples: 'masa', or the harness they were imported from ('lm-eval', 'inspect', ...). Absent: masa. */
  source?: string;
  /** Precision-targeted runs (`--target-ci`): the interval's method, the items drawn from, where the rule stopped. */
  interval?: string;
  items_total?: number;
  stopped_at?: number | null;
}

export type GroupColumn = 'sa' | 'ma_u' | 'ma_p' | 'ma_c' | 'ma_a' | 'ma_p_play';
/** The columns of the paper's three groups (its claims and generation deltas are about these). */
export type PaperColumn = 'sa' | 'ma_u' | 'ma_p';

export const GROUP_COLUMNS: Record<ScoreGroup, GroupColumn> = { SA: 'sa', 'MA-U': 'ma_u', 'MA-P': 'ma_p', 'MA-C': 'ma_c', 'MA-A': 'ma_a', 'MA-P-play': 'ma_p_play' };

export interface GroupScoreRow extends ModelFacts {
  sa: number | null;
  sa_stderr: number | null;
  ma_u: number | null;
  ma_u_stderr: number | null;
  ma_p: number | null;
  ma_p_stderr: number | null;
  /** The pillars the games measure: efficient communication, adaptation, planning in play. */
  ma_c: number | null;
  ma_c_stderr: number | null;
  ma_a: number | null;
  ma_a_stderr: number | null;
  ma_p_play: number | null;
  ma_p_play_stderr: number | null;
  /** Benchmarks (and game measures) averaged into each group score ('mmlu-pro+gpqa-diamond'). */
  sa_benchmarks: string;
  ma_u_benchmarks: string;
  ma_p_benchmarks: string;
  ma_c_benchmarks: string;
  ma_a_benchmarks: string;
  ma_p_play_benchmarks: string;
  /** As TidyScoreRow.source: one row per (model, source), so imported scores never mix unlabelled with masa's. */
  source?: string;
}

export const TIDY_COLUMNS: ReadonlyArray<keyof TidyScoreRow> = [
  'model', 'family', 'generation', 'generation_rank', 'params_b', 'active_params_b', 'release_date', 'synthetic',
  'benchmark', 'group', 'n', 'accuracy', 'stderr', 'ci_low', 'ci_high', 'errors', 'truncated', 'run_id',
  'source', 'partner', 'canonical', 'invalid_rate',
];

export const GROUP_TABLE_COLUMNS: ReadonlyArray<keyof GroupScoreRow> = [
  'model', 'family', 'generation', 'generation_rank', 'params_b', 'active_params_b', 'release_date', 'synthetic',
  'sa', 'sa_stderr', 'ma_u', 'ma_u_stderr', 'ma_p', 'ma_p_stderr', 'sa_benchmarks', 'ma_u_benchmarks', 'ma_p_benchmarks',
  'ma_c', 'ma_c_stderr', 'ma_a', 'ma_a_stderr', 'ma_p_play', 'ma_p_play_stderr', 'ma_c_benchmarks', 'ma_a_benchmarks', 'ma_p_play_benchmarks', 'source',
];

/** A model's name as tables and figures show it: imported scores carry their source, '[lm-eval]'. */
export function sourceLabel(model: string, source?: string | null): string {
  return !source || source === 'masa' ? model : `${model} [${source}]`;
}

/** A row's source, 'masa' when it names none. */
export function sourceOf(r: { source?: string | null }): string {
  return r.source || 'masa';
}

export type Weighting = 'unweighted' | 'items';

/** Folds tidy rows into one row per model (and source) with the three group scores. */
export function groupScores(rows: readonly TidyScoreRow[], weighting: Weighting = 'unweighted'): GroupScoreRow[] {
  const byModel = new Map<string, TidyScoreRow[]>();
  for (const r of rows) {
    const key = `${r.model}\u0000${sourceOf(r)}`;
    let list = byModel.get(key);
    if (!list) byModel.set(key, (list = []));
    list.push(r);
  }
  const out: GroupScoreRow[] = [];
  for (const [, list] of byModel) {
    const f = list[0]!;
    const row: GroupScoreRow = {
      model: f.model, family: f.family, generation: f.generation, generation_rank: f.generation_rank,
      params_b: f.params_b, active_params_b: f.active_params_b, release_date: f.release_date, synthetic: f.synthetic,
      sa: null, sa_stderr: null, ma_u: null, ma_u_stderr: null, ma_p: null, ma_p_stderr: null,
      ma_c: null, ma_c_stderr: null, ma_a: null, ma_a_stderr: null, ma_p_play: null, ma_p_play_stderr: null,
      sa_benchmarks: '', ma_u_benchmarks: '', ma_p_benchmarks: '', ma_c_benchmarks: '', ma_a_benchmarks: '', ma_p_play_benchmarks: '',
    };
    if (f.source !== undefined) row.source = f.source;
    for (const [group, col] of Object.entries(GROUP_COLUMNS) as Array<[ScoreGroup, GroupColumn]>) {
      const members = list.filter((r) => r.group === group && r.n > 0 && r.canonical !== false).sort((a, b) => a.benchmark.localeCompare(b.benchmark));
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
export function benchmarkMatrix(rows: readonly TidyScoreRow[]): { models: string[]; benchmarks: string[]; groups: ScoreGroup[]; columns: number[][] } {
  rows = rows.filter((r) => r.canonical !== false);
  const models = [...new Set(rows.map((r) => r.model))];
  const order: ScoreGroup[] = ['SA', 'MA-U', 'MA-P', 'MA-C', 'MA-A', 'MA-P-play'];
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
