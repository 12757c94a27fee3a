/**
 * The simulator's memory of the benchmarks: every registered benchmark's items (real files
 * when fetched, the bundled samples otherwise), keyed by the prompt masa would send for them,
 * with what scores right for each item worked out once, up front, with the benchmark's own
 * score(). Requests then cost a Map lookup (exact prompt) or one fingerprint (shuffled prompt).
 */
import { hash32 } from '../core/rng.js';
import { loadItems } from '../bench/data.js';
import { LETTERS } from '../bench/choices.js';
import type { AnyBenchmark, ChatMessage, Item, Trial, TrialScore } from '../bench/types.js';
import type { GroupName } from './profile.js';
import { fingerprint, optionBlocks } from './prompt-parse.js';
import { invNorm } from './normal.js';
import {
  JSON_FORMATS,
  MATH_FORMATS,
  NO_ANSWER,
  letterFormats,
  wrongMathCandidates,
  type Answer,
  type CodeAnswer,
  type JsonAnswer,
  type LetterAnswer,
  type MathAnswer,
} from './writers.js';

export interface IndexEntry {
  benchId: string;
  group: GroupName;
  itemId: string;
  /** Latent difficulty (standard normal; higher = harder), the same for every model. */
  z: number;
  answer: Answer;
  /** First line of each option -> upstream index, to read a shuffled order back; null when unusable. */
  optionMap: Map<string, number> | null;
  /**
   * Scores a response with the benchmark's own score() for the shown order: true/false, or null
   * when the score is asynchronous (code execution) and cannot be checked on the request path.
   */
  verify: (content: string, perm: number[] | null) => boolean | null;
}

export interface Recognised {
  entry: IndexEntry;
  /** shown position -> upstream index; null = upstream order. */
  perm: number[] | null;
}

export interface BenchIndexStats {
  bench: string;
  origin: string;
  items: number;
  /** Items by answer kind (letter, math, code, json, generic). */
  kinds: Record<string, number>;
  /** Items (checked among the first 50) whose shuffled prompt did not fingerprint like the unshuffled one. */
  fingerprintMismatches: number;
  error?: string;
}

const T0: Trial = { index: 0, permutation: null };

function lastUser(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return messages[i]!.content;
  return messages.length > 0 ? messages[messages.length - 1]!.content : '';
}

export class ItemIndex {
  readonly exact = new Map<string, Recognised>();
  readonly byFingerprint = new Map<string, IndexEntry>();
  readonly stats: BenchIndexStats[] = [];

  /** Recognises a prompt (the last user message) or returns null. */
  lookup(text: string): Recognised | null {
    const hit = this.exact.get(text);
    if (hit) return hit;
    const entry = this.byFingerprint.get(fingerprint(text));
    if (!entry) return null;
    return { entry, perm: recoverOrder(entry, text) };
  }

  get size(): number {
    return this.byFingerprint.size;
  }
}

/** Reads the shown option order back from a prompt by matching option texts. */
export function recoverOrder(entry: IndexEntry, text: string): number[] | null {
  if (entry.answer.kind !== 'letter' || !entry.optionMap) return null;
  const blocks = optionBlocks(text);
  const last = blocks[blocks.length - 1];
  if (!last || last.texts.length !== entry.answer.n) return null;
  const perm: number[] = [];
  const seen = new Set<number>();
  for (const t of last.texts) {
    const up = entry.optionMap.get(t);
    if (up === undefined || seen.has(up)) return null;
    seen.add(up);
    perm.push(up);
  }
  return perm;
}

async function scoreOf(bench: AnyBenchmark, item: Item, response: string | null, trial: Trial, options: object): Promise<TrialScore | null> {
  try {
    return await bench.score(item, response, trial, options);
  } catch {
    return null;
  }
}

async function isCorrect(bench: AnyBenchmark, item: Item, response: string, options: object): Promise<boolean> {
  return (await scoreOf(bench, item, response, T0, options))?.correct === true;
}

function field(item: Item, names: readonly string[]): string | undefined {
  const rec = item as unknown as Record<string, unknown>;
  for (const n of names) if (typeof rec[n] === 'string') return rec[n] as string;
  return undefined;
}

