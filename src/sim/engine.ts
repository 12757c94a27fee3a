/**
 * The synthetic models: for one validated request, recognise the benchmark item, decide each
 * choice's correctness from the model's ability and the item's difficulty, and write the
 * choice's text, cut by stop strings and the token budget as vLLM would cut it.
 *
 * Correctness: a latent draw L = sqrt(rho) * z_item + sqrt(1 - rho) * z_response (both standard
 * normal, so L is too) and the response is right iff L < Phi^-1(ability). Over items this is
 * right with probability exactly `ability`; rho (the profile's item_correlation) makes the
 * same items hard for every model. z_response comes from a hash of (server seed, model,
 * messages, request seed, temperature, choice index): the same request gets the same answer.
 * As in vLLM: greedy decoding (temperature < 1e-5) ignores the seed, and choice i of a request
 * with seed s and n > 1 is the answer a request with seed s + i would get (vLLM V1 runs
 * parallel sampling as n child requests seeded s, s + 1, ...).
 */
import type { ModelInfo } from '../core/catalog.js';
import type { AnyGame } from '../play/types.js';
import { hash32, mulberry32 } from '../core/rng.js';
import type { ChatRequest } from './api.js';
import type { ItemIndex, Recognised } from './item-index.js';
import { invNorm } from './normal.js';
import { abilityOf, type GroupName, type Profile } from './profile.js';
import { countTokens, cutToTokens } from './tokens.js';
import { RAMBLE_UNIT, writeAnswer } from './writers.js';
import { recognizeGame, type GameTurn } from './play.js';

export interface SimModel {
  /** Served name, `sim/<catalog id>`. */
  name: string;
  info: ModelInfo;
  /** The checkpoint the model stands for (vLLM's `root`). */
  root: string;
  maxModelLen: number;
}

export interface ChoiceOut {
  content: string | null;
  reasoning: string | null;
  finishReason: 'stop' | 'length';
  stopReason: string | null;
  completionTokens: number;
  /** Whether the simulated model meant to answer right (null when the prompt was not recognised). */
  intendedCorrect: boolean | null;
}

export interface Completion {
  recognised: Recognised | null;
  /** The game turn the request was read as, when it matched no benchmark item. */
  game: GameTurn | null;
  thinking: boolean;
  choices: ChoiceOut[];
}

/** At skill 0, the share of game replies that give no move at all (none at skill 1). */
export const GAME_SLIP_RATE = 0.08;
const SLIP_REPLY = 'Let me think about what my partner knows and what would help us most here. There are several reasonable options, and I would rather keep them all open for now.';

/** Rambling past this many tokens ends on its own (finish "stop", no answer) instead of hitting the limit. */
export const RAMBLE_CAP_TOKENS = 16384;

