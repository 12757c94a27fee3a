/**
 * The tables every figure is drawn from, built once from a tidy scores table (`masa
 * summarize`'s scores.csv): typed tidy rows, the wide per-model group scores, and one row
 * per benchmark (group, pillar, metric, items, chance). Reading and checking the CSV lives
 * here so the figure builders stay pure.
 */
import { readFileSync } from 'node:fs';
import { parseCsvRows } from '../core/csv.js';
import { MasaError } from '../core/errors.js';
import { BENCHMARKS } from '../bench/registry.js';
import type { ExtractionPolicy, Group, Pillar } from '../bench/types.js';
import { hasPolicyColumns, rowsUnderPolicy } from '../analysis/policy-scores.js';
import { readScoresCsv, tidyRows, type ScoreRecord } from '../analysis/load-scores.js';
import { groupScores, sourceLabel, type GroupScoreRow, type ScoreGroup, type TidyScoreRow } from '../analysis/tables.js';
import { GROUPS, SCORE_GROUPS } from './palette.js';

export interface BenchmarkInfo {
  id: string;
  title: string;
  group: Group;
  pillar: Pillar;
  /** 'accuracy' or 'pass@1' from the benchmark registry; null when the benchmark is not registered. */
  metric: string | null;
  /** Items scored (the largest n over models). */
  items: number;
  /** Chance accuracy from the scores table's `chance` column; null when unknown. */
  chance: number | null;
}

export type TidyRow = TidyScoreRow & { chance: number | null };

export interface FigureData {
  /** Where the scores came from, for captions and errors. */
  source: string;
  /** The benchmarks' rows (the paper's seven and any other benchmark; SA, MA-U, MA-P). */
  tidy: TidyRow[];
  /** The games' rows (MA-C, MA-A, MA-P-play), every partner: cross-play rows have canonical = false. */
  play: TidyRow[];
  /** Group scores per model, the games' groups included (from canonical rows only). */
  models: GroupScoreRow[];
  benchmarks: BenchmarkInfo[];
  /** True when any model is simulated (synthetic = true or a `sim/` name). */
  synthetic: boolean;
  /** (model, benchmark) runs with no scored item (n = 0), left out of every figure. */
  unscored: Array<{ model: string; benchmark: string }>;
  /** The tidy rows as each extraction policy reads them, when the table has both policies' columns. */
  policyTidy: Record<ExtractionPolicy, TidyRow[]> | null;
}

export const REQUIRED_COLUMNS = ['model', 'family', 'generation', 'params_b', 'benchmark', 'group', 'n', 'accuracy', 'stderr'] as const;

const PILLARS: Record<Group, Pillar> = { SA: 'single-agent', 'MA-U': 'understanding', 'MA-P': 'planning' };

/** Reads and checks a tidy scores CSV; errors name the file and the column. */
export function loadFigureData(file: string): FigureData {
  const { records } = readScoresCsvChecked(file);
  return figureData(records, file);
}

