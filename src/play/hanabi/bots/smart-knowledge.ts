/**
 * SmartBot's model of what a player knows of one of its own cards: a port of `CardKnowledge`
 * from Quuxplusone/Hanabi (SmartBot.cc and SmartBot.h at a61491c, the version whose self-play
 * mean the README at 369b531 reports). The lazily computed fields and their invalidation are
 * kept exactly as upstream, stale values included: SmartBot's choices depend on when each
 * cached value was computed, so a "cleaner" cache would change its play and its score.
 *
 * Departures, on purpose:
 *  - when a player's conventions contradict each other (a partner that is not SmartBot can
 *    cause it), a card can be ruled out of every identity. Upstream then runs into asserts or,
 *    with NDEBUG, indexes its count tables at -2 (undefined behaviour); here such a card is
 *    "known" as upstream computes it but is never counted in a table.
 */

export type Tri = 0 | 1 | 2;
export const NO: Tri = 0;
export const MAYBE: Tri = 1;
export const YES: Tri = 2;

/** The pieces of SmartBot a card's knowledge reads (upstream's `bot_` and `bot_->server_`). */
export interface KnolContext {
  /** The size of colour k's firework. */
  pile(k: number): number;
  isValuable(k: number, v: number): boolean;
  isWorthless(k: number, v: number): boolean;
  playedCount(k: number, v: number): number;
  heldCount(k: number, v: number, eyesight: boolean): number;
}

export function copiesOf(v: number): number {
  return v === 1 ? 3 : v === 5 ? 1 : 2;
}

const at = (k: number, v: number): number => k * 6 + v;

export class Knol {
  cantBe: Uint8Array;
  possibilities = -1;
  color = -2;
  value = -2;
  playable: Tri = MAYBE;
  valuable: Tri = MAYBE;
  worthless: Tri = MAYBE;
  pPlayable = -1;
  pValuable = -1;
  pWorthless = -1;

  constructor(
    readonly ctx: KnolContext,
    cantBe?: Uint8Array,
  ) {
    this.cantBe = cantBe ?? new Uint8Array(30);
  }

  clone(ctx: KnolContext = this.ctx): Knol {
    const k = new Knol(ctx, this.cantBe.slice());
    k.possibilities = this.possibilities;
    k.color = this.color;
    k.value = this.value;
    k.playable = this.playable;
    k.valuable = this.valuable;
    k.worthless = this.worthless;
    k.pPlayable = this.pPlayable;
    k.pValuable = this.pValuable;
    k.pWorthless = this.pWorthless;
    return k;
  }

  cannotBeCard(k: number, v: number): boolean {
    return this.cantBe[at(k, v)] === 1;
  }

  cannotBeColor(c: number): boolean {
    if (this.color >= 0) return this.color !== c;
    for (let v = 1; v <= 5; v++) if (!this.cantBe[at(c, v)]) return false;
    return true;
  }

  cannotBeValue(value: number): boolean {
    if (this.value >= 0) return this.value !== value;
    for (let k = 0; k < 5; k++) if (!this.cantBe[at(k, value)]) return false;
    return true;
  }

  private staleMaybes(): void {
    if (this.playable === MAYBE) this.pPlayable = -1;
    if (this.valuable === MAYBE) this.pValuable = -1;
    if (this.worthless === MAYBE) this.pWorthless = -1;
  }

  befuddleByDiscard(): void {
    if (this.worthless !== YES) {
      this.valuable = MAYBE;
      this.pValuable = -1;
    }
    if (this.worthless !== YES) {
      this.worthless = MAYBE;
      this.pWorthless = -1;
    }
  }

  befuddleByPlay(success: boolean): void {
    if (success) {
      this.playable = MAYBE;
      this.pPlayable = -1;
    } else {
      this.valuable = MAYBE;
      this.pValuable = -1;
    }
    if (this.worthless !== YES) {
      this.worthless = MAYBE;
      this.pWorthless = -1;
    }
  }

  setMustBeColor(c: number): void {
    for (let k = 0; k < 5; k++) for (let v = 1; v <= 5; v++) if (k !== c) this.cantBe[at(k, v)] = 1;
    this.possibilities = -1;
    this.color = c;
    if (this.value === -1) this.value = -2;
    this.staleMaybes();
  }

  setMustBeValue(value: number): void {
    for (let k = 0; k < 5; k++) for (let v = 1; v <= 5; v++) if (v !== value) this.cantBe[at(k, v)] = 1;
    this.possibilities = -1;
    if (this.color === -1) this.color = -2;
    this.value = value;
    this.staleMaybes();
  }

  setCannotBeColor(c: number): void {
    for (let v = 1; v <= 5; v++) this.cantBe[at(c, v)] = 1;
    this.afterRuleOut();
  }

  setCannotBeValue(value: number): void {
    for (let k = 0; k < 5; k++) this.cantBe[at(k, value)] = 1;
    this.afterRuleOut();
  }

  private afterRuleOut(): void {
    this.possibilities = -1;
    if (this.color === -1) this.color = -2;
    if (this.value === -1) this.value = -2;
    this.staleMaybes();
  }

