/**
 * A seeded synthetic scores table for figure tests: the catalog's in-scope models, seven
 * benchmarks, accuracies drawn from a chance-floored logistic in log size and generation
 * (steep for SA, shallow for MA-U, flat for MA-P) plus binomial-sized noise. Rows are typed
 * as load-scores types a CSV, and the same rows can be written as a CSV for the CLI. Each row
 * also has both extraction policies' columns: robust = accuracy, upstream a seeded few points
 * lower (test data for the figures and the sensitivity table, not a claim about any parser).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadCatalog } from '../../src/core/catalog-load.js';
import { mulberry32 } from '../../src/core/rng.js';
import type { ScoreRecord } from '../../src/analysis/load-scores.js';

export const FIXTURE_BENCHMARKS = [
  { id: 'math500', group: 'SA', n: 500, chance: 0 },
  { id: 'humaneval', group: 'SA', n: 164, chance: 0 },
  { id: 'mmlu-pro', group: 'SA', n: 300, chance: 0.1 },
  { id: 'gpqa-diamond', group: 'SA', n: 198, chance: 0.25 },
  { id: 'tombench', group: 'MA-U', n: 400, chance: 0.3 },
  { id: 'emobench', group: 'MA-U', n: 400, chance: 0.14 },
  { id: 'coordinationqa', group: 'MA-P', n: 198, chance: 0.227 },
] as const;

/** Game rows (partner = the game's default unless `partners` lists cross-play ones too). */
export const FIXTURE_GAMES = [
  { id: 'refgame', group: 'MA-C', n: 10, partners: ['self'] },
  { id: 'repeated-games', group: 'MA-A', n: 60, partners: ['panel'] },
  { id: 'hanabi', group: 'MA-P-play', n: 10, partners: ['self', 'bot:random', 'bot:simple'] },
] as const;

const SLOPES: Record<string, { size: number; gen: number; base: number }> = {
  SA: { size: 0.9, gen: 0.5, base: -1.6 },
  'MA-U': { size: 0.35, gen: 0.15, base: -0.2 },
  'MA-P': { size: 0.08, gen: 0.03, base: -1.4 },
  'MA-C': { size: 0.2, gen: 0.1, base: -0.8 },
  'MA-A': { size: 0.15, gen: 0.05, base: -0.5 },
  'MA-P-play': { size: 0.25, gen: 0.1, base: -1.5 },
};

function gaussian(rng: { next(): number }): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

export interface FixtureOptions {
  seed?: number;
  /** Mark rows synthetic with `sim/` names (default true, as simulated runs are). */
  synthetic?: boolean;
  /** Use only the first k models (after sorting by id). */
  models?: number;
  /** Add the games' rows (default true). */
  games?: boolean;
  /** Add accuracy_upstream / accuracy_robust columns (default true). */
  policies?: boolean;
}

export function fixtureRecords(opts: FixtureOptions = {}): ScoreRecord[] {
  const rng = mulberry32(opts.seed ?? 7);
  // Its own stream, so the accuracies are the same with or without the policy columns.
  const drops = mulberry32((opts.seed ?? 7) + 1000);
  const synthetic = opts.synthetic ?? true;
  let catalog = loadCatalog().filter((m) => m.in_paper_scope);
  if (opts.models !== undefined) catalog = catalog.slice(0, opts.models);
  const out: ScoreRecord[] = [];
  for (const m of catalog) {
    const size = Math.log2(Math.sqrt(m.params_b * (m.active_params_b ?? m.params_b)));
    // The model's facts and a score with its interval, as summarize writes them.
    const row = (benchmark: string, group: string, n: number, acc: number, se: number): ScoreRecord => ({
      model: synthetic ? `sim/${m.id}` : m.id,
      family: m.family,
      generation: m.generation,
      generation_rank: m.generation_rank ?? null,
      params_b: m.params_b,
      active_params_b: m.active_params_b ?? m.params_b,
      release_date: m.release_date ?? '',
      synthetic,
      benchmark,
      group,
      n,
      accuracy: acc,
      stderr: se,
      ci_low: Math.max(0, acc - 1.96 * se),
      ci_high: Math.min(1, acc + 1.96 * se),
      errors: 0,
      truncated: 0,
    });
    for (const b of FIXTURE_BENCHMARKS) {
      const s = SLOPES[b.group]!;
      const z = s.base + s.size * size + s.gen * ((m.generation_rank ?? 1) - 1) + 0.25 * gaussian(rng);
      const floor = b.chance;
      const p = floor + (1 - floor) * (1 / (1 + Math.exp(-z))) * 0.95;
      const correct = Math.round(p * b.n);
      const acc = correct / b.n;
      const se = Math.sqrt((acc * (1 - acc)) / b.n);
      out.push({
        ...row(b.id, b.group, b.n, acc, se),
        run_id: `fixture-${m.id}-${b.id}`,
        chance: b.chance,
        partner: '',
        canonical: true,
        ...(opts.policies === false ? {} : policyColumns(acc, se, b.n, drops.next() * (b.group === 'MA-P' ? 0.12 : 0.03))),
      });
    }
    if (opts.games === false) continue;
    for (const g of FIXTURE_GAMES) {
      for (const partner of g.partners) {
        const s = SLOPES[g.group]!;
        const z = s.base + s.size * size + s.gen * ((m.generation_rank ?? 1) - 1) + 0.25 * gaussian(rng) - (partner === 'self' || partner === 'panel' ? 0 : 0.4);
        const acc = 1 / (1 + Math.exp(-z));
        const se = 0.5 * Math.sqrt((acc * (1 - acc)) / g.n);
        out.push({
          ...row(g.id, g.group, g.n, acc, se),
          run_id: `fixture-${m.id}-${g.id}-${partner}`,
          chance: null,
          partner,
          canonical: partner === g.partners[0],
        });
      }
    }
  }
  return out;
}

function policyColumns(acc: number, se: number, n: number, drop: number): ScoreRecord {
  const u = Math.max(0, Math.round((acc - drop) * n) / n);
  const ue = Math.sqrt((u * (1 - u)) / n);
  return {
    extraction: 'robust',
    accuracy_upstream: u,
    stderr_upstream: ue,
    ci_low_upstream: Math.max(0, u - 1.96 * ue),
    ci_high_upstream: Math.min(1, u + 1.96 * ue),
    accuracy_robust: acc,
    stderr_robust: se,
    ci_low_robust: Math.max(0, acc - 1.96 * se),
    ci_high_robust: Math.min(1, acc + 1.96 * se),
    rescored: 0,
  };
}

export function fixtureCsv(records: readonly ScoreRecord[]): string {
  const cols = Object.keys(records[0]!);
  const cell = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
  return [cols.join(','), ...records.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

export function writeFixtureCsv(file: string, opts: FixtureOptions = {}): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, fixtureCsv(fixtureRecords(opts)));
  return file;
}
