/**
 * The reference game's rules: the state, what each seat observes, which actions are legal and
 * what they do. Pure and deterministic given the episode's seed.
 *
 * An episode is `repetitions` blocks of four trials; each block has every referent as the target
 * once, in a seeded order (as ICCA's human games: 4 targets x 6 repetitions). Per trial the
 * speaker (seat 0) writes a message, then the listener (seat 1) picks a letter. The speaker sees
 * the context in one fixed order all game; the listener sees it in a new seeded order each trial.
 * From the swap trial on, a fresh listener plays: its observation carries only the trials since.
 */
import { wordCount } from '../common.js';
import { permutation, rngFor } from '../../core/rng.js';
import { MasaError } from '../../core/errors.js';
import { CONTEXT_SIZE, makeContext, type Referent } from './referents.js';

/** ICCA's speaker instruction: "the message should always be shorter than 20 words". */
export const WORD_LIMIT = 20;
/** Longest message in characters (`quoteMessage`'s cap); longer ones are illegal too. */
export const MAX_MESSAGE_CHARS = 200;
export const MAX_REPETITIONS = 8;

export interface RefgameConfig {
  repetitions: number;
  /** The first repetition (0-based) played with a fresh listener; 0 = no swap. */
  swap_at: number;
}

export interface Trial {
  /** Index of the target in `objects` (the speaker's order). */
  target: number;
  /** The listener's view: letter j shows `objects[order[j]]`. */
  order: number[];
}

export interface TrialResult {
  /** The message as the listener was shown it ('' when the speaker forfeited). */
  message: string;
  /** The referent picked, as an index into `objects`; null when the listener forfeited. */
  pick: number | null;
}

export interface RefState {
  /** The context in the speaker's order. */
  objects: Referent[];
  trials: Trial[];
  /** The first trial a fresh listener plays, or null. */
  swapTrial: number | null;
  results: TrialResult[];
  /** The current trial's message once the speaker has spoken. */
  pending: string | null;
}

export interface SpeakerRound {
  target: number;
  message: string;
  /** The listener's pick as an index into the speaker's objects, null for no valid answer. */
  picked: number | null;
}

export interface SpeakerObs {
  role: 'speaker';
  objects: Referent[];
  /** This trial, 0-based over the whole game. */
  round: number;
  target: number;
  history: SpeakerRound[];
  /** The round from which a new listener plays, once it has joined (round <= this round). */
  newListenerAt: number | null;
}

export interface ListenerRound {
  /** That round's objects in the order the listener saw them. */
  objects: Referent[];
  message: string;
  /** Letter indices into that round's `objects`. */
  picked: number | null;
  target: number;
}

export interface ListenerObs {
  role: 'listener';
  /** This listener's own round, 0-based (a fresh listener starts at 0). */
  round: number;
  objects: Referent[];
  message: string;
  history: ListenerRound[];
}

export type RefObs = SpeakerObs | ListenerObs;
export interface SpeakerAction {
  message: string;
}
export interface ListenerAction {
  pick: number | null;
}
export type RefAction = SpeakerAction | ListenerAction;

/** Checks an episode's config (from options or a recorded spec); names the field at fault. */
export function checkConfig(c: Record<string, unknown>, where: string): RefgameConfig {
  const reps = c['repetitions'];
  if (typeof reps !== 'number' || !Number.isInteger(reps) || reps < 2 || reps > MAX_REPETITIONS) {
    throw new MasaError(`${where} repetitions=${JSON.stringify(reps)}: must be an integer from 2 to ${MAX_REPETITIONS}`, { exitCode: 2 });
  }
  const swap = c['swap_at'];
  if (typeof swap !== 'number' || !Number.isInteger(swap) || swap < 0 || swap >= reps) {
    throw new MasaError(`${where} swap_at=${JSON.stringify(swap)}: must be an integer from 0 (no swap) to repetitions - 1 = ${reps - 1}`, { exitCode: 2 });
  }
  return { repetitions: reps, swap_at: swap };
}

