/**
 * SmartBot, Arthur O'Dwyer's convention bot: a port of Quuxplusone/Hanabi SmartBot.cc at
 * a61491c (its README at 369b531 reports a two-player self-play mean of 23.09 over 1,000,000
 * games, on rules that keep the points after the third misplay: masa's fireworks sum, not
 * HLE's score). Its conventions: a colour or rank hint says the newest touched card that might
 * be playable is playable; a rank hint on the card the next player would discard warns that it
 * is valuable; with 8 tokens a rank hint on the partner's oldest card only reclaims a token;
 * discarding a known playable card tells the partner its newest card is that card.
 *
 * Upstream keeps its beliefs in the bot between calls. Here a partner is a pure function of
 * the observation, so each call rebuilds them by replaying the public history through the same
 * callbacks in the server's order (before every move each player observes; the mover decides;
 * then everyone observes the move), including the bot's own past decisions, whose only lasting
 * effect is on its cached values. `smartMove` on the observation of a game SmartBot played
 * gives the move it made (tested).
 *
 * Departures, on purpose:
 *  - two players only (the server's n-player loops are kept where they cost nothing);
 *  - a contradictory card (see smart-knowledge.ts) is never counted in a table;
 *  - colours are HLE's R, Y, G, W, B where upstream has red, orange, yellow, green, blue: the
 *    same five-colour deck, so only the tie-break order between equally good colour hints
 *    is relabelled.
 */
import type { Card } from '../cards.js';
import type { HanabiAction, HistoryItem } from '../moves.js';
import { type BoardView, type HanabiObs, boardTimeline } from '../observation.js';
import { type KnolContext, Knol, MAYBE, NO, YES, copiesOf } from './smart-knowledge.js';

const MAX_HINTS = 8;
const at = (k: number, v: number): number => k * 6 + v;

interface Hint {
  fitness: number;
  to: number;
  color: number;
  value: number;
}

const noHint = (to = -1): Hint => ({ fitness: -1, to, color: -1, value: -1 });

function includes(h: Hint, c: Card): boolean {
  return h.color !== -1 ? h.color === c.color : h.value === c.rank;
}

export class SmartBot implements KnolContext {
  readonly numPlayers = 2;
  hands: Knol[][];
  played = new Int8Array(30);
  located = new Int8Array(30);
  eyesight = new Int8Array(30);
  view!: BoardView;
  myHandSize = 5;

  constructor(readonly me: number, handSize = 5) {
    this.hands = [0, 1].map(() => Array.from({ length: handSize }, () => new Knol(this)));
  }

  // The server, as a KnolContext sees it.
  pile(k: number): number {
    return this.view.fireworks[k]!;
  }

  playedCount(k: number, v: number): number {
    return this.played[at(k, v)]!;
  }

  heldCount(k: number, v: number, eyesight: boolean): number {
    return (eyesight ? this.eyesight : this.located)[at(k, v)]!;
  }

  isPlayableCard(k: number, v: number): boolean {
    return v === this.pile(k) + 1;
  }

  isValuable(k: number, v: number): boolean {
    if (this.played[at(k, v)] !== copiesOf(v) - 1) return false;
    return !this.isWorthless(k, v);
  }

  isWorthless(k: number, v: number): boolean {
    const playableValue = this.pile(k) + 1;
    if (v < playableValue) return true;
    while (v > playableValue) {
      --v;
      if (this.played[at(k, v)] === copiesOf(v)) return true;
    }
    return false;
  }

  private partner(): number {
    return (this.me + 1) % this.numPlayers;
  }

  private handOf(p: number): Card[] {
    if (p === this.me) throw new Error('SmartBot: cannot observe its own hand');
    return this.view.partnerHand;
  }

  private updateEyesightCount(): void {
    this.eyesight.fill(0);
    for (let p = 0; p < this.numPlayers; p++) {
      if (p === this.me) {
        for (let i = 0; i < this.myHandSize; i++) {
          const knol = this.hands[p]![i]!;
          if (knol.known() && knol.color >= 0) this.eyesight[at(knol.color, knol.value)]++;
        }
      } else {
        for (const c of this.handOf(p)) this.eyesight[at(c.color, c.rank)]++;
      }
    }
  }

