/**
 * Reading score tables back: a tidy (model × benchmark) CSV or a wide groups CSV, typed
 * (numbers, booleans, empty = null) and returned as an arquero table; `modelMatrix` turns
 * either into one record per model with the group scores and one column per benchmark.
 */
import { readFileSync } from 'node:fs';
import * as aq from 'arquero';
import { parseCsv, toCsv } from '../core/csv.js';
import { MasaError } from '../core/errors.js';
import { POLICY_COLUMNS } from './policy-scores.js';
import { GROUP_COLUMNS, type ScoreGroup, GROUP_TABLE_COLUMNS, TIDY_COLUMNS, groupScores, sourceOf, type GroupScoreRow, type TidyScoreRow, type Weighting } from './tables.js';

export type ScoresKind = 'tidy' | 'groups';

type Cell = string | number | boolean | null;
export type ScoreRecord = Record<string, Cell>;

const STRING_COLUMNS = new Set(['model', 'family', 'generation', 'release_date', 'benchmark', 'group', 'run_id', 'partner', 'sa_benchmarks', 'ma_u_benchmarks', 'ma_p_benchmarks', 'ma_c_benchmarks', 'ma_a_benchmarks', 'ma_p_play_benchmarks', 'source', 'extraction', 'interval']);

/** Types the cells of a parsed CSV: numbers where the column is numeric, true/false, '' = null. */
export function typeRecords(rows: ReadonlyArray<Record<string, string>>): ScoreRecord[] {
  if (rows.length === 0) return [];
  const cols = Object.keys(rows[0]!);
  const kinds = new Map<string, 'number' | 'boolean' | 'string'>();
  for (const c of cols) {
    const vals = rows.map((r) => r[c]!).filter((v) => v !== '');
    if (STRING_COLUMNS.has(c)) kinds.set(c, 'string');
    else if (vals.length > 0 && vals.every((v) => v === 'true' || v === 'false')) kinds.set(c, 'boolean');
    else if (vals.every((v) => v.trim() !== '' && Number.isFinite(Number(v)))) kinds.set(c, 'number');
    else kinds.set(c, 'string');
  }
  return rows.map((r) => {
    const out: ScoreRecord = {};
    for (const c of cols) {
      const v = r[c]!;
      const k = kinds.get(c);
      out[c] = v === '' ? null : k === 'number' ? Number(v) : k === 'boolean' ? v === 'true' : v;
    }
    return out;
  });
}

export function scoresKind(columns: readonly string[], file = 'scores'): ScoresKind {
  if (columns.includes('benchmark') && columns.includes('accuracy')) return 'tidy';
  if (columns.includes('model') && ['sa', 'ma_u', 'ma_p', 'ma_c', 'ma_a', 'ma_p_play'].some((c) => columns.includes(c))) return 'groups';
  throw new MasaError(`${file}: neither a tidy scores table (needs benchmark, accuracy) nor a groups table (needs model and sa/ma_u/ma_p); columns: ${columns.join(', ')}`);
}