export function initState(seed: number, config: RefgameConfig): RefState {
  const objects = makeContext(seed);
  const trials: Trial[] = [];
  for (let rep = 0; rep < config.repetitions; rep++) {
    const targets = permutation(CONTEXT_SIZE, rngFor(seed, 'refgame-targets', rep));
    targets.forEach((target, k) => {
      trials.push({ target, order: permutation(CONTEXT_SIZE, rngFor(seed, 'refgame-listener-order', rep * CONTEXT_SIZE + k)) });
    });
  }
  return { objects, trials, swapTrial: config.swap_at > 0 ? config.swap_at * CONTEXT_SIZE : null, results: [], pending: null };
}

export function toAct(s: RefState): number | null {
  if (s.results.length >= s.trials.length) return null;
  return s.pending === null ? 0 : 1;
}

/** The first trial the listener playing trial `t` has seen. */
function listenerStart(s: RefState, t: number): number {
  return s.swapTrial !== null && t >= s.swapTrial ? s.swapTrial : 0;
}

export function observeSpeaker(s: RefState): SpeakerObs {
  const t = Math.min(s.results.length, s.trials.length - 1);
  return {
    role: 'speaker',
    objects: s.objects,
    round: t,
    target: s.trials[t]!.target,
    history: s.results.slice(0, t).map((r, i) => ({ target: s.trials[i]!.target, message: r.message, picked: r.pick })),
    newListenerAt: s.swapTrial !== null && s.swapTrial <= t ? s.swapTrial : null,
  };
}

export function observeListener(s: RefState): ListenerObs {
  const t = Math.min(s.results.length, s.trials.length - 1);
  const start = listenerStart(s, t);
  const view = (i: number): Referent[] => s.trials[i]!.order.map((j) => s.objects[j]!);
  const history: ListenerRound[] = [];
  for (let i = start; i < Math.min(t, s.results.length); i++) {
    const order = s.trials[i]!.order;
    const r = s.results[i]!;
    history.push({ objects: view(i), message: r.message, picked: r.pick === null ? null : order.indexOf(r.pick), target: order.indexOf(s.trials[i]!.target) });
  }
  return { role: 'listener', round: t - start, objects: view(t), message: s.pending ?? '', history };
}

/** Why a message is not a legal one (shape, words, characters), or null. */
export function messageProblem(message: unknown): string | null {
  if (typeof message !== 'string') return 'the message must be text';
  if (/[\u0000-\u001f\u007f"«»<>]/.test(message) || message !== message.trim() || /\s{2}/.test(message)) {
    return 'the message must be one line without quote marks or angle brackets';
  }
  const n = wordCount(message);
  if (n >= WORD_LIMIT) return `the message has ${n} words; it must be shorter than ${WORD_LIMIT} words`;
  if (message.length > MAX_MESSAGE_CHARS) return `the message has ${message.length} characters; at most ${MAX_MESSAGE_CHARS} are allowed`;
  return null;
}

/**
 * null when legal. The empty message (silence) and the null pick (no valid answer) are legal
 * only so that the forfeits are; `parse` never produces them from a reply.
 */
export function validate(obs: RefObs, action: RefAction): string | null {
  if (action === null || typeof action !== 'object') return 'the action must be an object';
  if (obs.role === 'speaker') {
    if (!('message' in action)) return 'the speaker must send a message';
    return messageProblem(action.message);
  }
  if (!('pick' in action)) return 'the listener must pick an object';
  const p = action.pick;
  if (p === null) return null;
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p >= obs.objects.length) return `pick ${JSON.stringify(p)} is not one of the ${obs.objects.length} objects`;
  return null;
}

export function step(s: RefState, seat: number, action: RefAction): { state: RefState; rewards: number[] } {
  const turn = toAct(s);
  if (turn === null) throw new Error('refgame: the episode is over');
  if (seat !== turn) throw new Error(`refgame: seat ${seat} acted on seat ${turn}'s turn`);
  const obs = seat === 0 ? observeSpeaker(s) : observeListener(s);
  const why = validate(obs, action);
  if (why !== null) throw new Error(`refgame: illegal action: ${why}`);
  if (seat === 0) return { state: { ...s, pending: (action as SpeakerAction).message }, rewards: [0, 0] };
  const trial = s.trials[s.results.length]!;
  const letter = (action as ListenerAction).pick;
  const pick = letter === null ? null : trial.order[letter]!;
  const reward = pick === trial.target ? 1 : 0;
  return { state: { ...s, results: [...s.results, { message: s.pending!, pick }], pending: null }, rewards: [reward, reward] };
}