  private updateLocatedCount(): boolean {
    const fresh = new Int8Array(30);
    for (const hand of this.hands) {
      for (const knol of hand) if (knol.known() && knol.color >= 0) fresh[at(knol.color, knol.value)]++;
    }
    let changed = false;
    for (let i = 0; i < 30; i++) if (fresh[i] !== this.located[i]) changed = true;
    if (changed) this.located = fresh;
    return changed;
  }

  nextDiscardIndex(to: number): number {
    let bestFitness = 0;
    let best = -1;
    const hand = this.hands[to]!;
    for (let i = 0; i < hand.length; i++) {
      const knol = hand[i]!;
      if (knol.isPlayable() === YES) return -1;
      if (knol.isWorthless() === YES) return -1;
      if (knol.isValuable() === YES) continue;
      const fitness = 100 + knol.probabilityWorthless();
      if (fitness > bestFitness) {
        bestFitness = fitness;
        best = i;
      }
    }
    return best;
  }

  private noValuableWarningWasGiven(from: number): void {
    if (this.view.deck === 0) return;
    if (this.view.info === 0) return;
    const expecting = (from + 1) % this.numPlayers;
    const di = this.nextDiscardIndex(expecting);
    if (di !== -1) this.hands[expecting]![di]!.setIsValuable(false);
  }

  private invalidateKnol(p: number, index: number, draw: boolean): void {
    const vec = this.hands[p]!;
    for (let i = index; i + 1 < vec.length; i++) vec[i] = vec[i + 1]!;
    if (draw) vec[vec.length - 1] = new Knol(this);
    else vec.pop();
  }

  observeBeforeMove(view: BoardView): void {
    this.view = view;
    this.myHandSize = view.handSizes[this.me]!;
    this.located.fill(0);
    this.updateLocatedCount();
    do {
      for (const hand of this.hands) for (const knol of hand) knol.update(false);
    } while (this.updateLocatedCount());
    this.updateEyesightCount();
  }

  private observeDiscard(from: number, index: number, card: Card): void {
    this.noValuableWarningWasGiven(from);
    const knol = this.hands[from]![index]!;
    if (knol.known() && knol.isPlayable() === YES) {
      // A "discard finesse": someone's newest card is this card; if I can see no one's, it is mine.
      let seen = false;
      for (let p = 0; p < this.numPlayers; p++) {
        if (p === from || p === this.me) continue;
        const newest = this.handOf(p)[this.handOf(p).length - 1]!;
        if (newest.color === card.color && newest.rank === card.rank) {
          const k = this.hands[p]![this.hands[p]!.length - 1]!;
          k.setMustBeColor(card.color);
          k.setMustBeValue(card.rank);
          seen = true;
          break;
        }
      }
      if (!seen) {
        const mine = this.hands[this.me]!;
        mine[mine.length - 1]!.setMustBeColor(card.color);
        mine[mine.length - 1]!.setMustBeValue(card.rank);
      }
    }
    for (const hand of this.hands) for (const k of hand) k.befuddleByDiscard();
    this.played[at(card.color, card.rank)]++;
    this.invalidateKnol(from, index, this.view.deck !== 0);
  }

  private observePlay(from: number, index: number, card: Card): void {
    const success = this.isPlayableCard(card.color, card.rank);
    this.noValuableWarningWasGiven(from);
    for (const hand of this.hands) for (const k of hand) k.befuddleByPlay(success);
    this.played[at(card.color, card.rank)]++;
    this.invalidateKnol(from, index, this.view.deck !== 0);
  }

  /** The loop both hint observers share: narrow each card, then mark the newest maybe-playable touched card playable. */
  private narrowByHint(to: number, touched: readonly number[], apply: (k: Knol, hit: boolean) => void): number {
    const n = this.view.handSizes[to]!;
    let identified = false;
    let inferred = -1;
    for (let i = n - 1; i >= 0; i--) {
      const knol = this.hands[to]![i]!;
      const wasMaybe = knol.isPlayable() === MAYBE;
      const hit = touched.includes(i);
      apply(knol, hit);
      if (!wasMaybe) continue;
      const now = knol.isPlayable();
      if (now === YES) identified = true;
      else if (hit && now === MAYBE && inferred === -1) inferred = i;
    }
    return identified ? -1 : inferred;
  }

