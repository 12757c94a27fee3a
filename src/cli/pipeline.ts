/**
 * The main job, composed from the layers: simulate (or reach) models, evaluate them on the seven
 * benchmarks, summarize the per-sample logs into score tables, and draw the figures and the report.
 * `masa demo` and the notebooks call these; nothing here computes a statistic of its own.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { groupsCsv, tidyCsv } from '../analysis/load-scores.js';
import { costsCsv } from '../analysis/run-costs.js';
import { summarizeResults } from '../analysis/summarize-results.js';
import { groupScores, type GroupScoreRow, type TidyScoreRow } from '../analysis/tables.js';
import { benchmarkIds, getBenchmark } from '../bench/registry.js';
import { gameIds } from '../play/registry.js';
import { writeFileAtomic } from '../core/atomic.js';
import { MasaError } from '../core/errors.js';
import { loadCatalog, selectModels } from '../core/catalog-load.js';
import type { ModelInfo } from '../core/catalog.js';
import type { ProgressMode } from '../eval/progress.js';
import { runSweep, type SweepRow } from '../eval/sweep.js';
import type { CrossplayConfig } from '../eval/crossplay.js';
import { buildFigures } from '../figures/all-figures.js';
import { exportFigures, type ExportedFigure } from '../figures/export.js';
import { loadFigureData } from '../figures/figure-data.js';
import { writeReport } from '../figures/report.js';
import { readCosts } from '../figures/cost-table.js';
import type { ReportStats } from '../figures/report-stats.js';
import { startSimulator, type SimulatorHandle } from '../sim/index.js';

export interface GatherOptions {
  /** Catalog filter (ids, a family, a generation, 'paper' or 'all'); default 'paper'. */
  models?: string;
  /** Benchmark ids; default all seven. */
  benches?: string[];
  /** Game ids, played after the benchmarks; default none. */
  games?: string[];
  /** Episodes per game (a seeded, prefix-stable subset); default 8. */
  gameEpisodes?: number;
  /** Cross-play after the games (see src/eval/crossplay.ts). */
  crossplay?: CrossplayConfig;
  /** Items per benchmark (seeded, prefix-stable sample); null = all. */
  limit?: number | null;
  seed?: number;
  /** Results folder for the per-sample logs. */
  out: string;
  /** Dataset root (folders like ../shared/datasets); default fetched data, else the bundled samples. */
  dataRoot?: string;
  concurrency?: number;
  progress?: ProgressMode;
  log?: (message: string) => void;
}

export interface SimGatherOptions extends GatherOptions {
  /** Simulator profile: 'paper', 'emergence' or a JSON file. */
  profile?: string;
  simSeed?: number;
}

export interface GatherResult {
  rows: SweepRow[];
  interrupted: boolean;
  models: string[];
}

/** Served names of the simulated catalog models a filter selects. */
export function simModelNames(filter = 'paper'): string[] {
  return selectModels(filter, loadCatalog()).map((m: ModelInfo) => `sim/${m.id}`);
}

/** Evaluates models served at `endpoints` on the benchmarks, then the games (resumable: reruns request only what is missing). */
export async function gatherScores(endpoints: string[], models: string[], opts: GatherOptions): Promise<GatherResult> {
  const benches = opts.benches ?? benchmarkIds();
  const common = { models: models.map((model) => ({ model, endpoints })), seed: opts.seed ?? 0, concurrency: opts.concurrency ?? 64, data: opts.dataRoot };
  const hooks = { out: opts.out, progress: opts.progress ?? 'auto', log: opts.log } as const;
  const rows: SweepRow[] = [];
  let interrupted = false;
  if (benches.length > 0) {
    const r = await runSweep({ ...common, benches, limit: opts.limit ?? undefined }, hooks);
    rows.push(...r.rows);
    interrupted = r.interrupted;
  }
  const games = opts.games ?? [];
  if (games.length > 0 && !interrupted) {
    // Games count episodes, not items: their own limit.
    const r = await runSweep({ ...common, benches: games, limit: opts.gameEpisodes ?? 8, crossplay: opts.crossplay }, hooks);
    rows.push(...r.rows);
    interrupted = r.interrupted;
  }
  return { rows, interrupted, models };
}

/** The demo's cross-play: Hanabi with two scripted bots for every model, and the matrix among the first four models. */
export const DEMO_CROSSPLAY: CrossplayConfig = { benches: ['hanabi'], bots: ['simple', 'smart'], models: true, max_pairs: 12 };

/** Starts the built-in simulator, gathers scores from its models, and stops it. */
export async function gatherSimScores(opts: SimGatherOptions): Promise<GatherResult & { profile: string }> {
  const sim: SimulatorHandle = await startSimulator({ profile: opts.profile ?? 'paper', seed: opts.simSeed ?? 0, dataRoot: opts.dataRoot, benchmarks: opts.benches?.map(getBenchmark) });
  try {
    const res = await gatherScores([sim.url], simModelNames(opts.models), opts);
    return { ...res, profile: sim.profile.name };
  } finally {
    await sim.close();
  }
}

export interface ScoreTables {
  tidy: Array<TidyScoreRow & { chance: number | null }>;
  groups: GroupScoreRow[];
  scoresCsv: string;
  groupsCsv: string;
  /** costs.csv: what each run cost the server. */
  costsCsv: string;
  records: number;
  warnings: string[];
}

