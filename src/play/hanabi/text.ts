/**
 * The LLM's view of Hanabi, as LLM-Coordination presents it
 * (eric-ai-lab/llm_coordination, src/llm_coordination_agents/hanabi_agent.py, read in the
 * index's copy at 28bea5b; the notes cite HEAD 586733a): the rules as a first user turn
 * ("You are a helpful assistant." joined to the base prompt without a separator, as upstream
 * does for models served by vLLM), the assistant's "Got it!", then one user turn with the state
 * (`_observation_to_description`) and the lettered legal moves, answered as
 * "Explanation: ... Action: ...". Sampling: temperature 0.6, top_p 1 (`llm_inference`).
 *
 * Departures, on purpose:
 *  - the partner-interpretation ("CAC" ToM) and verifier calls are left out: one request per
 *    turn, the bare agent, so the measure is the model's own play;
 *  - "My Action History" (the agent's own past moves only) is replaced by a "Game History" of
 *    both players' moves with what they showed (the card played or discarded, the cards a hint
 *    touched), and a "Since my last turn" line (HLE's last moves): the issue asks for the last
 *    moves, and the text must carry the whole observation (`readPrompt` reads it back);
 *  - upstream's discard pile is Python's repr of pyhanabi cards ("[R1, Y3]"); kept as such.
 */
import { COLOR_NAMES, type Card, cardCode, cardName } from './cards.js';
import type { CardKnowledge } from './knowledge.js';
import type { HanabiAction, HistoryItem } from './moves.js';
import { type HanabiObs, lastMoves, obsLegal } from './observation.js';
import { letteredList } from '../common.js';
import type { ChatMessage } from '../../bench/types.js';
import type { Seat } from '../types.js';

export const PLAYER_NAMES = ['Alice', 'Bob'] as const;

export function nameOf(seat: Seat): string {
  return PLAYER_NAMES[seat]!;
}

/** Upstream's partner_pronoun: Bob's cards are "his", Alice's "her". */
export function pronounOf(seat: Seat): string {
  return seat === 1 ? 'his' : 'her';
}

const I8 = ' '.repeat(8);
const I16 = ' '.repeat(16);

// Upstream's rules text, whitespace and all (a Python triple-quoted string indented in its class).
const RULES = [
  '',
  `${I8}- The game uses a 50-card deck, divided into five colours (red (R), green (G), blue (B), yellow (Y), white (W)). Each color has cards of ranks 1 to 5. Each color has with three 1's, two 2's, two 3's, two 4's, one 5.`,
  `${I8}- Players have to create stacks of each color. Each color stack starts with a Rank 1 card and goes up one by one in ascending order up to Rank 5.  (e.g. Red Stack should go from R1 -> R2 -> R3 -> R4 -> R5). A card can only be played if it is the next in the incremental sequence for its color stack.`,
  `${I8}- Players can only see the other's hand, not their own.`,
  `${I8}- Players have plausible knowledge of their cards based on previously provided hints by the other player`,
  `${I8}- They can either play a card, give a reveal, or discard a card.`,
  `${I8}***Actions:***`,
  `${I16}1. Reveal (Clue): Spend a reveal token to reveal cards with a particular color or rank. Revealing a color reveals all cards of that color in partner's hand. Revealing a rank reveals all cards with that rank in partner's hand. The game starts with 8 reveal tokens. If no token left, no more reveals can be given. `,
  `${I16}2. Discard: Discard a card to regain a reveal token and draw a new card. `,
  `${I16}3. Play a Card: If a card played follows sequence in its color stack, it succeeds. Success of rank 5 card in any stack gives an additional reveal token. Failure discards the card, and loses a life. Playing a card you are unsure about is risky as it costs a life and you have only 3 lives. Before playing a card make sure that it's the next card in the sequence for that stack.`,
  `${I8}***The game ends when:***`,
  `${I16}- All five stacks are completed. 25 Points. `,
  `${I16}- Three lives have been lost. 0 Points no matter how many cards have been placed in the stack. `,
  `${I16}- After the last card from the deck is drawn and each player has had a final turn. Sum total of the top card ranks of each color stack. `,
  I8,
].join('\n');

export const SYSTEM_TEXT = 'You are a helpful assistant.';

/** Upstream's base_prompt for the player in `seat` (its "\n" is a literal backslash-n, as upstream's f-string writes it). */
export function basePrompt(seat: Seat): string {
  const me = nameOf(seat);
  const other = nameOf(1 - seat);
  return (
    `The card game Hanabi has the following rules:\n${I8}${RULES}\n${I8}I am ${me}, playing the card game Hanabi with ${other}. \n` +
    `${I8}At each time step I will provide you with the relevant information of the game. I will also provide you with the legal action, help me select the best next action. Remember I am playing as ${me}. Format your response as Explanation: <brief explanation for selecting the move>\\nAction:<selected move>. Do not say anything else. Got it?`
  );
}

/** A legal move as upstream words it ("Play My Card 0.", "Reveal Bob's Red color cards."). */
export function moveText(a: HanabiAction, seat: Seat): string {
  const partner = nameOf(1 - seat);
  switch (a.type) {
    case 'play':
      return `Play My Card ${a.index}.`;
    case 'discard':
      return `Discard My Card ${a.index}.`;
    case 'reveal_color':
      return `Reveal ${partner}'s ${COLOR_NAMES[a.color]} color cards.`;
    case 'reveal_rank':
      return `Reveal ${partner}'s rank ${a.rank} cards.`;
  }
}

