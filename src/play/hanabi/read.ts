/**
 * `readPrompt`: the observation a Hanabi prompt was built from, read back from its text alone
 * (the simulator plays from it). The inverse of text.ts; null when the messages hold no Hanabi
 * state or the state text does not parse. What the text shows as plausible colours and ranks is
 * read from the knowledge lines; which of those a hint named directly (HLE's `color`/`rank`)
 * is not written there, so it is replayed from the game history, and the two must agree.
 */
import { COLOR_NAMES, type Card, COLOR_CHARS, HAND_SIZE, colorIndex } from './cards.js';
import { type CardKnowledge, applyHintToHand, freshKnowledge } from './knowledge.js';
import type { HistoryItem } from './moves.js';
import { type HanabiObs, START_DECK } from './observation.js';
import { HISTORY_HEAD, PLAYER_NAMES } from './text.js';
import type { ChatMessage } from '../../bench/types.js';
import type { Seat } from '../types.js';

const COLOR = `(${COLOR_NAMES.join('|')})`;
const NAME = `(${PLAYER_NAMES.join('|')})`;

class Lines {
  i = 0;
  constructor(readonly lines: string[]) {}
  peek(): string | undefined {
    return this.lines[this.i];
  }
  take(re: RegExp): RegExpExecArray {
    const line = this.lines[this.i];
    const m = line === undefined ? null : re.exec(line);
    if (!m) throw new Error(`line ${this.i + 1}: expected ${re.source}`);
    this.i++;
    return m;
  }
  /** Consecutive lines matching `re`. */
  many(re: RegExp): RegExpExecArray[] {
    const out: RegExpExecArray[] = [];
    while (this.peek() !== undefined && re.test(this.peek()!)) out.push(this.take(re));
    return out;
  }
}

function parseKnowledgeList(colors: string, ranks: string): { colors: number[]; ranks: number[] } {
  const cs = colors.split(', ').map(colorIndex);
  const rs = ranks.split(', ').map(Number);
  if (cs.some((c) => c < 0) || rs.some((r) => !(r >= 1 && r <= 5))) throw new Error('bad knowledge list');
  return { colors: cs, ranks: rs };
}

function parseCardCode(code: string): Card {
  const color = (COLOR_CHARS as readonly string[]).indexOf(code[0]!);
  const rank = Number(code.slice(1));
  if (color < 0 || !(rank >= 1 && rank <= 5) || code.length !== 2) throw new Error(`bad card ${code}`);
  return { color, rank };
}

function seatOf(name: string): Seat {
  return PLAYER_NAMES.indexOf(name as never);
}

function touchedList(s: string): number[] {
  return s.split(/, | and /).map((x) => Number(/^Card (\d+)$/.exec(x)![1]));
}

const PLAY_RE = new RegExp(`^Turn (\\d+): (?:I \\(${NAME}\\)|${NAME}) (played|discarded) (?:my|his|her) Card (\\d+), ${COLOR} ([1-5])(:.*|\\.)$`);
const HINT_RE = new RegExp(`^Turn (\\d+): (?:I \\(${NAME}\\)|${NAME}) revealed (?:my|Alice's|Bob's) (?:${COLOR} color|rank ([1-5])) cards: (?:my|his|her) (Card \\d+(?:(?:, | and )Card \\d+)*)\\.$`);

function parseHistoryLine(line: string, turn: number): HistoryItem {
  const p = PLAY_RE.exec(line);
  if (p) {
    if (Number(p[1]) !== turn) throw new Error(`turn ${p[1]} out of order`);
    const seat = seatOf(p[2] ?? p[3]!);
    const card = { color: colorIndex(p[6]!), rank: Number(p[7]) };
    const index = Number(p[5]);
    if (p[4] === 'discarded') return { seat, type: 'discard', index, card };
    return { seat, type: 'play', index, card, scored: p[8]!.startsWith(': it went on') };
  }
  const h = HINT_RE.exec(line);
  if (!h) throw new Error(`unreadable history line: ${line.slice(0, 80)}`);
  if (Number(h[1]) !== turn) throw new Error(`turn ${h[1]} out of order`);
  const seat = seatOf(h[2] ?? h[3]!);
  const touched = touchedList(h[6]!);
  return h[4] !== undefined ? { seat, type: 'reveal_color', color: colorIndex(h[4]), touched } : { seat, type: 'reveal_rank', rank: Number(h[5]), touched };
}

