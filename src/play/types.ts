/**
 * The shape every interactive game exports. It follows the Hanabi Learning Environment's split
 * of game state, observation and agent:
 *  - the rules (`init`, `toAct`, `observe`, `validate`, `step`) are pure and deterministic given
 *    the episode's seed, so a run is resumed by replaying its recorded actions;
 *  - an agent sees only an observation, never the state: an LLM through chat messages built from
 *    it (`prompt`, `parse`, `reask`, `forfeit`), a scripted partner through `Partner.act`, a
 *    pure function of the observation and a seeded rng (so it needs no memory of its own: what
 *    it remembers is the history its observation carries);
 *  - the measures (`score`) are computed from the finished episode alone.
 * The episode runner (src/eval/episodes.ts) drives turns; the simulator (src/sim/play.ts) plays
 * through `readPrompt` and `simAct`. Actions and observations are plain JSON: they are recorded.
 */
import type { Rng } from '../core/rng.js';
import type { ChatMessage, GenerationHints, OptionDoc } from '../bench/types.js';

/**
 * The score groups games feed, beside the benchmarks' SA, MA-U and MA-P: MA-C (efficient
 * communication), MA-A (adaptation), and MA-P-play (planning in play, kept apart from the
 * paper's MA-P, which stays CoordinationQA).
 */
export type PlayGroup = 'MA-C' | 'MA-A' | 'MA-P-play';

/** A seat at the table: 0 is the model under evaluation; 1 is its partner (or itself in self-play). */
export type Seat = number;

/** One episode to play: everything that makes it differ from the others. */
export interface EpisodeSpec {
  /** Unique within the game's episode list and stable across runs, e.g. 'pd/tit-for-tat/0'. */
  id: string;
  /** Drives every random choice of the environment (deal, contexts, hidden switch rounds). */
  seed: number;
  /** Game-specific settings chosen by `episodes()` (which 2x2 game, which scripted strategy, ...). */
  config: Record<string, unknown>;
  /** Sub-score categories, as benchmark items have (e.g. { game: 'pd', partner: 'grim' }). */
  tags: Record<string, string>;
  /**
   * The seat-1 agent when the episode itself fixes it ('bot:grim' for a panel of scripted
   * strategies); otherwise the run's `--option partner=...` decides.
   */
  partner?: string;
}

export interface StepResult<S> {
  state: S;
  /** Reward per seat from this action (0 where the game scores only at the end). */
  rewards: number[];
}

/** What the LLM's reply parsed into. */
export type Parsed<A> = { ok: true; action: A } | { ok: false; error: string };

/** A scripted partner written in code. */
export interface Partner<O, A> {
  /** Used as `bot:<name>` in `--option partner=bot:<name>`. */
  name: string;
  description: string;
  /** Which seats it can take (default both). */
  seats?: readonly Seat[];
  /** Its action for an observation; must be legal (`validate` returns null). */
  act(obs: O, rng: Rng): A;
}

/** One applied action, as the measures see it (the runner records far more: src/eval/episode-records.ts). */
export interface TurnLog<A> {
  turn: number;
  seat: Seat;
  action: A;
  /** True when the action is the game's forfeit after two illegal replies. */
  forfeit: boolean;
  /** Replies that did not parse into a legal action at this turn (0, 1 or 2). */
  invalid: number;
  rewards: number[];
  /** Completion tokens of the reply that was applied (null for scripted partners). */
  completion_tokens: number | null;
}

/** A finished episode, for `score`. */
export interface EpisodeLog<S, A> {
  spec: EpisodeSpec;
  /** Who sat where: 'model:<served name>' or 'bot:<name>'. */
  agents: string[];
  turns: TurnLog<A>[];
  final: S;
}

/** A documented measure a game reports per episode and per run. */
export interface MeasureDoc {
  id: string;
  description: string;
  /** The group a run-level measure feeds in the score tables, if any (see src/analysis/tables.ts). */
  group?: PlayGroup;
  /** Bounds of the measure, for intervals and figures. */
  range: [number, number];
}

/** A game as the registry hands it out, with its types erased. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyGame = Game<any, any, any, any>;

export interface Game<S, O, A, Opt extends object = Record<string, unknown>> {
  id: string;
  title: string;
  /** The group its headline measure (`measures[0]`) feeds; also the simulator's skill curve for it. */
  group: PlayGroup;
  /** Upstream citation(s), for tables and figure captions. */
  citation: string;
  /** Seats at the table. */
  seats: number;
  defaultOptions: Opt;
  optionDocs: { [K in keyof Opt]: OptionDoc };
  /** The episodes of a run, deterministic given the run seed. */
  episodes(options: Opt, seed: number): EpisodeSpec[];
  init(spec: EpisodeSpec, options: Opt): S;
  /** The seat to act now, or null when the episode is over. */
  toAct(state: S): Seat | null;
  /** What `seat` sees now (its history included). */
  observe(state: S, seat: Seat): O;
  /** null when `action` is legal for the observation, else why not (shown to the model on the re-ask). */
  validate(obs: O, action: A): string | null;
  /** Applies a legal action. Throws on an illegal one (the runner validates first). */
  step(state: S, seat: Seat, action: A): StepResult<S>;

  /** Generation settings the game asks for, e.g. the sampling its upstream used (default: max_tokens 1024, the model's own sampling). */
  generation?(options: Opt): GenerationHints;
  /** A short human reading of an action, for transcripts (`masa play`); default its JSON. */
  describe?(action: A, obs: O): string;
  /** The chat messages that ask an LLM for its action. */
  prompt(obs: O, options: Opt): ChatMessage[];
  /** Reads an action out of a reply. Looks only at `reply` (untrusted) and the legal moves of `obs`. */
  parse(reply: string, obs: O, options: Opt): Parsed<A>;
  /** The one re-ask after an unusable reply: messages to append after the assistant's reply. */
  reask(error: string, obs: O, options: Opt): ChatMessage[];
  /** The action recorded after two unusable replies (documented per game). */
  forfeit(obs: O, options: Opt): A;

  /** Scripted partners, by name. */
  partners: Record<string, Partner<O, A>>;
  measures: MeasureDoc[];
  /**
   * When set, `masa summarize` adds a cross-play retention row for a model with a self-play run
   * and cross-play runs: the mean headline over cross-play partners divided by the self-play
   * headline (capped at 1), feeding `group` (the ad-hoc teamwork measure of adaptation).
   */
  crossPlay?: { group: PlayGroup };
  /** Each measure for one finished episode (keys from `measures`; null where it does not apply). */
  score(log: EpisodeLog<S, A>, options: Opt): Record<string, number | null>;

  /** The observation a prompt was built from (the inverse of `prompt`), or null if it is not this game's. */
  readPrompt(messages: readonly ChatMessage[]): O | null;
  /**
   * The simulator's reply for an observation at a skill in [0, 1]: skill 1 plays as the best
   * scripted partner does, skill 0 picks a legal action at random, in between a mix. The text is
   * written as a model would write it and must parse (with `parse`) into the action chosen.
   */
  simAct(obs: O, skill: number, rng: Rng, options: Opt): string;
}
