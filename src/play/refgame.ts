/**
 * Game 1 of issue 12: a repeated reference game (efficient communication, and adaptation to a
 * new partner), after ICCA (Hua & Artzi, "Talk Less, Interact Better: Evaluating In-context
 * Conversational Adaptation in Multimodal LLMs", COLM 2024, arXiv 2408.01417), following
 * lil-lab/ICCA@e0d286c (the HEAD named in ../shared/notes/interactive-benchmarks.md; the texts
 * below were read from its stored files at 18bbfc9): src/run_icca.py (the interaction loop),
 * src/MLLMs.py GPTModel (prompts and feedback), src/args/intro_texts_*.json (instructions).
 *
 * As in ICCA: one context of 4 referents per game; 4 targets x 6 repetitions = 24 trials, each
 * repetition a block with every target once in a random order (as its human games' trials); the
 * speaker sees the context in one order all game, the listener in another; the speaker is told
 * to keep messages "shorter than 20 words"; after each trial the speaker learns which object the
 * listener chose and the listener whether it was right and what the target was; the listener's
 * history holds its earlier rounds; ICCA's four speaker instructions are the `instructions` option.
 *
 * Departures, on purpose:
 *  - Text referents instead of COCO images: objects of four attributes (size, colour, pattern,
 *    shape) from a fixed vocabulary, in seeded contexts whose targets need 1 to 3 words to single
 *    out (see refgame/referents.ts), so the shortest sufficient message is known exactly.
 *  - The listener sees the objects in a new seeded order every trial (ICCA's `do_shuffle` variant;
 *    its default keeps one shuffled order) and is told so; the objects are listed every round
 *    (ICCA's `img_once` shows the images only in the first).
 *  - The listener is a third party: "the speaker said: ..." is quoted as data (one line, capped,
 *    no quote marks) instead of ICCA's "Which image is this message referring to: {msg}?" from
 *    the user as speaker; its feedback says "the speaker was referring to Object C", and after an
 *    invalid answer it also names the target.
 *  - "Shorter than 20 words" is enforced: a message of 20 words or more (or over 200 characters)
 *    is illegal, re-asked once, then forfeited as silence. ICCA caps the reply at 30 tokens
 *    instead (and the listener's at 1, sampling at temperature 0); here the run's own max_tokens
 *    and sampling apply.
 *  - The listener's reply may be "B", "Answer: B", "Object B" or an object's description (ICCA
 *    takes the upper-cased reply as the label); one that names no object is re-asked once, then
 *    forfeited as "no valid answer", scored wrong as ICCA scores an invalid answer.
 *  - Consecutive user turns (intro and first round; feedback and the next round) are one turn,
 *    as ICCA's `enforce_alternating_roles` makes them (some chat templates refuse two in a row).
 *  - A partner swap (`swap_at`, not in ICCA): from that repetition on a fresh listener plays, whose
 *    history starts empty; the speaker is told that a new listener has joined.
 *  - The targets' order in each repetition, the orders shown and the contexts are drawn from the
 *    episode seed (the human games' orders are not reused: there are no images).
 */
import { hash32 } from '../core/rng.js';
import { MasaError } from '../core/errors.js';
import type { EpisodeSpec, Game } from './types.js';
import { makeContext, profileOf } from './refgame/referents.js';
import { checkConfig, initState, observeListener, observeSpeaker, step, toAct, validate, type RefAction, type RefObs, type RefState } from './refgame/rules.js';
import { INSTRUCTIONS, forfeit, parse, prompt, readPrompt, reask, type Instructions } from './refgame/prompts.js';
import { PARTNERS, simAct } from './refgame/partners.js';
import { MEASURES, score } from './refgame/measures.js';

export interface RefgameOptions {
  /** The listener: 'self', 'bot:literal', 'bot:learning', or another model (resolved by the runner). */
  partner: string;
  episodes: number;
  repetitions: number;
  /** Repetitions played before a fresh listener takes over; 0 = no swap. */
  swap_at: number;
  instructions: Instructions;
}

function checkEpisodes(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 100_000) {
    throw new MasaError(`refgame option episodes=${JSON.stringify(n)}: must be an integer from 1 to 100000`, { exitCode: 2 });
  }
  return n;
}

function instructionsOf(o: RefgameOptions): Instructions {
  const v = o.instructions ?? 'simple';
  if (!INSTRUCTIONS.includes(v)) throw new MasaError(`refgame option instructions=${JSON.stringify(v)}: must be one of ${INSTRUCTIONS.join(', ')}`, { exitCode: 2 });
  return v;
}

export const refgame: Game<RefState, RefObs, RefAction, RefgameOptions> = {
  id: 'refgame',
  title: 'Repeated reference game',
  group: 'MA-C',
  citation: 'Hua & Artzi, COLM 2024 (ICCA), arXiv 2408.01417; lil-lab/ICCA@e0d286c',
  seats: 2,
  defaultOptions: { partner: 'self', episodes: 54, repetitions: 6, swap_at: 3, instructions: 'simple' },
  optionDocs: {
    partner: { description: "the listener (seat 1): 'self' (the model with a fresh history of its own), 'bot:literal', 'bot:learning', or another model" },
    episodes: { description: "games, each on its own context of 4 objects (default 54, as ICCA's 54 human games)" },
    repetitions: { description: 'times each of the 4 targets comes up (2 to 8; default 6, as ICCA: 24 trials)' },
    swap_at: { description: 'repetitions played before a fresh listener takes over (0 = no swap; default 3, mid-game)' },
    instructions: { description: "ICCA's speaker instructions: simple (default), gricean_hint, explicit, explicit_consistency", choices: INSTRUCTIONS },
  },

  episodes(options: RefgameOptions, seed: number): EpisodeSpec[] {
    const n = checkEpisodes(options.episodes);
    const config = checkConfig({ repetitions: options.repetitions, swap_at: options.swap_at }, 'refgame option');
    instructionsOf(options);
    return Array.from({ length: n }, (_, i) => {
      const epSeed = hash32(`refgame|${seed}|${i}`);
      const tags = { profile: profileOf(makeContext(epSeed)), swap: config.swap_at === 0 ? 'none' : `after-rep${config.swap_at}` };
      return { id: `ctx/${i}`, seed: epSeed, config: { ...config }, tags };
    });
  },
  // The spec's config is authoritative (a recorded episode replays as it was); options fill what it lacks.
  init: (spec, options) =>
    initState(spec.seed, checkConfig({ repetitions: options.repetitions, swap_at: options.swap_at, ...spec.config }, `refgame episode ${spec.id}:`)),
  toAct,
  observe(state, seat) {
    if (seat === 0) return observeSpeaker(state);
    if (seat === 1) return observeListener(state);
    throw new Error(`refgame: no seat ${seat}`);
  },
  validate,
  step,

  prompt: (obs, options) => prompt(obs, instructionsOf(options)),
  parse: (reply, obs) => parse(reply, obs),
  reask: (error, obs) => reask(error, obs),
  forfeit: (obs) => forfeit(obs),

  partners: PARTNERS,
  measures: MEASURES,
  score: (log) => score(log),

  readPrompt,
  simAct: (obs, skill, rng) => simAct(obs, skill, rng),
};