/** Reads a scores CSV (either kind) into typed records. */
export function readScoresCsv(file: string): { kind: ScoresKind; records: ScoreRecord[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MasaError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const parsed = parseCsv(text, file);
  const header = text.split(/\r?\n/, 1)[0]!.replace(/^\ufeff/, '').split(',').map((s) => s.replace(/^"|"$/g, ''));
  const kind = scoresKind(header, file);
  return { kind, records: typeRecords(parsed.map((p) => p.record)) };
}

/** A scores CSV (either kind) as an arquero table, as written. */
export function loadScoresTable(file: string): aq.ColumnTable {
  return aq.from(readScoresCsv(file).records);
}

/**
 * A scores CSV (either kind) as an arquero table with one row per model: the group scores
 * (sa, ma_u, ma_p and their _stderr), catalog facts and, from a tidy table, one column per benchmark.
 */
export function loadModelTable(file: string, weighting: Weighting = 'unweighted'): aq.ColumnTable {
  const { kind, records } = readScoresCsv(file);
  return aq.from(modelMatrix(kind, records, weighting));
}

/** Tidy rows (typed) from records of a tidy table. */
export function tidyRows(records: readonly ScoreRecord[]): TidyScoreRow[] {
  return records.map((r) => ({
    model: String(r.model ?? ''),
    family: String(r.family ?? ''),
    generation: String(r.generation ?? ''),
    generation_rank: num(r.generation_rank),
    params_b: num(r.params_b),
    active_params_b: num(r.active_params_b),
    release_date: String(r.release_date ?? ''),
    synthetic: r.synthetic === true || (typeof r.model === 'string' && r.model.startsWith('sim/')),
    benchmark: String(r.benchmark),
    group: String(r.group) as ScoreGroup,
    n: num(r.n) ?? 0,
    accuracy: num(r.accuracy) ?? NaN,
    stderr: num(r.stderr) ?? 0,
    ci_low: num(r.ci_low) ?? NaN,
    ci_high: num(r.ci_high) ?? NaN,
    errors: num(r.errors) ?? 0,
    truncated: num(r.truncated) ?? 0,
    run_id: String(r.run_id ?? ''),
    partner: r.partner === null || r.partner === undefined ? '' : String(r.partner),
    canonical: r.canonical !== false,
    invalid_rate: num(r.invalid_rate),
    source: typeof r.source === 'string' && r.source !== '' ? r.source : 'masa',
  }));
}

function num(v: Cell | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * One record per model: catalog facts, the group scores (sa, ma_u, ma_p and their
 * _stderr) and, from a tidy table, each benchmark's accuracy under its id (and
 * `<id>_stderr`). The columns any analysis selects with --x / --y.
 */
export function modelMatrix(kind: ScoresKind, records: readonly ScoreRecord[], weighting: Weighting = 'unweighted'): ScoreRecord[] {
  if (kind === 'groups') return records.map((r) => ({ ...r }));
  const tidy = tidyRows(records);
  for (const r of tidy) {
    if (!(r.group in GROUP_COLUMNS)) throw new MasaError(`scores: benchmark '${r.benchmark}' of model '${r.model}' has group '${r.group}', expected one of ${Object.keys(GROUP_COLUMNS).join(', ')}`);
  }
  const groups = groupScores(tidy, weighting);
  return groups.map((g) => {
    const out: ScoreRecord = { ...(g as unknown as ScoreRecord) };
    for (const r of tidy.filter((t) => t.model === g.model && sourceOf(t) === sourceOf(g))) {
      // Cross-play rows get the partner in their column name ('hanabi@bot:smart').
      const col = r.canonical === false && r.partner ? `${r.benchmark}@${r.partner}` : r.benchmark;
      out[col] = r.accuracy;
      out[`${col}_stderr`] = r.stderr;
    }
    return out;
  });
}

/**
 * Numeric column of a record list (non-numbers as NaN), naming the column when absent.
 * `log10(col)` and `ln(col)` give the transformed column (values <= 0 become NaN), e.g.
 * `--x log10(params_b)` for scaling in size.
 */
export function column(records: readonly ScoreRecord[], name: string): number[] {
  const m = /^(log10|ln)\((.+)\)$/.exec(name.trim());
  if (m) {
    const f = m[1] === 'log10' ? Math.log10 : Math.log;
    return column(records, m[2]!).map((v) => (v > 0 ? f(v) : NaN));
  }
  if (records.length > 0 && !records.some((r) => name in r)) {
    throw new MasaError(`no column '${name}' (columns: ${Object.keys(records[0]!).join(', ')})`);
  }
  return records.map((r) => (typeof r[name] === 'number' ? (r[name] as number) : NaN));
}

export function tidyCsv(rows: ReadonlyArray<TidyScoreRow & { chance?: number | null }>): string {
  // Both policies' columns when the benchmarks' rows have them (summarize's always do; game rows have none).
  const policy = rows.some((r) => 'accuracy_upstream' in r) ? POLICY_COLUMNS : [];
  return toCsv([...TIDY_COLUMNS, 'chance', ...policy, 'interval', 'items_total', 'stopped_at'], rows as unknown as Array<Record<string, unknown>>);
}

export function groupsCsv(rows: readonly GroupScoreRow[]): string {
  return toCsv(GROUP_TABLE_COLUMNS, rows as unknown as Array<Record<string, unknown>>);
}