  private observeColorHint(from: number, to: number, color: number, touched: readonly number[]): void {
    const inferred = this.narrowByHint(to, touched, (k, hit) => (hit ? k.setMustBeColor(color) : k.setCannotBeColor(color)));
    if (inferred >= 0) this.hands[to]![inferred]!.setIsPlayable(true);
    if (to !== (from + 1) % this.numPlayers) this.noValuableWarningWasGiven(from);
  }

  private observeValueHint(from: number, to: number, value: number, touched: readonly number[]): void {
    const expecting = (from + 1) % this.numPlayers;
    const di = this.nextDiscardIndex(expecting);
    const isReclaim = this.view.info === MAX_HINTS && from === (to + 1) % this.numPlayers && touched.includes(0);
    const isWarning = !isReclaim && to === expecting && touched.includes(di) && this.hands[to]![di]!.couldBeValuableWithValue(value);
    if (isWarning) this.hands[to]![di]!.setIsValuable(true);
    const inferred = this.narrowByHint(to, touched, (k, hit) => (hit ? k.setMustBeValue(value) : k.setCannotBeValue(value)));
    if (!isWarning && !isReclaim && inferred >= 0) this.hands[to]![inferred]!.setIsPlayable(true);
    if (to !== expecting) this.noValuableWarningWasGiven(from);
  }

  observeMove(h: HistoryItem): void {
    const to = (h.seat + 1) % this.numPlayers;
    switch (h.type) {
      case 'discard':
        return this.observeDiscard(h.seat, h.index, h.card);
      case 'play':
        return this.observePlay(h.seat, h.index, h.card);
      case 'reveal_color':
        return this.observeColorHint(h.seat, to, h.color, h.touched);
      case 'reveal_rank':
        return this.observeValueHint(h.seat, to, h.rank, h.touched);
    }
  }

  // ---- deciding (SmartBot::pleaseMakeMove and its maybe* helpers) ----

  private maybePlayLowestPlayableCard(): HanabiAction | null {
    let best = -1;
    let bestFitness = 0;
    const mine = this.hands[this.me]!;
    for (let i = 0; i < this.myHandSize; i++) {
      if (mine[i]!.isPlayable() === NO) continue;
      const eye = mine[i]!.clone();
      eye.update(true);
      if (eye.isPlayable() !== YES) continue;
      let fitness = 6 - eye.valueId();
      if (mine[i]!.isPlayable() !== YES) fitness += 100;
      if (fitness > bestFitness) {
        best = i;
        bestFitness = fitness;
      }
    }
    return best !== -1 ? { type: 'play', index: best } : null;
  }

  private maybeDiscardWorthlessCard(): HanabiAction | null {
    let best = -1;
    let bestFitness = 0;
    const mine = this.hands[this.me]!;
    for (let i = 0; i < this.myHandSize; i++) {
      if (mine[i]!.isWorthless() === NO) continue;
      if (mine[i]!.isWorthless() === MAYBE) {
        const eye = mine[i]!.clone();
        eye.update(true);
        if (eye.isWorthless() !== YES) continue;
      }
      const fitness = 2.0 - mine[i]!.probabilityWorthless();
      if (fitness > bestFitness) {
        best = i;
        bestFitness = fitness;
      }
    }
    return best !== -1 ? { type: 'discard', index: best } : null;
  }

  private bestHintGiven(to: number, isOkay: (h: Hint, oldK: Knol[], newK: Knol[]) => boolean): Hint {
    const hand = this.handOf(to);
    const colors = [false, false, false, false, false];
    const values = [false, false, false, false, false, false];
    for (const c of hand) {
      colors[c.color] = true;
      values[c.rank] = true;
    }
    const oldK = this.hands[to]!;
    let best = noHint(to);
    const consider = (hint: Hint, narrow: (k: Knol, c: Card) => void): void => {
      const newK = oldK.map((k) => k.clone());
      for (let c = 0; c < hand.length; c++) narrow(newK[c]!, hand[c]!);
      if (!isOkay(hint, oldK, newK)) return;
      let fitness = 0;
      for (let i = 0; i < oldK.length; i++) fitness += oldK[i]!.possibilityCount() - newK[i]!.possibilityCount();
      hint.fitness = fitness;
      if (hint.fitness > best.fitness) best = hint;
    };
    for (let k = 0; k < 5; k++) {
      if (!colors[k]) continue;
      consider({ ...noHint(to), color: k }, (kn, c) => (c.color === k ? kn.setMustBeColor(k) : kn.setCannotBeColor(k)));
    }
    for (let v = 1; v <= 5; v++) {
      if (!values[v]) continue;
      consider({ ...noHint(to), value: v }, (kn, c) => (c.rank === v ? kn.setMustBeValue(v) : kn.setCannotBeValue(v)));
    }
    return best;
  }