  setIsPlayable(knownPlayable: boolean): void {
    for (let k = 0; k < 5; k++) {
      const playableValue = this.ctx.pile(k) + 1;
      for (let v = 1; v <= 5; v++) {
        if (this.cantBe[at(k, v)]) continue;
        if ((v === playableValue) !== knownPlayable) this.cantBe[at(k, v)] = 1;
      }
    }
    this.possibilities = -1;
    if (this.color === -1) this.color = -2;
    if (this.value === -1) this.value = -2;
    this.playable = knownPlayable ? YES : NO;
    this.pPlayable = knownPlayable ? 1 : 0;
    if (this.valuable === MAYBE) this.pValuable = -1;
    if (this.worthless === MAYBE) this.pWorthless = -1;
    if (knownPlayable) {
      this.worthless = NO;
      this.pWorthless = 0;
    }
  }

  setIsValuable(knownValuable: boolean): void {
    for (let k = 0; k < 5; k++) {
      for (let v = 1; v <= 5; v++) {
        if (this.cantBe[at(k, v)]) continue;
        if (this.ctx.isValuable(k, v) !== knownValuable) this.cantBe[at(k, v)] = 1;
      }
    }
    this.possibilities = -1;
    if (this.color === -1) this.color = -2;
    if (this.value === -1) this.value = -2;
    if (this.playable === MAYBE) this.pPlayable = -1;
    this.valuable = knownValuable ? YES : NO;
    this.pValuable = knownValuable ? 1 : 0;
    if (this.worthless === MAYBE) this.pWorthless = -1;
    if (knownValuable) {
      this.worthless = NO;
      this.pWorthless = 0;
    }
  }

  computeIdentity(): void {
    if (this.color !== -2 && this.value !== -2) return;
    let color = -2;
    let value = -2;
    for (let k = 0; k < 5; k++) {
      for (let v = 1; v <= 5; v++) {
        if (this.cantBe[at(k, v)]) continue;
        color = color === -2 || color === k ? k : -1;
        value = value === -2 || value === v ? v : -1;
      }
    }
    this.color = color;
    this.value = value;
  }

  computePossibilities(): void {
    if (this.possibilities !== -1) return;
    let n = 0;
    for (let k = 0; k < 5; k++) for (let v = 1; v <= 5; v++) n += this.cantBe[at(k, v)] ? 0 : 1;
    this.possibilities = n;
  }

  /** Upstream's three compute* share one shape: a share of the remaining identities, cached until marked stale. */
  private tally(test: (k: number, v: number) => boolean): { p: number; t: Tri } {
    let total = 0;
    let yes = 0;
    for (let k = 0; k < 5; k++) {
      for (let v = 1; v <= 5; v++) {
        if (this.cantBe[at(k, v)]) continue;
        total++;
        if (test(k, v)) yes++;
      }
    }
    // float, as upstream; 0/0 (a contradictory card) is NaN there too, and "all of none" is YES.
    return { p: Math.fround(yes / total), t: yes === total ? YES : yes !== 0 ? MAYBE : NO };
  }

  computePlayable(): void {
    if (this.pPlayable !== -1) return;
    const r = this.tally((k, v) => v === this.ctx.pile(k) + 1);
    this.pPlayable = r.p;
    this.playable = r.t;
  }

  computeValuable(): void {
    if (this.pValuable !== -1) return;
    const r = this.tally((k, v) => this.ctx.isValuable(k, v));
    this.pValuable = r.p;
    this.valuable = r.t;
  }

  computeWorthless(): void {
    if (this.pWorthless !== -1) return;
    const r = this.tally((k, v) => this.ctx.isWorthless(k, v));
    this.pWorthless = r.p;
    this.worthless = r.t;
  }

  /** Rules out identities whose every copy is played, discarded or (by `eyesight` or by knowledge) located. */
  update(eyesight: boolean): void {
    if (this.known()) return;
    let recompute = false;
    for (let k = 0; k < 5; k++) {
      for (let v = 1; v <= 5; v++) {
        if (this.cantBe[at(k, v)]) continue;
        if (this.ctx.playedCount(k, v) + this.ctx.heldCount(k, v, eyesight) === copiesOf(v)) {
          this.cantBe[at(k, v)] = 1;
          recompute = true;
        }
      }
    }
    if (recompute) {
      this.possibilities = -1;
      this.color = -2;
      this.value = -2;
      this.playable = this.valuable = this.worthless = MAYBE;
      this.pPlayable = this.pValuable = this.pWorthless = -1;
    }
  }

  known(): boolean {
    this.computeIdentity();
    return this.color !== -1 && this.value !== -1;
  }

  colorId(): number {
    this.computeIdentity();
    return this.color;
  }

  valueId(): number {
    this.computeIdentity();
    return this.value;
  }

  possibilityCount(): number {
    this.computePossibilities();
    return this.possibilities;
  }

  isPlayable(): Tri {
    this.computePlayable();
    return this.playable;
  }

  isValuable(): Tri {
    this.computeValuable();
    return this.valuable;
  }

  isWorthless(): Tri {
    this.computeWorthless();
    return this.worthless;
  }

  probabilityPlayable(): number {
    this.computePlayable();
    return this.pPlayable;
  }

  probabilityWorthless(): number {
    this.computeWorthless();
    return this.pWorthless;
  }

  couldBeValuableWithValue(value: number): boolean {
    if (value < 1 || value > 5 || this.cannotBeValue(value)) return false;
    if (this.isValuable() !== MAYBE) return false;
    const n = this.clone();
    n.setMustBeValue(value);
    return n.isValuable() !== NO;
  }
}