async function prepareLetter(bench: AnyBenchmark, item: Item, p0: string, options: object): Promise<LetterAnswer | null> {
  const blocks = optionBlocks(p0);
  const last = blocks[blocks.length - 1];
  const texts = last ? last.texts : null;
  const n = texts ? texts.length : 10;
  const formats = letterFormats(bench.id);
  let gold: number[] = [];
  for (let f = 0; f < formats.length && gold.length === 0; f++) {
    for (let k = 0; k < n; k++) {
      if (await isCorrect(bench, item, formats[f]!(LETTERS[k]!, texts?.[k] ?? ''), options)) gold.push(k);
    }
    if (gold.length === n && n > 1) gold = []; // a format that scores everything right tells nothing
  }
  if (gold.length === 0) {
    // Options shown but none scores right (an upstream data error): answerable only wrongly.
    return texts ? { kind: 'letter', n, gold: [], texts, formats: [0], noAnswerScoresWrong: true } : null;
  }
  const g = gold[0]!;
  const verified: number[] = [];
  for (let f = 0; f < formats.length; f++) {
    if (await isCorrect(bench, item, formats[f]!(LETTERS[g]!, texts?.[g] ?? ''), options)) verified.push(f);
  }
  let noAnswerScoresWrong = true;
  for (const w of NO_ANSWER) if (await isCorrect(bench, item, `Honestly, ${w}`, options)) noAnswerScoresWrong = false;
  return { kind: 'letter', n, gold, texts, formats: verified, noAnswerScoresWrong };
}

async function prepareMath(bench: AnyBenchmark, item: Item, options: object): Promise<MathAnswer | null> {
  const correct = field(item, ['answer', 'gold', 'target']);
  if (correct === undefined) return null;
  const formats: number[] = [];
  for (let f = 0; f < MATH_FORMATS.length; f++) if (await isCorrect(bench, item, MATH_FORMATS[f]!(correct), options)) formats.push(f);
  if (formats.length === 0) return null;
  const wrong: string[] = [];
  for (const w of wrongMathCandidates(correct)) {
    if (wrong.length >= 4) break;
    const s = await scoreOf(bench, item, MATH_FORMATS[0]!(w), T0, options);
    if (s && !s.correct) wrong.push(w);
  }
  return { kind: 'math', correct, formats, wrong };
}

function prepareCode(item: Item): CodeAnswer | null {
  const prompt = field(item, ['prompt']);
  const entry = field(item, ['entry_point', 'entryPoint']);
  const canonical = field(item, ['canonical_solution', 'canonicalSolution']);
  if (prompt === undefined || entry === undefined || canonical === undefined) return null;
  return { kind: 'code', prompt, entry, canonical };
}

async function prepareJson(bench: AnyBenchmark, item: Item, p0: string, allText: string, options: object): Promise<JsonAnswer | null> {
  // The JSON keys asked for may be spelled out in the system prompt.
  const keys: string[] = [];
  const re = /"(answer[A-Za-z0-9_]*)"/g;
  for (let m = re.exec(allText); m; m = re.exec(allText)) if (!keys.includes(m[1]!)) keys.push(m[1]!);
  if (keys.length === 0) keys.push('answer');
  if (keys.length > 2) return null;
  const blocks = optionBlocks(p0);
  const sizes = keys.map((_, i) => blocks[blocks.length - keys.length + i]?.texts.length ?? 8);
  const combos: number[][] = [];
  if (keys.length === 1) for (let a = 0; a < sizes[0]!; a++) combos.push([a]);
  else for (let a = 0; a < sizes[0]!; a++) for (let b = 0; b < sizes[1]!; b++) combos.push([a, b]);
  for (const c of combos) {
    const letters = c.map((k) => LETTERS[k]!);
    if (await isCorrect(bench, item, JSON_FORMATS[0]!(keys, letters), options)) {
      const formats: number[] = [];
      for (let f = 0; f < JSON_FORMATS.length; f++) if (await isCorrect(bench, item, JSON_FORMATS[f]!(keys, letters), options)) formats.push(f);
      return { kind: 'json', keys, sizes, gold: c, formats };
    }
  }
  return null;
}