/** Each seat's card knowledge after a history, as HLE updates it (hints only). */
export function knowledgeFromHistory(history: readonly HistoryItem[]): CardKnowledge[][] {
  const hands: CardKnowledge[][] = [0, 1].map(() => Array.from({ length: HAND_SIZE }, freshKnowledge));
  let deck = START_DECK;
  for (const h of history) {
    if (h.type === 'play' || h.type === 'discard') {
      const hand = hands[h.seat]!;
      hand.splice(h.index, 1);
      if (deck > 0) {
        hand.push(freshKnowledge());
        deck--;
      }
    } else {
      const target = 1 - h.seat;
      const hint = h.type === 'reveal_color' ? ({ kind: 'color', value: h.color } as const) : ({ kind: 'rank', value: h.rank } as const);
      hands[target] = applyHintToHand(hands[target]!, hint, h.touched);
    }
  }
  return hands;
}

function merge(shown: Array<{ colors: number[]; ranks: number[] }>, replayed: CardKnowledge[]): CardKnowledge[] {
  if (shown.length !== replayed.length) throw new Error('the knowledge lines do not match the history');
  return replayed.map((k, i) => {
    if (k.colors.join() !== shown[i]!.colors.join() || k.ranks.join() !== shown[i]!.ranks.join()) throw new Error('the knowledge lines do not match the history');
    return k;
  });
}

function parseState(text: string): HanabiObs {
  const L = new Lines(text.split('\n'));
  const head = L.take(new RegExp(`^It is currently My \\(${NAME}\\) turn\\. Current Stacks: (.*)$`));
  const seat = seatOf(head[1]!);
  const fireworks = COLOR_NAMES.map((c) => {
    const m = new RegExp(`${c} - ${c} ([0-5]) `).exec(head[2]!);
    if (!m) throw new Error(`no ${c} stack`);
    return Number(m[1]);
  });
  L.take(/^My cards based on my knowledge: $/);
  const mine = L.many(/^Card (\d+) could be: \[([^\]]*)\] \[([^\]]*)\]$/).map((m) => parseKnowledgeList(m[2]!, m[3]!));
  L.take(new RegExp(`^I can see ${NAME}'s Cards are: $`));
  const partnerHand = L.many(new RegExp(`^\\[Card (\\d+): ${COLOR} ([1-5])\\]$`)).map((m) => ({ color: colorIndex(m[2]!), rank: Number(m[3]) }));
  L.take(new RegExp(`^${NAME}'s Knowledge about (?:his|her) cards: $`));
  const theirs = L.many(new RegExp(`^${NAME} believes (?:his|her) Card (\\d+) could be: \\[([^\\]]*)\\] \\[([^\\]]*)\\]$`)).map((m) => parseKnowledgeList(m[3]!, m[4]!));
  const info = Number(L.take(/^Remaining Reveal Tokens: (\d+)$/)[1]);
  const lives = Number(L.take(/^Remaining Lives: (\d+)$/)[1]);
  const deck = Number(L.take(/^Deck Size: (\d+)$/)[1]);
  const pile = L.take(/^The discard pile is: \[(.*)\]$/)[1]!;
  const discards = pile === '' ? [] : pile.split(', ').map(parseCardCode);
  L.take(new RegExp(`^${HISTORY_HEAD.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  const history: HistoryItem[] = [];
  if (L.peek() === 'No moves yet.') L.i++;
  else for (const m of L.many(/^Turn \d+: /)) history.push(parseHistoryLine(m.input, history.length + 1));
  const known = knowledgeFromHistory(history);
  return {
    seat,
    fireworks,
    info,
    lives,
    deck,
    discards,
    myKnowledge: merge(mine, known[seat]!),
    partnerHand,
    partnerKnowledge: merge(theirs, known[1 - seat]!),
    history,
  };
}

/** The observation the last Hanabi state turn in `messages` shows, or null. */
export function readHanabiPrompt(messages: readonly ChatMessage[]): HanabiObs | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== 'user' || !m.content.startsWith('It is currently My (')) continue;
    try {
      return parseState(m.content);
    } catch {
      return null;
    }
  }
  return null;
}
