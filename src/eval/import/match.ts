/**
 * Matching another harness's samples to masa's items: by the harness's id where it is
 * upstream's, else by a content hash of the question (whitespace and case folded), else, for
 * files that carry only the options (EmoBench result rows), by the nearest item on the words of
 * its options. Pure functions.
 */
import { sha256 } from '../../core/hash.js';
import type { AnyBenchmark, Item } from '../../bench/types.js';
import type { HarnessVerdict } from '../records.js';
import type { ItemKey } from './types.js';

/** Case, whitespace and Unicode forms folded: what a content hash compares. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function contentHash(text: string): string {
  return sha256(normalizeText(text));
}

/** The question text of a masa item, whatever its benchmark calls it. */
export function itemText(item: Item): string | null {
  const it = item as unknown as Record<string, unknown>;
  for (const k of ['question', 'problem', 'prompt', 'scenario']) if (typeof it[k] === 'string') return it[k] as string;
  return null;
}

/** Every option text of a masa item (EmoBench: emotion then cause choices). */
export function itemChoices(item: Item): string[] {
  const it = item as unknown as Record<string, unknown>;
  const out: string[] = [];
  for (const k of ['options', 'choices', 'causeChoices']) if (Array.isArray(it[k])) out.push(...(it[k] as string[]));
  return out;
}

function words(texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const t of texts) {
    const n = normalizeText(t);
    // Chinese has no spaces: its characters are its words here.
    const ws = /[a-z0-9]/.test(n) ? n.match(/[\p{L}\p{N}]+/gu) ?? [] : [...n.replace(/\s/g, '')];
    for (const w of ws) out.add(w);
  }
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 0 : inter / union;
}

/** A nearest match must share this share of words and beat the runner-up by this margin. */
export const NEAREST_MIN = 0.5;
export const NEAREST_MARGIN = 0.2;

export interface Matched {
  item: Item;
  match: HarnessVerdict['match'];
}

export class ItemIndex {
  private readonly byId: Map<string, Item>;
  private byHash: Map<string, Item[]> | null = null;
  private byChoices: Map<string, Item[]> | null = null;
  private choiceWords: Array<{ item: Item; words: Set<string> }> | null = null;

  constructor(
    readonly bench: AnyBenchmark,
    readonly items: readonly Item[],
  ) {
    this.byId = new Map(items.map((i) => [i.id, i]));
  }

  private hashes(): Map<string, Item[]> {
    if (!this.byHash) {
      this.byHash = new Map();
      for (const it of this.items) {
        const t = itemText(it);
        if (t === null) continue;
        const h = contentHash(t);
        this.byHash.set(h, [...(this.byHash.get(h) ?? []), it]);
      }
    }
    return this.byHash;
  }

  private choiceKey(texts: readonly string[]): string {
    return sha256(texts.map(normalizeText).sort().join('\u0000'));
  }

  /** The item a key names, or a reason it names none (for a one-line error). */
  find(key: ItemKey): Matched | { reason: string } {
    if (key.id !== undefined) {
      const it = this.byId.get(key.id);
      if (it) return { item: it, match: 'id' };
      if (key.text === undefined && key.choices === undefined) return { reason: `no ${this.bench.id} item has id ${key.id}` };
    }
    if (key.text !== undefined) {
      const hits = this.hashes().get(contentHash(key.text)) ?? [];
      if (hits.length === 1) return { item: hits[0]!, match: 'content-hash' };
      if (hits.length > 1) return { reason: `question text matches ${hits.length} ${this.bench.id} items (${hits.map((h) => h.id).join(', ')})` };
      if (key.choices === undefined) return { reason: `no ${this.bench.id} item has this question text${key.id !== undefined ? ` or id ${key.id}` : ''}` };
    }
    if (key.choices !== undefined) return this.nearestByChoices(key.choices);
    if (key.prompt !== undefined) return this.containedIn(key.prompt);
    return { reason: 'the sample names no item (no id, question or options)' };
  }

  private prefixes: { long: Map<string, Array<{ item: Item; text: string }>>; short: Array<{ item: Item; text: string }> } | null = null;

