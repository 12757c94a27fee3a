/**
 * A game run's summary from its log: the episode records of the planned episodes, each measure
 * summarised over episodes (play/measures.ts), the headline measure (`measures[0]`) mapped onto
 * [0, 1] as the run's score with sub-scores per episode tag, and the invalid-move and forfeit
 * rates of the model under evaluation. Episodes stalled on a failed request count in `errors`,
 * episodes never finished in `missing`; neither is scored.
 */
import type { BenchSummary, ScoreSummary } from '../bench/summary.js';
import { normalise, summarizeMeasure, type MeasureSummary } from '../play/measures.js';
import type { AnyGame } from '../play/types.js';
import type { EpisodeRecord } from './episode-records.js';
import { readGameRecords } from './episode-store.js';
import type { GamePlan } from './game-plan.js';
import type { RunSummary } from './summarize.js';

export interface GameRunSummary extends Omit<RunSummary, 'kind' | 'chance' | 'extraction' | 'accuracy_upstream' | 'accuracy_robust'> {
  kind: 'game';
  partner: string;
  /** Every measure of the game over the finished episodes, on its own scale. */
  measures: Record<string, MeasureSummary>;
  /** Unusable replies over requests, and forfeits over turns, of the model in seat 0. */
  invalid_rate: number | null;
  forfeit_rate: number | null;
  model_turns: number;
  requests: number;
  /** Requests of every model seat (a self-play run's partner seat too), re-asks included. */
  all_requests: number;
  chance: number | null;
}

/** Summaries of each measure, and of the headline on [0, 1], from finished episodes. */
export function summarizeEpisodes(game: AnyGame, unordered: readonly EpisodeRecord[]): { measures: Record<string, MeasureSummary>; headline: BenchSummary } {
  // Sums in one order whatever order the log holds them in (a resumed run's differs), so the same episodes give the same bits.
  const episodes = [...unordered].sort((a, b) => (a.episode_id < b.episode_id ? -1 : a.episode_id > b.episode_id ? 1 : 0));
  const measures: Record<string, MeasureSummary> = {};
  for (const m of game.measures) measures[m.id] = summarizeMeasure(episodes.map((e) => e.measures[m.id] ?? null), m.range);
  const head = game.measures[0]!;
  const scored = episodes
    .map((e) => ({ e, v: e.measures[head.id] }))
    .filter((x): x is { e: EpisodeRecord; v: number } => typeof x.v === 'number')
    .map((x) => ({ tags: x.e.tags, v: normalise(x.v, head.range) }));
  const summary = (vals: number[]): ScoreSummary => {
    const s = summarizeMeasure(vals, [0, 1]);
    return { n: s.n, correct: vals.reduce((a, b) => a + b, 0), accuracy: s.mean ?? 0, stderr: s.stderr ?? 0, ci_low: s.ci_low ?? 0, ci_high: s.ci_high ?? 1, clusters: s.n };
  };
  const subscores: BenchSummary['subscores'] = {};
  const byTag = new Map<string, Map<string, number[]>>();
  for (const x of scored) {
    for (const [tag, value] of Object.entries(x.tags)) {
      let m = byTag.get(tag);
      if (!m) byTag.set(tag, (m = new Map()));
      let list = m.get(value);
      if (!list) m.set(value, (list = []));
      list.push(x.v);
    }
  }
  for (const [tag, m] of byTag) {
    subscores[tag] = {};
    for (const [value, vals] of [...m].sort((a, b) => a[0].localeCompare(b[0]))) subscores[tag]![value] = summary(vals);
  }
  return { measures, headline: { bench: game.id, ...summary(scored.map((x) => x.v)), subscores } };
}

export async function summarizeGameRun(plan: GamePlan, onBadLine?: (line: number) => void): Promise<GameRunSummary> {
  const planned = new Set(plan.episodes.map((e) => e.id));
  const finished = new Map<string, EpisodeRecord>();
  const failedTurns = new Set<string>();
  for await (const r of readGameRecords(plan.dir, onBadLine)) {
    if (!planned.has(r.episode_id)) continue;
    if (r.kind === 'episode') finished.set(r.episode_id, r);
    else if (r.error !== null) failedTurns.add(r.episode_id);
  }
  const episodes = [...finished.values()];
  const { measures, headline } = summarizeEpisodes(plan.game, episodes);
  let requests = 0;
  let invalid = 0;
  let forfeits = 0;
  let turns = 0;
  let tokens = 0;
  let all = 0;
  for (const e of episodes) {
    all += e.model_turns + e.invalid - e.forfeits;
    requests += e.seat0_requests;
    invalid += e.seat0_invalid;
    forfeits += e.seat0_forfeits;
    turns += e.seat0_turns;
    tokens += e.completion_tokens;
  }
  const errors = [...failedTurns].filter((id) => !finished.has(id)).length;
  return {
    kind: 'game',
    run_id: plan.runId,
    dir: plan.dir,
    model: plan.model,
    bench: plan.game.id,
    partner: plan.partner,
    n: headline.n,
    accuracy: headline.accuracy,
    stderr: headline.stderr,
    ci_low: headline.ci_low,
    ci_high: headline.ci_high,
    items: plan.episodes.length,
    trials: plan.episodes.length,
    answered: episodes.length,
    errors,
    missing: plan.episodes.length - episodes.length - errors,
    truncated: 0,
    completion_tokens: tokens,
    chance: null,
    summary: headline,
    measures,
    invalid_rate: requests > 0 ? invalid / requests : null,
    forfeit_rate: turns > 0 ? forfeits / turns : null,
    model_turns: turns,
    requests,
    all_requests: all,
  };
}
