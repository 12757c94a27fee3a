/**
 * Score-table rows from game runs, beside the benchmarks' (summarize-results.ts): one row per
 * measure a game feeds into a group (its headline as `<game>`, others as `<game>:<measure>`),
 * each mapped onto [0, 1] by the measure's range, with the interval over episodes. A run with
 * the game's default partner is canonical (it feeds the group scores); other partners give
 * cross-play rows (canonical = false), and for games that declare it a cross-play retention
 * row: mean cross-play headline over the self-play headline, capped at 1, with a delta-method
 * standard error.
 */
import type { RunMeta } from '../eval/records.js';
import { readGameRecords } from '../eval/episode-store.js';
import type { EpisodeRecord } from '../eval/episode-records.js';
import { summarizeEpisodes } from '../eval/game-summary.js';
import { normalise } from '../play/measures.js';
import { GAMES } from '../play/registry.js';
import type { ModelFacts, TidyScoreRow } from './tables.js';

export type GameRow = TidyScoreRow & { chance: number | null };

/** The rows of one game run; null when it has no finished episode or its game is not registered. */
export async function gameRunRows(dir: string, runId: string, meta: RunMeta, facts: ModelFacts, warn: (m: string) => void): Promise<{ rows: GameRow[]; records: number } | null> {
  const game = GAMES.find((g) => g.id === meta.bench);
  if (!game) {
    warn(`${runId}: game '${meta.bench}' is not registered in this masa; run skipped`);
    return null;
  }
  const episodes = new Map<string, EpisodeRecord>();
  const failed = new Set<string>();
  let records = 0;
  for await (const r of readGameRecords(dir, (line) => warn(`${dir}/turns.jsonl:${line}: not valid JSON (ignored)`))) {
    records++;
    if (r.kind === 'episode') episodes.set(r.episode_id, r);
    else if (r.error !== null) failed.add(r.episode_id);
  }
  if (episodes.size === 0) return null;
  const { measures } = summarizeEpisodes(game, [...episodes.values()]);
  // A partner model is named without its URL, as in the run id: the same partner served elsewhere is the same partner.
  const option = typeof meta.bench_options.partner === 'string' ? meta.bench_options.partner : 'self';
  const partner = option.startsWith('model:') ? option.replace(/@.*$/, '') : option;
  const canonical = partner === (game.defaultOptions as { partner?: string }).partner;
  const errors = [...failed].filter((id) => !episodes.has(id)).length;
  let requests = 0;
  let invalid = 0;
  for (const e of episodes.values()) {
    requests += e.seat0_requests;
    invalid += e.seat0_invalid;
  }
  const invalidRate = requests > 0 ? invalid / requests : null;
  const rows: GameRow[] = [];
  game.measures.forEach((m, i) => {
    const s = measures[m.id]!;
    if (!m.group || s.mean === null) return;
    const width = m.range[1] - m.range[0];
    rows.push({
      ...facts,
      benchmark: i === 0 ? game.id : `${game.id}:${m.id}`,
      group: m.group,
      n: s.n,
      accuracy: normalise(s.mean, m.range),
      stderr: s.stderr === null ? 0 : s.stderr / width,
      ci_low: normalise(s.ci_low ?? m.range[0], m.range),
      ci_high: normalise(s.ci_high ?? m.range[1], m.range),
      errors,
      truncated: 0,
      run_id: runId,
      partner,
      canonical,
      invalid_rate: invalidRate,
      chance: null,
    });
  });
  return { rows, records };
}

/** Cross-play retention rows for games that declare one, from the self-play and cross-play rows. */
export function retentionRows(rows: readonly GameRow[]): GameRow[] {
  const out: GameRow[] = [];
  for (const game of GAMES.filter((g) => g.crossPlay)) {
    const models = new Set(rows.filter((r) => r.benchmark === game.id).map((r) => r.model));
    for (const model of models) {
      const self = rows.find((r) => r.model === model && r.benchmark === game.id && r.partner === 'self');
      const cross = rows.filter((r) => r.model === model && r.benchmark === game.id && r.partner !== 'self' && r.partner !== '');
      if (!self || cross.length === 0 || self.accuracy <= 0) continue;
      const c = cross.reduce((s, r) => s + r.accuracy, 0) / cross.length;
      const cSe = Math.sqrt(cross.reduce((s, r) => s + r.stderr ** 2, 0)) / cross.length;
      const ratio = c / self.accuracy;
      const se = ratio * Math.sqrt((c > 0 ? (cSe / c) ** 2 : 0) + (self.stderr / self.accuracy) ** 2);
      const capped = Math.min(1, ratio);
      out.push({
        ...self,
        benchmark: `${game.id}:retention`,
        group: game.crossPlay!.group,
        n: cross.length,
        accuracy: capped,
        stderr: se,
        ci_low: Math.max(0, Math.min(1, ratio - 1.96 * se)),
        ci_high: Math.min(1, ratio + 1.96 * se),
        errors: self.errors + cross.reduce((s, r) => s + r.errors, 0),
        run_id: [self.run_id, ...cross.map((r) => r.run_id)].join('+'),
        partner: 'cross',
        canonical: true,
        invalid_rate: null,
        chance: null,
      });
    }
  }
  return out;
}