  private bestHintForPlayer(partner: number): Hint {
    const hand = this.handOf(partner);
    const reallyPlayable = hand.map((c) => this.isPlayableCard(c.color, c.rank));
    let valueToAvoid = -1;
    if (partner === (this.me + 1) % this.numPlayers) {
      const di = this.nextDiscardIndex(partner);
      if (di !== -1) {
        valueToAvoid = hand[di]!.rank;
        if (!this.hands[partner]![di]!.couldBeValuableWithValue(valueToAvoid)) valueToAvoid = -1;
      }
    }
    return this.bestHintGiven(partner, (hint, oldK, newK) => {
      if (hint.value !== -1 && hint.value === valueToAvoid) return false;
      let reveals = false;
      let misleading = MAYBE;
      for (let c = hand.length - 1; c >= 0; c--) {
        if (oldK[c]!.isPlayable() !== MAYBE) continue;
        if (newK[c]!.isPlayable() === YES) reveals = true;
        else if (newK[c]!.isPlayable() === MAYBE && includes(hint, hand[c]!)) {
          if (misleading === MAYBE) misleading = reallyPlayable[c] ? NO : YES;
        }
      }
      return reveals || misleading === NO;
    });
  }

  private hintAction(h: Hint): HanabiAction {
    return h.color !== -1 ? { type: 'reveal_color', color: h.color } : { type: 'reveal_rank', rank: h.value };
  }

  private maybeGiveValuableWarning(): HanabiAction | null {
    if (this.view.info === 0) return null;
    const target = this.partner();
    const di = this.nextDiscardIndex(target);
    if (di === -1) return null;
    const card = this.handOf(target)[di]!;
    if (!this.isValuable(card.color, card.rank)) return null;
    const best = this.bestHintForPlayer(target);
    if (best.fitness > 0) return this.hintAction(best);
    return { type: 'reveal_rank', rank: card.rank };
  }

  private maybeDiscardFinesse(): HanabiAction | null {
    if (this.view.info === MAX_HINTS) return null;
    const cards: Card[] = [];
    const indices: number[] = [];
    const mine = this.hands[this.me]!;
    for (let i = 0; i < mine.length; i++) {
      const k = mine[i]!;
      if (k.known() && k.isValuable() === NO && k.isPlayable() === YES) {
        cards.push({ color: k.color, rank: k.value });
        indices.push(i);
      }
    }
    if (cards.length === 0) return null;
    const newest: Card[] = [];
    for (let i = 1; i < this.numPlayers; i++) {
      const h = this.handOf((this.me + i) % this.numPlayers);
      newest.push(h[h.length - 1]!);
    }
    for (let j = 0; j < cards.length; j++) {
      const c = cards[j]!;
      if (newest.filter((n) => n.color === c.color && n.rank === c.rank).length === 1) return { type: 'discard', index: indices[j]! };
    }
    return null;
  }

  private maybeGiveHelpfulHint(): HanabiAction | null {
    if (this.view.info === 0) return null;
    let best = noHint();
    for (let i = 1; i < this.numPlayers; i++) {
      const candidate = this.bestHintForPlayer((this.me + i) % this.numPlayers);
      if (candidate.fitness > best.fitness) best = candidate;
    }
    if (best.fitness <= 0) return null;
    return this.hintAction(best);
  }

  private maybePlayMysteryCard(): HanabiAction | null {
    const table = [-99, 1, 1, 3];
    if (this.view.deck <= table[this.view.lives]!) {
      let bestFitness = 0;
      let best = -1;
      const mine = this.hands[this.me]!;
      for (let i = mine.length - 1; i >= 0; i--) {
        const eye = mine[i]!.clone();
        eye.update(true);
        if (eye.isPlayable() === MAYBE) {
          const fitness = eye.probabilityPlayable();
          if (fitness > bestFitness) {
            bestFitness = fitness;
            best = i;
          }
        }
      }
      if (best !== -1) return { type: 'play', index: best };
    }
    return null;
  }