  /** The item whose question appears in the prompt (the longest one, when questions nest). */
  private containedIn(prompt: string): Matched | { reason: string } {
    const K = 24;
    if (!this.prefixes) {
      this.prefixes = { long: new Map(), short: [] };
      for (const item of this.items) {
        const t = itemText(item);
        if (t === null) continue;
        const text = normalizeText(t);
        if (text.length < K) this.prefixes.short.push({ item, text });
        else this.prefixes.long.set(text.slice(0, K), [...(this.prefixes.long.get(text.slice(0, K)) ?? []), { item, text }]);
      }
    }
    const p = normalizeText(prompt);
    let best: { item: Item; len: number } | null = null;
    let tie = false;
    const consider = (item: Item, len: number): void => {
      if (best && best.item === item) return;
      if (!best || len > best.len) {
        best = { item, len };
        tie = false;
      } else if (len === best.len) tie = true;
    };
    for (let i = 0; i + K <= p.length; i++) {
      for (const c of this.prefixes.long.get(p.slice(i, i + K)) ?? []) if (p.startsWith(c.text, i)) consider(c.item, c.text.length);
    }
    if (!best) for (const c of this.prefixes.short) if (p.includes(c.text)) consider(c.item, c.text.length);
    const found = best as { item: Item; len: number } | null;
    if (found && !tie) return { item: found.item, match: 'content-hash' };
    return { reason: found ? `the prompt holds the questions of several ${this.bench.id} items` : `no ${this.bench.id} question appears in the prompt` };
  }

  private nearestByChoices(choices: readonly string[]): Matched | { reason: string } {
    if (!this.byChoices) {
      this.byChoices = new Map();
      for (const it of this.items) {
        const k = this.choiceKey(itemChoices(it));
        this.byChoices.set(k, [...(this.byChoices.get(k) ?? []), it]);
      }
    }
    const exact = this.byChoices.get(this.choiceKey(choices)) ?? [];
    if (exact.length === 1) return { item: exact[0]!, match: 'content-hash' };
    this.choiceWords ??= this.items.map((item) => ({ item, words: words(itemChoices(item)) }));
    const w = words(choices);
    let best: { item: Item; s: number } | null = null;
    let second = 0;
    for (const c of this.choiceWords) {
      const s = jaccard(w, c.words);
      if (!best || s > best.s) {
        second = best?.s ?? 0;
        best = { item: c.item, s };
      } else if (s > second) second = s;
    }
    if (best && best.s >= NEAREST_MIN && best.s - second >= NEAREST_MARGIN) return { item: best.item, match: 'nearest' };
    return { reason: `no ${this.bench.id} item has these options (nearest shares ${Math.round(100 * (best?.s ?? 0))}% of their words, runner-up ${Math.round(100 * second)}%)` };
  }
}

/**
 * permutation[k] = index in `upstream` of the option shown at position k, matching texts after
 * folding case and whitespace, then by most shared words; null when the texts do not pair up.
 */
export function permutationOf(shown: readonly string[], upstream: readonly string[]): number[] | null {
  if (shown.length !== upstream.length) return null;
  const norm = upstream.map(normalizeText);
  const used = new Set<number>();
  const out: Array<number | null> = shown.map((s) => {
    const k = norm.findIndex((u, i) => !used.has(i) && u === normalizeText(s));
    if (k >= 0) used.add(k);
    return k >= 0 ? k : null;
  });
  // Options edited between versions: pair the rest by shared words, best pair first.
  const restShown = out.map((v, i) => (v === null ? i : -1)).filter((i) => i >= 0);
  const restUp = upstream.map((_, i) => i).filter((i) => !used.has(i));
  const pairs: Array<[number, number, number]> = [];
  for (const i of restShown) for (const j of restUp) pairs.push([jaccard(words([shown[i]!]), words([upstream[j]!])), i, j]);
  pairs.sort((a, b) => b[0] - a[0]);
  for (const [s, i, j] of pairs) {
    if (out[i] !== null || used.has(j) || s === 0) continue;
    out[i] = j;
    used.add(j);
  }
  return out.every((v) => v !== null) ? (out as number[]) : null;
}

export function isIdentity(p: readonly number[]): boolean {
  return p.every((v, i) => v === i);
}