/** Summarizes a results folder into scores.csv (model x benchmark) and groups.csv (one row per model). */
export async function writeScoreTables(resultsDir: string, outDir: string, dataRoot?: string): Promise<ScoreTables> {
  const res = await summarizeResults(resultsDir, { catalog: loadCatalog(), dataRoot });
  const groups = groupScores(res.rows);
  const scoresFile = join(outDir, 'scores.csv');
  const groupsFile = join(outDir, 'groups.csv');
  writeFileAtomic(scoresFile, tidyCsv(res.rows));
  writeFileAtomic(groupsFile, groupsCsv(groups));
  const costsFile = join(outDir, 'costs.csv');
  writeFileAtomic(costsFile, costsCsv(res.costs));
  return { tidy: res.rows, groups, scoresCsv: scoresFile, groupsCsv: groupsFile, costsCsv: costsFile, records: res.records, warnings: res.warnings };
}

export interface FigureOutputs {
  figures: ExportedFigure[];
  skipped: Array<{ name: string; reason: string }>;
  report: string;
  stats: ReportStats;
}

/** Every figure as HTML, SVG and PNG, and the self-contained report, from a scores.csv. */
export async function writeFiguresAndReport(scoresCsv: string, figuresDir: string, seed = 0, resamples = 2000): Promise<FigureOutputs> {
  const data = loadFigureData(scoresCsv);
  const set = buildFigures(data, { seed, resamples });
  const figures = await exportFigures(set.figures, figuresDir);
  const costsFile = join(dirname(scoresCsv), 'costs.csv');
  const report = await writeReport(data, join(figuresDir, 'report.html'), { seed, resamples, costs: existsSync(costsFile) ? readCosts(costsFile) : undefined });
  return { figures, skipped: set.skipped, report: report.file, stats: report.stats };
}

/**
 * The small simulated sweep the notebooks share: a dozen catalog models spanning both families,
 * sizes from 0.5B to 109B, early and late generations, and two mixture-of-experts models (so
 * total and active parameters differ), on all seven benchmarks.
 */
export const NOTEBOOK_MODELS: readonly string[] = [
  'qwen1.5-0.5b-chat',
  'qwen1.5-7b-chat',
  'qwen1.5-72b-chat',
  'qwen2.5-0.5b-instruct',
  'qwen2.5-7b-instruct',
  'qwen2.5-72b-instruct',
  'qwen3-1.7b',
  'qwen3-30b-a3b',
  'llama-2-7b-chat',
  'llama-2-70b-chat',
  'llama-3.1-8b-instruct',
  'llama-3.1-70b-instruct',
  'llama-3.2-1b-instruct',
  'llama-4-scout-17b-16e-instruct',
];

export const NOTEBOOK_DIR = 'data/notebooks';
export const NOTEBOOK_LIMIT = 20;

export interface NotebookScores {
  /** data/notebooks/scores.csv (tidy: one row per model and benchmark). */
  scoresCsv: string;
  groupsCsv: string;
  /** True when this call ran the sweep (false: the tables were already there). */
  gathered: boolean;
}

/** Episodes per game, and Hanabi's cross-play (two bots; pairs among the first three models), in the notebooks' games. */
export const NOTEBOOK_GAME_EPISODES = 4;
export const NOTEBOOK_CROSSPLAY: CrossplayConfig = { benches: ['hanabi'], bots: ['simple', 'smart'], models: true, max_pairs: 6 };

/**
 * The notebooks' score tables with the games in them: the benchmark tables (ensureNotebookScores),
 * then every game played by the same simulated models into the same runs folder (resumable: a
 * rerun only checks), and the tables written again.
 */
export async function ensureNotebookGames(opts: { dir?: string; dataRoot?: string; log?: (message: string) => void } = {}): Promise<NotebookScores & { runs: string }> {
  const dir = opts.dir ?? NOTEBOOK_DIR;
  const first = await ensureNotebookScores(opts);
  const runs = join(dir, 'runs');
  const res = await gatherSimScores({ profile: 'paper', models: NOTEBOOK_MODELS.join(','), benches: [], games: gameIds(), gameEpisodes: NOTEBOOK_GAME_EPISODES, crossplay: NOTEBOOK_CROSSPLAY, seed: 0, out: runs, dataRoot: opts.dataRoot, progress: 'none', log: opts.log });
  if (res.interrupted) throw new MasaError(`${runs}: the simulated games were interrupted; run them again to resume`);
  const tables = await writeScoreTables(runs, dir, opts.dataRoot);
  return { scoresCsv: tables.scoresCsv, groupsCsv: tables.groupsCsv, gathered: first.gathered || res.rows.length > 0, runs };
}

/**
 * The notebooks' score tables: `data/notebooks/scores.csv` as notebook 01 leaves it, or, when it
 * is absent, the same small simulated sweep (paper profile, seed 0) run now, resumably, into
 * `data/notebooks/runs`.
 */
export async function ensureNotebookScores(opts: { dir?: string; dataRoot?: string; log?: (message: string) => void } = {}): Promise<NotebookScores> {
  const dir = opts.dir ?? NOTEBOOK_DIR;
  const scoresCsv = join(dir, 'scores.csv');
  const groupsCsvFile = join(dir, 'groups.csv');
  if (existsSync(scoresCsv) && existsSync(groupsCsvFile)) return { scoresCsv, groupsCsv: groupsCsvFile, gathered: false };
  const runs = join(dir, 'runs');
  const res = await gatherSimScores({ profile: 'paper', models: NOTEBOOK_MODELS.join(','), limit: NOTEBOOK_LIMIT, seed: 0, out: runs, dataRoot: opts.dataRoot, progress: 'none', log: opts.log });
  if (res.interrupted) throw new MasaError(`${runs}: the simulated sweep was interrupted; run it again to resume`);
  const tables = await writeScoreTables(runs, dir, opts.dataRoot);
  return { scoresCsv: tables.scoresCsv, groupsCsv: tables.groupsCsv, gathered: true };
}