  private maybeDiscardOldCard(): HanabiAction | null {
    const best = this.nextDiscardIndex(this.me);
    return best !== -1 ? { type: 'discard', index: best } : null;
  }

  makeMove(): HanabiAction {
    if (this.view.deck === 0) {
      const m = this.maybePlayLowestPlayableCard() ?? this.maybePlayMysteryCard();
      if (m) return m;
    }
    const m =
      this.maybeGiveValuableWarning() ??
      this.maybeDiscardFinesse() ??
      this.maybePlayLowestPlayableCard() ??
      this.maybeGiveHelpfulHint() ??
      this.maybePlayMysteryCard();
    if (m) return m;
    if (this.view.info === MAX_HINTS) {
      // Discarding is not allowed with every token: hint the player on our right about his oldest card.
      const right = (this.me + this.numPlayers - 1) % this.numPlayers;
      return { type: 'reveal_rank', rank: this.handOf(right)[0]!.rank };
    }
    const d = this.maybeDiscardWorthlessCard() ?? this.maybeDiscardOldCard();
    if (d) return d;
    // Every card is valuable: discard the one that blocks progress least (the highest).
    const mine = this.hands[this.me]!;
    let best = 0;
    for (let i = 0; i < this.myHandSize; i++) if (mine[i]!.valueId() > mine[best]!.valueId()) best = i;
    return { type: 'discard', index: best };
  }

  /** A copy of its beliefs (what the replay cache keeps). */
  snapshot(): SmartBot {
    const b = new SmartBot(this.me);
    b.hands = this.hands.map((h) => h.map((k) => k.clone(b)));
    b.played = this.played.slice();
    b.located = this.located.slice();
    b.eyesight = this.eyesight.slice();
    b.myHandSize = this.myHandSize;
    return b;
  }
}

/**
 * Replays are quadratic in the game's length, so the beliefs after a history prefix are kept,
 * keyed by everything they depend on (the seat, the prefix, and the partner's hand after it,
 * from which its earlier hands follow): a cache that never changes a result, only its cost.
 */
const CACHE_SIZE = 1024;
const cache = new Map<string, SmartBot>();

/** A move in a few characters, everything it shows included. */
function itemCode(h: HistoryItem): string {
  switch (h.type) {
    case 'play':
      return `${h.seat}p${h.index}${h.card.color}${h.card.rank}${h.scored ? '+' : '-'}`;
    case 'discard':
      return `${h.seat}d${h.index}${h.card.color}${h.card.rank}`;
    case 'reveal_color':
      return `${h.seat}c${h.color}${h.touched.join('')}`;
    case 'reveal_rank':
      return `${h.seat}r${h.rank}${h.touched.join('')}`;
  }
}

function cacheKey(obs: HanabiObs, codes: readonly string[], k: number, views: readonly BoardView[]): string {
  return `${obs.seat}|${codes.slice(0, k).join(',')}|${views[k]!.partnerHand.map((c) => `${c.color}${c.rank}`).join('')}`;
}

function remember(key: string, bot: SmartBot): void {
  cache.delete(key);
  cache.set(key, bot.snapshot());
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
}

/** SmartBot's move for an observation: its beliefs rebuilt from the public history, then its decision. */
export function smartMove(obs: HanabiObs, opts: { cache?: boolean } = {}): HanabiAction {
  const useCache = opts.cache ?? true;
  const views = boardTimeline(obs);
  const T = obs.history.length;
  let bot = new SmartBot(obs.seat);
  let start = 0;
  const codes = useCache ? obs.history.map(itemCode) : [];
  if (useCache && T >= 2) {
    const hit = cache.get(cacheKey(obs, codes, T - 2, views));
    if (hit) {
      bot = hit.snapshot();
      start = T - 2;
    }
  }
  for (let t = start; t < T; t++) {
    const h = obs.history[t]!;
    bot.observeBeforeMove(views[t]!);
    if (h.seat === obs.seat) bot.makeMove();
    bot.observeMove(h);
  }
  if (useCache) remember(cacheKey(obs, codes, T, views), bot);
  bot.observeBeforeMove(views[T]!);
  return bot.makeMove();
}
