/**
 * The reference game's objects: text referents described by four attributes from a fixed
 * vocabulary, the seeded contexts of four, the shortest description that singles a referent
 * out, and how the scripted listeners read attribute words out of a message.
 *
 * Every attribute value is one word and no word belongs to two attributes, so "the shortest
 * distinguishing description" is a count of words. With three distractors, each differing from
 * the target in at least one attribute, three words always suffice: every target needs 1 to 3.
 */
import { permutation, rngFor, type Rng } from '../../core/rng.js';

export const ATTRIBUTES = ['size', 'colour', 'pattern', 'shape'] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

export const VALUES: { readonly [K in Attribute]: readonly string[] } = {
  size: ['small', 'medium', 'large'],
  colour: ['red', 'blue', 'green', 'yellow', 'purple', 'orange'],
  pattern: ['solid', 'striped', 'dotted', 'checked'],
  shape: ['circle', 'square', 'triangle', 'star', 'heart', 'diamond'],
};

export type Referent = { [K in Attribute]: string };

/** Objects per context, as ICCA's 4 images. */
export const CONTEXT_SIZE = 4;

/** "small red striped circle": the attributes in English adjective order (size, colour, pattern, shape). */
export function describe(r: Referent): string {
  return ATTRIBUTES.map((a) => r[a]).join(' ');
}

/** The referent `describe` wrote, or null. */
export function parseReferent(text: string): Referent | null {
  const w = text.trim().split(/\s+/);
  if (w.length !== ATTRIBUTES.length) return null;
  const r = {} as Referent;
  for (let i = 0; i < ATTRIBUTES.length; i++) {
    const a = ATTRIBUTES[i]!;
    if (!VALUES[a].includes(w[i]!)) return null;
    r[a] = w[i]!;
  }
  return r;
}

export function sameReferent(a: Referent, b: Referent): boolean {
  return ATTRIBUTES.every((k) => a[k] === b[k]);
}

function randomReferent(rng: Rng): Referent {
  const r = {} as Referent;
  for (const a of ATTRIBUTES) r[a] = VALUES[a][rng.int(VALUES[a].length)]!;
  return r;
}

/** A copy of `base` with `k` attributes changed to other values. */
function mutate(base: Referent, k: number, rng: Rng): Referent {
  const r = { ...base };
  for (const i of permutation(ATTRIBUTES.length, rng).slice(0, k)) {
    const a = ATTRIBUTES[i]!;
    const others = VALUES[a].filter((v) => v !== base[a]);
    r[a] = others[rng.int(others.length)]!;
  }
  return r;
}

/** The sorted shortest-description lengths of a context, e.g. "1122". */
export function profileOf(ctx: readonly Referent[]): string {
  return ctx.map((_, i) => minimalAttributes(ctx, i).length).sort().join('');
}

/** Four distinct referents, each new one made by `next` from those so far. */
function grow(rng: Rng, next: (ctx: Referent[]) => Referent): Referent[] {
  const ctx = [randomReferent(rng)];
  while (ctx.length < CONTEXT_SIZE) {
    const r = next(ctx);
    if (!ctx.some((c) => sameReferent(c, r))) ctx.push(r);
  }
  return ctx;
}

/**
 * A 2 x 2 grid on two attributes, one corner also differing in a third: that corner needs one
 * word, the other three two each (1222, which near copies make about once in a hundred tries).
 */
function gridContext(rng: Rng): Referent[] {
  const base = randomReferent(rng);
  const [x, y, z] = permutation(ATTRIBUTES.length, rng).map((i) => ATTRIBUTES[i]!);
  const other = (a: Attribute): string => {
    const vs = VALUES[a].filter((v) => v !== base[a]);
    return vs[rng.int(vs.length)]!;
  };
  const x2 = other(x!);
  const y2 = other(y!);
  return [base, { ...base, [y!]: y2 }, { ...base, [x!]: x2 }, { ...base, [x!]: x2, [y!]: y2, [z!]: other(z!) }];
}

/**
 * The difficulty profiles of a context (the sorted lengths of its targets' shortest
 * descriptions), each episode drawing one uniformly, with the proposal that makes it most
 * often. Distractors are near copies (one or two attributes changed) of the first object or of
 * one another, so attributes are shared and targets need more than one word: independent random
 * objects would nearly always differ in colour alone. A quarter of the contexts hold a target
 * that needs three words.
 */
const PROPOSALS: Readonly<Record<string, (rng: Rng) => Referent[]>> = {
  '1112': (rng) => grow(rng, (ctx) => mutate(ctx[0]!, 1 + rng.int(2), rng)),
  '1113': (rng) => grow(rng, (ctx) => mutate(ctx[0]!, 1, rng)),
  '1122': (rng) => grow(rng, (ctx) => mutate(ctx[rng.int(ctx.length)]!, 1, rng)),
  '1222': gridContext,
};
export const PROFILES: readonly string[] = Object.keys(PROPOSALS);

/** A context of four distinct referents for an episode seed, in a seeded order: proposals are drawn until one has the episode's profile. */
export function makeContext(seed: number): Referent[] {
  const profile = PROFILES[rngFor(seed, 'refgame-profile').int(PROFILES.length)]!;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const rng = rngFor(seed, 'refgame-context', attempt);
    const ctx = PROPOSALS[profile]!(rng);
    if (profileOf(ctx) === profile) return permutation(CONTEXT_SIZE, rng).map((i) => ctx[i]!);
  }
  throw new Error(`refgame: no context with profile ${profile} for seed ${seed}`);
}