function knowledgeList(k: CardKnowledge): string {
  return `[${k.colors.map((c) => COLOR_NAMES[c]).join(', ')}] [${k.ranks.join(', ')}]`;
}

/** "his Card 0, Card 2 and Card 3". */
export function cardList(pos: string, indices: readonly number[]): string {
  const names = indices.map((i) => `Card ${i}`);
  const head = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0] ?? '';
  return `${pos} ${head}`;
}

/** One past move in words, from the observer's side. */
export function historyText(h: HistoryItem, observer: Seat): string {
  const mine = h.seat === observer;
  const actor = mine ? `I (${nameOf(observer)})` : nameOf(h.seat);
  const pos = mine ? 'my' : pronounOf(h.seat);
  switch (h.type) {
    case 'play': {
      const color = COLOR_NAMES[h.card.color];
      const outcome = h.scored ? `it went on the ${color} stack.` : `it did not fit the ${color} stack, so we lost a life and it was discarded.`;
      return `${actor} played ${pos} Card ${h.index}, ${cardName(h.card)}: ${outcome}`;
    }
    case 'discard':
      return `${actor} discarded ${pos} Card ${h.index}, ${cardName(h.card)}.`;
    case 'reveal_color':
    case 'reveal_rank': {
      const target = 1 - h.seat;
      const whose = target === observer ? 'my' : `${nameOf(target)}'s`;
      const what = h.type === 'reveal_color' ? `${COLOR_NAMES[h.color]} color` : `rank ${h.rank}`;
      return `${actor} revealed ${whose} ${what} cards: ${cardList(target === observer ? 'my' : pronounOf(target), h.touched)}.`;
    }
  }
}

function stacksLine(fireworks: readonly number[]): string {
  return `Current Stacks: ${fireworks.map((f, i) => `${COLOR_NAMES[i]} - ${COLOR_NAMES[i]} ${f} `).join('')}`;
}

function nextPlayable(fireworks: readonly number[]): string {
  const parts = fireworks.map((f, i) => (f !== 5 ? `Only ${COLOR_NAMES[i]} ${f + 1} can be played on ${COLOR_NAMES[i]} stack \n` : `${COLOR_NAMES[i]} stack is complete. `));
  return `The next cards that can be played on each stack are: \n${parts.join('')}\n`;
}

function discardLine(discards: readonly Card[]): string {
  return `The discard pile is: [${discards.map(cardCode).join(', ')}]`;
}

export const HISTORY_HEAD = 'Game History (cards are numbered from 0, the oldest; a new card is drawn at the end of the hand): ';

function historyBlock(o: HanabiObs): string {
  if (o.history.length === 0) return `${HISTORY_HEAD}\nNo moves yet.\n`;
  const lines = o.history.map((h, t) => `Turn ${t + 1}: ${historyText(h, o.seat)}`);
  const since = lastMoves(o)
    .filter((h) => h.seat !== o.seat)
    .reverse()
    .map((h) => historyText(h, o.seat));
  const sinceLine = since.length > 0 ? `Since my last turn: ${since.join(' ')}\n` : '';
  return `${HISTORY_HEAD}\n${lines.join('\n')}\n${sinceLine}`;
}

/** The state turn, upstream's `_observation_to_description` with the departures above. */
export function stateText(o: HanabiObs): string {
  const me = nameOf(o.seat);
  const partner = nameOf(1 - o.seat);
  const pron = pronounOf(1 - o.seat);
  const legal = obsLegal(o).map((a) => moveText(a, o.seat));
  return (
    `It is currently My (${me}) turn. ${stacksLine(o.fireworks)}\n` +
    `My cards based on my knowledge: \n${o.myKnowledge.map((k, i) => `Card ${i} could be: ${knowledgeList(k)}\n`).join('')}` +
    `I can see ${partner}'s Cards are: \n${o.partnerHand.map((c, i) => `[Card ${i}: ${cardName(c)}]\n`).join('')}` +
    `${partner}'s Knowledge about ${pron} cards: \n${o.partnerKnowledge.map((k, i) => `${partner} believes ${pron} Card ${i} could be: ${knowledgeList(k)}\n`).join('')}` +
    `Remaining Reveal Tokens: ${o.info}\nRemaining Lives: ${o.lives}\nDeck Size: ${o.deck}\n${discardLine(o.discards)}\n` +
    historyBlock(o) +
    nextPlayable(o.fireworks) +
    `Available Legal Actions: \n${letteredList(legal)}\n`
  );
}

export function promptMessages(o: HanabiObs): ChatMessage[] {
  return [
    { role: 'user', content: SYSTEM_TEXT + basePrompt(o.seat) },
    { role: 'assistant', content: 'Got it!' },
    { role: 'user', content: stateText(o) },
  ];
}

/** The one re-ask, worded as upstream's verifier loop asks again. */
export function reaskText(error: string, o: HanabiObs): string {
  const legal = obsLegal(o).map((a) => moveText(a, o.seat));
  return (
    `Your selected action could not be used: ${error}. Please choose another action. List of Available Actions:\n${letteredList(legal)}\n` +
    'Format your response as Explanation: <brief explanation for selecting the move>\\nAction:<selected move>.'
  );
}