function readScoresCsvChecked(file: string): { records: ScoreRecord[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MasaError(`${file}: cannot read the scores table (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  // The header is checked first so a wrong table names the missing column, not a parse failure.
  const header = parseCsvRows(text.split(/\r?\n/, 1)[0] ?? '', file)[0]?.cells ?? [];
  for (const c of REQUIRED_COLUMNS) {
    if (!header.includes(c)) throw new MasaError(`${file}: missing column '${c}' (a tidy scores table from 'masa summarize' has ${REQUIRED_COLUMNS.join(', ')}, ...)`);
  }
  const r = readScoresCsv(file);
  if (r.records.length === 0) throw new MasaError(`${file}: no rows`);
  return r;
}

/** Builds the figure tables from typed tidy records (as load-scores types them). */
export function figureData(records: readonly ScoreRecord[], source = 'scores'): FigureData {
  // One bad cell makes load-scores type the whole column as text: name that cell, not row 2.
  for (const col of ['n', 'accuracy', 'stderr', 'params_b', 'active_params_b', 'generation_rank', 'chance']) {
    const bad = records.findIndex((r) => {
      const v = r[col];
      return v !== undefined && v !== null && !(typeof v === 'number' && Number.isFinite(v)) && !(typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));
    });
    if (bad >= 0) throw new MasaError(`${source}:${bad + 2}: column '${col}' is '${String(records[bad]![col])}', expected a number`);
  }
  const all: TidyRow[] = tidyRows(records).map((r, i) => {
    const line = i + 2;
    if (!SCORE_GROUPS.includes(r.group)) throw new MasaError(`${source}:${line}: column 'group' is '${r.group}', expected one of ${SCORE_GROUPS.join(', ')}`);
    if (r.n > 0 && !Number.isFinite(r.accuracy)) throw new MasaError(`${source}:${line}: column 'accuracy' is empty though n = ${r.n}`);
    const chance = records[i]!.chance;
    // Imported runs are drawn under a name that says where they came from.
    return { ...r, model: sourceLabel(r.model, r.source), chance: typeof chance === 'number' && Number.isFinite(chance) ? chance : null };
  });
  fillGenerationRanks(all);
  // A run with no scored item (every request failed) has no accuracy: it is left out, not drawn as 0.
  const scored = all.filter((r) => r.n > 0);
  const isBench = (r: TidyRow): boolean => (GROUPS as readonly ScoreGroup[]).includes(r.group);
  const tidy = scored.filter(isBench);
  const play = scored.filter((r) => !isBench(r));
  const models = groupScores(scored);
  const policyTidy = hasPolicyColumns(records)
    ? { upstream: rowsUnderPolicy(all, records, 'upstream').filter((r) => r.n > 0 && isBench(r)), robust: rowsUnderPolicy(all, records, 'robust').filter((r) => r.n > 0 && isBench(r)) }
    : null;
  return {
    source,
    tidy,
    play,
    models,
    benchmarks: benchmarkInfo(all.filter(isBench)),
    synthetic: all.some((r) => r.synthetic),
    unscored: all.filter((r) => r.n === 0).map((r) => ({ model: r.model, benchmark: r.benchmark })),
    policyTidy,
  };
}

/** Without a generation_rank column, generations are ranked by earliest release date within the family. */
function fillGenerationRanks(rows: TidyRow[]): void {
  if (rows.every((r) => r.generation_rank !== null)) return;
  const byFamily = new Map<string, Map<string, string>>();
  for (const r of rows) {
    let gens = byFamily.get(r.family);
    if (!gens) byFamily.set(r.family, (gens = new Map()));
    const prev = gens.get(r.generation);
    if (prev === undefined || (r.release_date && r.release_date < prev)) gens.set(r.generation, r.release_date || prev || '');
  }
  const rank = new Map<string, number>();
  for (const [family, gens] of byFamily) {
    [...gens.entries()]
      .sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0], undefined, { numeric: true }))
      .forEach(([g], i) => rank.set(`${family}\u0000${g}`, i + 1));
  }
  for (const r of rows) if (r.generation_rank === null) r.generation_rank = rank.get(`${r.family}\u0000${r.generation}`) ?? null;
}

function benchmarkInfo(tidy: readonly TidyRow[]): BenchmarkInfo[] {
  const ids = [...new Set(tidy.map((r) => r.benchmark))];
  const infos = ids.map((id): BenchmarkInfo => {
    const rows = tidy.filter((r) => r.benchmark === id);
    const reg = BENCHMARKS.find((b) => b.id === id);
    const chances = rows.map((r) => r.chance).filter((c): c is number => c !== null);
    return {
      id,
      title: reg?.title ?? id,
      group: rows[0]!.group as Group,
      pillar: reg?.pillar ?? PILLARS[rows[0]!.group as Group],
      metric: reg?.metric ?? null,
      items: Math.max(...rows.map((r) => r.n)),
      chance: chances.length > 0 ? chances.reduce((a, b) => a + b, 0) / chances.length : null,
    };
  });
  const order = BENCHMARKS.map((b) => b.id);
  const pos = (id: string): number => (order.includes(id) ? order.indexOf(id) : order.length);
  return infos.sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) || pos(a.id) - pos(b.id) || a.id.localeCompare(b.id));
}

/**
 * A group's chance level: the unweighted mean of its benchmarks' chance levels (as the group
 * score is the unweighted mean of their accuracies); null when any member's is unknown.
 */
export function groupChance(benchmarks: readonly BenchmarkInfo[], group: Group): number | null {
  const members = benchmarks.filter((b) => b.group === group);
  if (members.length === 0 || members.some((b) => b.chance === null)) return null;
  return members.reduce((s, b) => s + b.chance!, 0) / members.length;
}

/** Models sorted for display: family, then generation, then size. */
export function displayOrder<T extends { family: string; generation_rank: number | null; params_b: number | null; model: string }>(rows: readonly T[], families: readonly string[]): T[] {
  return [...rows].sort(
    (a, b) =>
      families.indexOf(a.family) - families.indexOf(b.family) ||
      (a.generation_rank ?? 0) - (b.generation_rank ?? 0) ||
      (a.params_b ?? 0) - (b.params_b ?? 0) ||
      a.model.localeCompare(b.model),
  );
}

/** A model name without the `sim/` prefix, for tick labels. */
export function shortName(model: string): string {
  return model.replace(/^sim\//, '');
}
