/**
 * The records of a game run: one `turn` record per model request and per scripted action, and
 * one `episode` record closing each finished episode, appended to `<run>/turns.jsonl` beside the
 * run's meta.json (kind "game"). Like the per-sample records they are self-contained: the log
 * alone resumes a run (the recorded actions are replayed through the deterministic rules),
 * re-scores it, or summarizes it.
 */
import type { ChatMessage } from '../bench/types.js';
import type { TokenUsage } from './records.js';

export const TURNS_FILE = 'turns.jsonl';
/** Long prompts are kept once here, by sha256, and turn records point at them. */
export const PROMPTS_FILE = 'prompts.jsonl';
/** Prompts up to this many characters stay inline in their turn record. */
export const INLINE_PROMPT_CHARS = 4000;
/** A reply longer than this is kept cut (with its length): a hostile server cannot fill the disk. */
export const MAX_KEPT_REPLY_CHARS = 100_000;

export interface TurnRecord {
  v: 1;
  kind: 'turn';
  run_id: string;
  /** The run's model (the one under evaluation, in seat 0). */
  model: string;
  game: string;
  episode_id: string;
  /** The episode's seed (its environment's randomness). */
  seed: number;
  turn: number;
  /** 0 = first request of the turn, 1 = the re-ask after an unusable reply. */
  ask: number;
  seat: number;
  /** Who acted: 'model:<served name>' or 'bot:<name>'. */
  agent: string;
  /** sha256 of the request body (null for scripted turns). */
  request_key: string | null;
  /** The messages sent, when short; else null with their sha256 and the file holding them. */
  messages: ChatMessage[] | null;
  messages_sha256: string | null;
  messages_ref: string | null;
  /** The raw reply's answer part (reasoning removed); null for scripted turns and failures. */
  response: string | null;
  /** Length of the reply when it was longer than MAX_KEPT_REPLY_CHARS and kept cut. */
  response_chars?: number;
  reasoning: string | null;
  finish_reason: string | null;
  truncated: boolean;
  /** The action parsed from the reply (or the scripted or forfeit action); null when none. */
  action: unknown;
  /** The reply parsed into a legal action (scripted actions are always legal). */
  legal: boolean;
  /** Why the reply was not a legal action (shown to the model on the re-ask). */
  parse_error: string | null;
  /** This record's action was applied to the game (false: re-asked, or the request failed). */
  applied: boolean;
  /** The applied action is the game's forfeit after two unusable replies. */
  forfeit: boolean;
  /** Reward per seat from the applied action. */
  rewards: number[] | null;
  usage: TokenUsage | null;
  latency_ms: number | null;
  /** Why the request failed after all retries; null otherwise. A rerun asks again. */
  error: string | null;
  attempts: number;
  endpoint: string | null;
  time: string;
}

export interface EpisodeRecord {
  v: 1;
  kind: 'episode';
  run_id: string;
  model: string;
  game: string;
  episode_id: string;
  seed: number;
  /** Agent per seat. */
  agents: string[];
  tags: Record<string, string>;
  turns: number;
  /** Turns played by a model (either seat) and, of those, unusable replies and forfeits. */
  model_turns: number;
  /** Turns played by the model under evaluation (seat 0), the requests they took (re-asks
   * included), its unusable replies and its forfeits: invalid-move rate = seat0_invalid / seat0_requests. */
  seat0_turns: number;
  seat0_requests: number;
  seat0_invalid: number;
  seat0_forfeits: number;
  invalid: number;
  forfeits: number;
  /** Summed reward per seat. */
  returns: number[];
  /** The game's measures for this episode (see the game module). */
  measures: Record<string, number | null>;
  completion_tokens: number;
  time: string;
}

export type GameRecord = TurnRecord | EpisodeRecord;