async function prepareAnswer(bench: AnyBenchmark, item: Item, p0: string, allText: string, options: object): Promise<Answer> {
  const id = bench.id;
  const rec = item as unknown as Record<string, unknown>;
  if (id === 'humaneval' || (typeof rec.canonical_solution === 'string' && typeof rec.entry_point === 'string')) {
    return prepareCode(item) ?? { kind: 'generic' };
  }
  if (id === 'emobench') return (await prepareJson(bench, item, p0, allText, options)) ?? (await prepareLetter(bench, item, p0, options)) ?? { kind: 'generic' };
  if (id === 'math500') return (await prepareMath(bench, item, options)) ?? { kind: 'generic' };
  if (optionBlocks(p0).length > 0 || ['mmlu-pro', 'gpqa-diamond', 'tombench', 'coordinationqa'].includes(id)) {
    const letter = await prepareLetter(bench, item, p0, options);
    if (letter) return letter;
  }
  return (await prepareMath(bench, item, options)) ?? { kind: 'generic' };
}

function verifier(bench: AnyBenchmark, item: Item, options: object): IndexEntry['verify'] {
  return (content, perm) => {
    try {
      const r = bench.score(item, content, { index: 0, permutation: perm }, options);
      if (r instanceof Promise) {
        r.catch(() => undefined);
        return null;
      }
      return r.correct;
    } catch {
      return null;
    }
  };
}

/**
 * Whether an answer prepared under other options still scores the same under these (one right
 * and one wrong canonical response), so a variant that only rewords the prompt costs two score
 * calls per item instead of a full preparation.
 */
async function stillHolds(bench: AnyBenchmark, item: Item, a: Answer, options: object): Promise<boolean> {
  switch (a.kind) {
    case 'letter': {
      if (a.gold.length === 0) return false;
      const f = letterFormats(bench.id)[0]!;
      const g = a.gold[0]!;
      const w = Array.from({ length: a.n }, (_, k) => k).find((k) => !a.gold.includes(k));
      if (!(await isCorrect(bench, item, f(LETTERS[g]!, a.texts?.[g] ?? ''), options))) return false;
      return w === undefined || !(await isCorrect(bench, item, f(LETTERS[w]!, a.texts?.[w] ?? ''), options));
    }
    case 'math':
      return (await isCorrect(bench, item, MATH_FORMATS[a.formats[0]!]!(a.correct), options)) && (a.wrong.length === 0 || !(await isCorrect(bench, item, MATH_FORMATS[0]!(a.wrong[0]!), options)));
    case 'json':
      return isCorrect(bench, item, JSON_FORMATS[a.formats[0] ?? 0]!(a.keys, a.gold.map((k) => LETTERS[k]!)), options);
    case 'code':
      return true;
    default:
      return false;
  }
}

/** Latent difficulty of an item: a standard normal draw fixed by the benchmark and item id. */
export function itemDifficulty(benchId: string, itemId: string): number {
  const u = (hash32(`difficulty|${benchId}|${itemId}`) + 0.5) / 4294967296;
  return invNorm(u);
}

/** Option sets to index: the defaults, and each documented choice of one option at a time. */
function optionVariants(bench: AnyBenchmark, maxVariants: number): Record<string, unknown>[] {
  const base = { ...(bench.defaultOptions as Record<string, unknown>) };
  const out: Record<string, unknown>[] = [base];
  const docs = (bench.optionDocs ?? {}) as Record<string, { choices?: readonly unknown[] }>;
  for (const [name, doc] of Object.entries(docs)) {
    for (const choice of doc.choices ?? []) {
      if (out.length > maxVariants) return out;
      if (choice === base[name]) continue;
      out.push({ ...base, [name]: choice });
    }
  }
  return out;
}

export interface BuildIndexOptions {
  /** A dataset root holding <dataset>/ folders (e.g. ../shared/datasets); default: fetched data, else samples. */
  dataRoot?: string;
  /** Also index each documented option choice (e.g. another language); default 4 extra variants. */
  maxVariants?: number;
}

