/**
 * The simulator's Hanabi player (synthetic, never a model's output): at skill s it makes
 * SmartBot's move with probability s and a uniformly random legal move otherwise, so skill 1
 * plays as the strongest scripted partner and skill 0 as the random one. The reply is written
 * as LLM-Coordination asks ("Explanation: ...\nAction: <letter>. <move>"), with an explanation
 * of a few sentences built from what the observation shows, and parses back into the move.
 */
import type { Rng } from '../../core/rng.js';
import { COLOR_NAMES, cardName, copies } from './cards.js';
import type { CardKnowledge } from './knowledge.js';
import { type HanabiAction, sameAction } from './moves.js';
import { type HanabiObs, obsLegal } from './observation.js';
import { randomMove } from './bots/random.js';
import { smartMove } from './bots/smart.js';
import { moveLabel } from '../common.js';
import { moveText, nameOf, pronounOf } from './text.js';

export function simMove(obs: HanabiObs, skill: number, rng: Rng): HanabiAction {
  return rng.next() < skill ? smartMove(obs) : randomMove(obs, rng);
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)]!;
}

function surelyPlayable(k: CardKnowledge, fireworks: readonly number[]): boolean {
  return k.colors.every((c) => k.ranks.every((r) => fireworks[c] === r - 1));
}

function situation(o: HanabiObs, rng: Rng): string {
  const stacks = o.fireworks.map((f, i) => `${COLOR_NAMES[i]} ${f}`).join(', ');
  return pick(rng, [
    `The stacks are at ${stacks}; we have ${o.info} reveal tokens and ${o.lives} lives left, with ${o.deck} cards in the deck.`,
    `We have ${o.info} reveal tokens, ${o.lives} lives and ${o.deck} cards left in the deck, and the stacks stand at ${stacks}.`,
  ]);
}

function playReason(o: HanabiObs, i: number): string {
  const k = o.myKnowledge[i]!;
  if (surelyPlayable(k, o.fireworks)) return `From the hints, my Card ${i} can only be a card that goes next on its stack, so playing it scores a point at no risk.`;
  if (k.color !== null || k.rank !== null) {
    const what = k.color !== null && k.rank !== null ? `${COLOR_NAMES[k.color]} ${k.rank}` : k.color !== null ? COLOR_NAMES[k.color] : `a ${k.rank}`;
    return `${nameOf(1 - o.seat)} pointed out my Card ${i} as ${what}, and I read that hint as telling me it is playable now, so I will play it.`;
  }
  return `I know nothing about my Card ${i}, but none of my cards is known to be playable and I am willing to take the risk with ${o.lives} lives left.`;
}

function discardReason(o: HanabiObs, i: number): string {
  const k = o.myKnowledge[i]!;
  const hinted = k.color !== null || k.rank !== null;
  return hinted
    ? `My Card ${i} looks least useful to keep, and discarding it gets back a reveal token for the team (we have ${o.info}).`
    : `Nothing suggests my Card ${i} is needed soon, so I will discard it to regain a reveal token; we ${o.info <= 2 ? 'only have' : 'have'} ${o.info}.`;
}

function revealReason(o: HanabiObs, a: Extract<HanabiAction, { type: 'reveal_color' | 'reveal_rank' }>): string {
  const partner = nameOf(1 - o.seat);
  const pron = pronounOf(1 - o.seat);
  const touched = o.partnerHand.map((c, i) => ({ c, i })).filter(({ c }) => (a.type === 'reveal_color' ? c.color === a.color : c.rank === a.rank));
  const playable = touched.find(({ c }) => o.fireworks[c.color] === c.rank - 1);
  if (playable) return `${partner}'s Card ${playable.i} is ${cardName(playable.c)}, which can go on the ${COLOR_NAMES[playable.c.color]} stack right now, and ${pron} hint does not say so yet; this reveal points ${pron === 'his' ? 'him' : 'her'} to it.`;
  const last = touched.find(({ c }) => o.fireworks[c.color]! < c.rank && o.discards.filter((d) => d.color === c.color && d.rank === c.rank).length === copies(c.rank) - 1);
  if (last) return `${partner}'s Card ${last.i} is ${cardName(last.c)}, the last copy left, so I want ${pron === 'his' ? 'him' : 'her'} to keep it rather than discard it.`;
  return `This reveal gives ${partner} new information about ${pron} cards without risking a life, and we can spare a token.`;
}

function explanation(o: HanabiObs, a: HanabiAction, rng: Rng): string {
  const reason = a.type === 'play' ? playReason(o, a.index) : a.type === 'discard' ? discardReason(o, a.index) : revealReason(o, a);
  return rng.next() < 0.5 ? `${situation(o, rng)} ${reason}` : `${reason} ${situation(o, rng)}`;
}

/** The simulator's reply at `skill`: an explanation and the chosen move by its letter and text. */
export function simReply(obs: HanabiObs, skill: number, rng: Rng): string {
  const action = simMove(obs, skill, rng);
  const legal = obsLegal(obs);
  const idx = legal.findIndex((m) => sameAction(m, action));
  return `Explanation: ${explanation(obs, action, rng)}\nAction: ${moveLabel(idx)}. ${moveText(action, obs.seat)}`;
}