function hashContents(contents: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const c of contents) {
    for (let i = 0; i < c.length; i++) {
      h ^= c.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ (b + 0x9e3779b9 + (a << 6) + (a >>> 2)), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class Engine {
  private readonly abilities = new Map<string, number>();
  private readonly modelHashes = new Map<string, number>();

  constructor(
    readonly index: ItemIndex,
    readonly profile: Profile,
    readonly seed: number,
    /** The games whose turns it plays (default: every registered game). */
    readonly games?: readonly AnyGame[],
  ) {}

  ability(model: ModelInfo, benchId: string, group: GroupName, thinking: boolean): number {
    const key = `${model.id}|${benchId}|${thinking ? 1 : 0}`;
    let a = this.abilities.get(key);
    if (a === undefined) {
      a = abilityOf(this.profile, model, benchId, group, thinking);
      this.abilities.set(key, a);
    }
    return a;
  }

  private modelHash(name: string): number {
    let h = this.modelHashes.get(name);
    if (h === undefined) {
      h = hash32(`${this.seed}|${name}`);
      this.modelHashes.set(name, h);
    }
    return h;
  }

  /** `promptTokens` is the request's prompt size; the budget defaults to what the context leaves. */
  complete(model: SimModel, req: ChatRequest, promptTokens: number): Completion {
    const recognised = this.index.lookup(req.lastUser);
    const thinking = model.info.thinking && req.enableThinking !== false;
    const budget = req.maxTokens ?? Math.max(1, model.maxModelLen - promptTokens);
    const greedy = req.temperature !== null && req.temperature < 1e-5;
    const prompt = mix(this.modelHash(model.name), hashContents(req.contents));
    const temperature = hash32(String(req.temperature ?? ''));
    const game = recognised ? null : recognizeGame(req, this.games);
    if (game) return { recognised: null, game, thinking, choices: this.play(model, game, req, mix(prompt, mix(hash32(String(req.seed ?? '')), temperature)), budget, thinking) };
    const lean = recognised ? hash32(`${model.name}|${recognised.entry.benchId}|${recognised.entry.itemId}`) : undefined;
    const choices: ChoiceOut[] = [];
    for (let i = 0; i < req.n; i++) {
      // A seeded request's choice i is its own child request with seed + i; unseeded choices differ by index.
      const seed = greedy ? '' : req.seed === null ? '' : String(req.seed + i);
      const base = mix(prompt, mix(hash32(seed), temperature));
      const rng = mulberry32(mix(base, req.seed === null || greedy ? i : 0));
      let correct = false;
      let intended: boolean | null = null;
      if (recognised) {
        const e = recognised.entry;
        const p = this.ability(model.info, e.benchId, e.group, thinking);
        const rho = this.profile.item_correlation;
        const latent = Math.sqrt(rho) * e.z + Math.sqrt(1 - rho) * invNorm(rng.next());
        correct = latent < invNorm(p);
        // An item no option of which scores right can only be answered wrong.
        intended = correct && !(e.answer.kind === 'letter' && e.answer.gold.length === 0);
      }
      const benchId = recognised?.entry.benchId ?? '';
      const answer = recognised?.entry.answer ?? ({ kind: 'generic' } as const);
      const ctx = { correct, rng, perm: recognised?.perm ?? null, thinking, lean };
      let written = writeAnswer(benchId, answer, ctx);
      // Alternative wordings and non-answers can read differently under another option order
      // (fuzzy extractors): check them with the benchmark's score() and fall back to the plain form.
      if (recognised && written.unusual && !written.ramble) {
        const content = thinking ? `\n\n${written.answer}` : written.working ? `${written.working}\n\n${written.answer}` : written.answer;
        const ok = recognised.entry.verify(content, recognised.perm);
        if (ok !== null && ok !== intended) written = writeAnswer(benchId, answer, { ...ctx, plain: true });
      }
      choices.push(finish(written.working, written.answer, written.ramble, thinking, budget, req, intended));
    }
    return { recognised, game: null, thinking, choices };
  }

  /** A game turn: the move each choice makes at the model's skill for the game's group. */
  private play(model: SimModel, turn: GameTurn, req: ChatRequest, base: number, budget: number, thinking: boolean): ChoiceOut[] {
    const skill = this.ability(model.info, turn.game.id, turn.game.group, thinking);
    const choices: ChoiceOut[] = [];
    for (let i = 0; i < req.n; i++) {
      // Weaker models slip out of the reply format now and then (the runner re-asks, then forfeits).
      const slip = mulberry32(mix(base, i) ^ 0x2545f491).next() < GAME_SLIP_RATE * (1 - skill);
      const text = slip ? SLIP_REPLY : turn.game.simAct(turn.obs, skill, mulberry32(mix(base, i)), turn.game.defaultOptions);
      const working = thinking ? 'Let me look at the state of the game and the moves I have.' : '';
      choices.push(finish(working, text, false, thinking, budget, req, null));
    }
    return choices;
  }
}

function ramble(budget: number): { text: string; hitsLimit: boolean } {
  const tokens = Math.min(budget, RAMBLE_CAP_TOKENS) + 1;
  const reps = Math.ceil((tokens * 4) / RAMBLE_UNIT.length);
  return { text: RAMBLE_UNIT.repeat(reps), hitsLimit: budget <= RAMBLE_CAP_TOKENS };
}

function applyStop(text: string, stops: readonly string[], keep: boolean): { text: string; stop: string | null } {
  let at = -1;
  let which: string | null = null;
  for (const s of stops) {
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) {
      at = i;
      which = s;
    }
  }
  if (which === null) return { text, stop: null };
  return { text: text.slice(0, keep ? at + which.length : at), stop: which };
}

/**
 * Lays out one choice as vLLM's reasoning parser would: with thinking, the working goes to
 * `reasoning` (leading "\n" kept) and the answer to `content` (leading "\n\n" kept); a response
 * cut inside its thinking has content null (the qwen3/deepseek_r1 parsers of current vLLM).
 */
function finish(working: string, answer: string, rambles: boolean, thinking: boolean, budget: number, req: ChatRequest, intended: boolean | null): ChoiceOut {
  let reasoning: string | null = null;
  let content: string | null;
  let naturalEnd = true;
  if (rambles) {
    const r = ramble(budget);
    naturalEnd = !r.hitsLimit;
    const loop = naturalEnd ? `${r.text}\nSorry, this approach does not lead anywhere.` : r.text;
    if (thinking) {
      reasoning = `\n${working} ${loop}`;
      content = naturalEnd ? '\n\nSorry, no final answer could be reached.' : null;
    } else {
      content = `${working} ${loop}`;
    }
  } else if (thinking) {
    reasoning = `\n${working}\n`;
    content = `\n\n${answer}`;
  } else {
    content = working ? `${working}\n\n${answer}` : answer;
  }

  let stopReason: string | null = null;
  if (req.stop.length > 0) {
    if (reasoning !== null) {
      const s = applyStop(reasoning, req.stop, req.includeStopStr);
      if (s.stop !== null) {
        reasoning = s.text;
        content = null;
        stopReason = s.stop;
      }
    }
    if (stopReason === null && content !== null) {
      const s = applyStop(content, req.stop, req.includeStopStr);
      if (s.stop !== null) {
        content = s.text;
        stopReason = s.stop;
      }
    }
  }

  // Thinking costs the two tag tokens as well.
  const reasoningTokens = reasoning === null ? 0 : countTokens(reasoning) + 2;
  let contentTokens = content === null ? 0 : countTokens(content);
  let finishReason: 'stop' | 'length' = 'stop';
  if (reasoningTokens + contentTokens > budget) {
    finishReason = 'length';
    stopReason = null;
    if (reasoning !== null && reasoningTokens >= budget) {
      reasoning = cutToTokens(reasoning, budget);
      content = null;
      contentTokens = 0;
    } else if (content !== null) {
      content = cutToTokens(content, budget - reasoningTokens);
      contentTokens = budget - reasoningTokens;
    }
    return {
      content,
      reasoning: req.includeReasoning ? reasoning : null,
      finishReason,
      stopReason,
      completionTokens: budget,
      intendedCorrect: intended,
    };
  }
  return {
    content,
    reasoning: req.includeReasoning ? reasoning : null,
    finishReason,
    stopReason,
    completionTokens: reasoningTokens + contentTokens,
    intendedCorrect: intended,
  };
}