async function indexBench(index: ItemIndex, bench: AnyBenchmark, opts: BuildIndexOptions): Promise<BenchIndexStats> {
  const stats: BenchIndexStats = { bench: bench.id, origin: '', items: 0, kinds: {}, fingerprintMismatches: 0 };
  const seenItems = new Set<string>();
  // Answers worked out under the default options, reused by variants whose scoring agrees.
  const prepared = new Map<string, Answer>();
  const variants = optionVariants(bench, opts.maxVariants ?? 4);
  for (let v = 0; v < variants.length; v++) {
    const options = variants[v]!;
    let items: Item[];
    try {
      const loaded = await loadItems(bench, options, opts.dataRoot);
      items = loaded.items;
      if (v === 0) stats.origin = loaded.location.origin;
    } catch (e) {
      if (v === 0) stats.error = (e as Error).message;
      continue;
    }
    for (const item of items) {
      let p0: string;
      let allText: string;
      try {
        const msgs = bench.messages(item, T0, options);
        p0 = lastUser(msgs);
        allText = msgs.map((m) => m.content).join('\n');
      } catch {
        continue;
      }
      if (index.exact.has(p0)) continue;
      const earlier = v > 0 ? prepared.get(item.id) : undefined;
      const answer =
        earlier && (await stillHolds(bench, item, earlier, options)) ? earlier : await prepareAnswer(bench, item, p0, allText, options);
      if (v === 0) prepared.set(item.id, answer);
      const entry: IndexEntry = {
        benchId: bench.id,
        group: bench.group as GroupName,
        itemId: item.id,
        z: itemDifficulty(bench.id, item.id),
        answer,
        optionMap: null,
        verify: verifier(bench, item, options),
      };
      if (!seenItems.has(item.id)) {
        seenItems.add(item.id);
        stats.items++;
        stats.kinds[answer.kind] = (stats.kinds[answer.kind] ?? 0) + 1;
      }
      index.exact.set(p0, { entry, perm: null });
      const fp = fingerprint(p0);
      if (!index.byFingerprint.has(fp)) index.byFingerprint.set(fp, entry);
      if (answer.kind === 'letter' && answer.texts && answer.n >= 2) learnShuffles(index, bench, item, options, entry, answer, fp, stats);
    }
  }
  return stats;
}

/** Checks that a shuffled trial's prompt can be read back, and indexes the trials masa will send. */
function learnShuffles(
  index: ItemIndex,
  bench: AnyBenchmark,
  item: Item,
  options: object,
  entry: IndexEntry,
  answer: LetterAnswer,
  fp: string,
  stats: BenchIndexStats,
): void {
  const texts = answer.texts!;
  const n = answer.n;
  if (new Set(texts).size === n) {
    const map = new Map<string, number>();
    texts.forEach((t, i) => map.set(t, i));
    entry.optionMap = map;
  }
  const shift = Array.from({ length: n }, (_, k) => (k + 1) % n);
  let ok = false;
  try {
    const pS = lastUser(bench.messages(item, { index: 0, permutation: shift }, options));
    const got = recoverOrder(entry, pS);
    ok = got !== null && got.every((u, k) => u === shift[k]);
    // A sampled diagnostic: the fingerprint must not change when the options are shuffled.
    if (ok && stats.items <= 50 && fingerprint(pS) !== fp) stats.fingerprintMismatches++;
  } catch {
    ok = false;
  }
  if (!ok) entry.optionMap = null;
  let trials: Trial[] = [];
  try {
    trials = bench.trials(item, options);
  } catch {
    trials = [];
  }
  for (const t of trials) {
    if (!t.permutation) continue;
    try {
      const p = lastUser(bench.messages(item, t, options));
      if (!index.exact.has(p)) index.exact.set(p, { entry, perm: t.permutation });
    } catch {
      // a trial the module cannot render is simply not indexed
    }
  }
}

/** Builds the index over the given benchmarks (default: every registered one). */
export async function buildIndex(benches: readonly AnyBenchmark[], opts: BuildIndexOptions = {}): Promise<ItemIndex> {
  const index = new ItemIndex();
  for (const b of benches) index.stats.push(await indexBench(index, b, opts));
  return index;
}
