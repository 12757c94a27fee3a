/**
 * An episode's transcript from a game run's log, for a person to read (`masa play`, notebook
 * 06): each request and scripted action in order, with what the acting seat saw (the game's
 * own rendering of its observation, rebuilt by replaying the recorded actions), the reply, the
 * move it was read as, and the rewards; then the episode's measures.
 */
import { MasaError } from '../core/errors.js';
import type { ChatMessage } from '../bench/types.js';
import { applyTurn } from '../play/loop.js';
import type { AnyGame } from '../play/types.js';
import type { EpisodeRecord, TurnRecord } from './episode-records.js';
import { readGameRecords } from './episode-store.js';

export interface TranscriptTurn {
  turn: number;
  seat: number;
  agent: string;
  ask: number;
  /** What the seat was shown: the last user message of its prompt. */
  observation: string;
  reply: string | null;
  reasoning: string | null;
  action: unknown;
  /** The game's reading of the move (or its JSON). */
  move: string | null;
  legal: boolean;
  applied: boolean;
  forfeit: boolean;
  parse_error: string | null;
  error: string | null;
  rewards: number[] | null;
  completion_tokens: number | null;
}

export interface Transcript {
  game: string;
  episode_id: string;
  seed: number;
  agents: string[];
  turns: TranscriptTurn[];
  /** The closing record, when the episode finished. */
  end: EpisodeRecord | null;
}

function lastUser(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return messages[i]!.content;
  return '';
}

/** The transcript of one episode of a run (default: the first episode in its log). */
export async function episodeTranscript(runDir: string, game: AnyGame, options: Record<string, unknown>, runSeed: number, episodeId?: string): Promise<Transcript> {
  const turns: TurnRecord[] = [];
  let end: EpisodeRecord | null = null;
  let id = episodeId;
  for await (const r of readGameRecords(runDir)) {
    id ??= r.episode_id;
    if (r.episode_id !== id) continue;
    if (r.kind === 'episode') end = r;
    else turns.push(r);
  }
  if (id === undefined) throw new MasaError(`${runDir}: the run has no recorded turns`);
  const spec = game.episodes(options, runSeed).find((e) => e.id === id);
  if (!spec) throw new MasaError(`${runDir}: episode '${id}' is not one of ${game.id}'s episodes for these options`);
  let state = game.init(spec, options);
  const out: TranscriptTurn[] = [];
  for (const t of turns) {
    const obs = game.observe(state, t.seat);
    const shown = t.ask === 0 ? lastUser(game.prompt(obs, options)) : lastUser(game.reask(out[out.length - 1]?.parse_error ?? '', obs, options));
    const move = t.action === null || t.action === undefined ? null : game.describe ? game.describe(t.action, obs) : JSON.stringify(t.action);
    out.push({
      turn: t.turn,
      seat: t.seat,
      agent: t.agent,
      ask: t.ask,
      observation: shown,
      reply: t.response,
      reasoning: t.reasoning,
      action: t.action,
      move,
      legal: t.legal,
      applied: t.applied,
      forfeit: t.forfeit,
      parse_error: t.parse_error,
      error: t.error,
      rewards: t.rewards,
      completion_tokens: t.usage?.completion_tokens ?? null,
    });
    if (t.applied) state = applyTurn(game, state, t.seat, t.action, t.turn).state;
  }
  return { game: game.id, episode_id: id, seed: spec.seed, agents: end?.agents ?? [...new Set(turns.map((t) => `${t.seat}:${t.agent}`))], turns: out, end };
}

const indent = (text: string, pad: string): string => text.split('\n').map((l) => pad + l).join('\n');

/** Plain text, one block a turn; `prompts` also prints what each seat was shown. */
export function formatTranscript(t: Transcript, opts: { prompts?: boolean; /** Measures shown at the end (default the game's first 8). */ measures?: number } = {}): string {
  const lines = [`${t.game} · episode ${t.episode_id} (seed ${t.seed}) · ${t.agents.map((a, i) => `seat ${i}: ${a}`).join(', ')}`];
  for (const x of t.turns) {
    lines.push('', `turn ${x.turn} · seat ${x.seat} · ${x.agent}${x.ask > 0 ? ' · re-ask' : ''}`);
    if (opts.prompts) lines.push(indent(x.observation, '  | '));
    if (x.error) {
      lines.push(`  request failed: ${x.error}`);
      continue;
    }
    if (x.reply !== null) lines.push(indent(x.reply.length > 600 ? `${x.reply.slice(0, 600)} [...]` : x.reply, '  > '));
    const verdict = x.forfeit ? `forfeit (${x.parse_error})` : x.legal ? 'legal' : `unusable: ${x.parse_error}`;
    lines.push(`  move: ${x.move ?? '-'} · ${verdict}${x.rewards && x.rewards.some((r) => r !== 0) ? ` · rewards ${x.rewards.join(', ')}` : ''}`);
  }
  lines.push('');
  if (t.end) {
    const m = Object.entries(t.end.measures)
      .filter(([, v]) => v !== null)
      .slice(0, opts.measures ?? 8)
      .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : (v as number).toFixed(3)}`)
      .join(', ');
    lines.push(`end after ${t.end.turns} turns · returns ${t.end.returns.join(', ')} · ${m}`);
  } else lines.push('the episode did not finish (rerun to resume it)');
  return lines.join('\n');
}