/** Attribute sets by size, then by a fixed preference (colour, shape, pattern, size) among equal sizes. */
const PREFERENCE: readonly Attribute[] = ['colour', 'shape', 'pattern', 'size'];
const SUBSETS: readonly (readonly Attribute[])[] = (() => {
  const out: Attribute[][] = [];
  for (let mask = 1; mask < 1 << PREFERENCE.length; mask++) out.push(PREFERENCE.filter((_, i) => mask & (1 << i)));
  const rank = (s: Attribute[]): number[] => s.map((a) => PREFERENCE.indexOf(a));
  return out.sort((x, y) => x.length - y.length || compareLex(rank(x), rank(y)));
})();

function compareLex(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** True when the target's values of `attrs` belong to no other referent of the context. */
function distinguishes(ctx: readonly Referent[], i: number, attrs: readonly Attribute[]): boolean {
  const t = ctx[i]!;
  return ctx.every((r, j) => j === i || attrs.some((a) => r[a] !== t[a]));
}

/** The attributes of the shortest distinguishing description of `ctx[i]` (canonical choice among equals). */
export function minimalAttributes(ctx: readonly Referent[], i: number): Attribute[] {
  const s = SUBSETS.find((attrs) => distinguishes(ctx, i, attrs));
  if (!s) throw new Error(`referent ${i} of the context is not distinguishable (duplicate referents)`);
  return ATTRIBUTES.filter((a) => s.includes(a));
}

/** The shortest distinguishing description's words, in English order: "striped square". */
export function minimalWords(ctx: readonly Referent[], i: number): string[] {
  return minimalAttributes(ctx, i).map((a) => ctx[i]![a]);
}

// ---- reading messages (the scripted listeners) ----

/** Inflections and common synonyms a speaker may use for the vocabulary's words. */
const SYNONYMS: Readonly<Record<string, string>> = {
  little: 'small', tiny: 'small', smaller: 'small', smallest: 'small',
  mid: 'medium', middle: 'medium', midsize: 'medium', midsized: 'medium',
  big: 'large', huge: 'large', larger: 'large', largest: 'large', bigger: 'large', biggest: 'large',
  reds: 'red', blues: 'blue', greens: 'green', yellows: 'yellow', purples: 'purple', violet: 'purple', oranges: 'orange',
  plain: 'solid', filled: 'solid',
  stripe: 'striped', stripes: 'striped', stripy: 'striped', stripey: 'striped',
  dot: 'dotted', dots: 'dotted', dotty: 'dotted', spotted: 'dotted', spots: 'dotted', spotty: 'dotted', polka: 'dotted',
  check: 'checked', checks: 'checked', checkered: 'checked', chequered: 'checked', checkerboard: 'checked', plaid: 'checked',
  circles: 'circle', circular: 'circle', round: 'circle',
  squares: 'square', triangles: 'triangle', triangular: 'triangle', stars: 'star', hearts: 'heart', diamonds: 'diamond',
};

const WORD_ATTRIBUTE: ReadonlyMap<string, Attribute> = new Map(ATTRIBUTES.flatMap((a) => VALUES[a].map((v) => [v, a] as const)));

/** The vocabulary value a word stands for, or null. */
export function attributeWord(token: string): string | null {
  const w = SYNONYMS[token] ?? token;
  return WORD_ATTRIBUTE.has(w) ? w : null;
}

const NEGATORS = new Set(['not', 'no', 'non', 'without', 'never', 'nor', 'isn', 'except']);
/** How far after a negator its attribute word may come ("not the striped one"). */
const NEGATION_REACH = 3;

/** Lower-case letter runs: "Red-striped, NOT dotted!" -> red striped not dotted. */
export function tokens(message: string): string[] {
  return message.toLowerCase().split(/[^a-z]+/).filter((t) => t !== '');
}

export interface Reading {
  /** Attribute values the message asserts. */
  pos: string[];
  /** Attribute values it denies ("not striped", "no dots"). */
  neg: string[];
}

/** The attribute words of a message; a word within three tokens after a negator is a denial. */
export function readMessage(message: string): Reading {
  const pos: string[] = [];
  const neg: string[] = [];
  let negUntil = -1;
  tokens(message).forEach((tok, i) => {
    if (NEGATORS.has(tok)) {
      negUntil = i + NEGATION_REACH;
      return;
    }
    const v = attributeWord(tok);
    if (v === null) return;
    const into = i <= negUntil ? neg : pos;
    if (!into.includes(v)) into.push(v);
    negUntil = -1;
  });
  return { pos, neg };
}

/** How many of the reading's assertions and denials hold for a referent. */
export function satisfied(r: Referent, reading: Reading): number {
  const has = (v: string): boolean => ATTRIBUTES.some((a) => r[a] === v);
  return reading.pos.filter(has).length + reading.neg.filter((v) => !has(v)).length;
}

/**
 * The literal candidates: the referents for which every assertion and denial holds; when none
 * fits all, those that fit the most. A message with no attribute words leaves every referent.
 */
export function literalCandidates(objects: readonly Referent[], reading: Reading): number[] {
  const counts = objects.map((r) => satisfied(r, reading));
  const best = Math.max(...counts);
  return counts.flatMap((c, i) => (c === best ? [i] : []));
}
