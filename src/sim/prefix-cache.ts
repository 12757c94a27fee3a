/**
 * The simulated server's KV cache with vLLM's automatic prefix caching (V1, vLLM >= 0.8, on by
 * default): a prompt is cut into blocks of `blockSize` tokens; a full block is identified by a
 * hash of its tokens and of every token before it (vLLM chains each block's hash to its
 * parent's), so two prompts share cached blocks exactly as far as they share a prefix. A new
 * request reuses the longest run of cached blocks from its start; vLLM always computes at least
 * the prompt's last token (it needs its logits), so at most floor((len - 1) / blockSize) blocks
 * are hits. The cache holds `budgetTokens / blockSize` blocks: blocks of running requests are
 * pinned, finished requests' blocks stay cached and are evicted least recently used first when
 * room is needed. Generated tokens fill blocks too and are cached the same way.
 *
 * Where this departs from vLLM, on purpose (simpler, and it changes no answer):
 * - a block counts as cached from the moment its request is admitted; vLLM can share it only
 *   once its prefill has run, so two identical prompts arriving in the same scheduler step
 *   both compute it there, and here the second one hits;
 * - a request that finds no room (every block pinned) is admitted anyway and the overflow
 *   counted, where vLLM would queue or preempt it;
 * - the tokens are the simulator's own (4-character pieces, src/sim/tokens.ts), with the chat
 *   template's role markers as tokens of their own.
 */
import { hash32 } from '../core/rng.js';
import { CHARS_PER_TOKEN } from './tokens.js';

export interface PrefixCacheOptions {
  /** KV-cache capacity in tokens (vLLM: what --gpu-memory-utilization leaves after the weights). */
  budgetTokens: number;
  /** Tokens per block (vLLM's --block-size; 16 on GPUs). */
  blockSize?: number;
}

export interface PrefixCacheStats {
  /** Prompt tokens of every admitted request, and how many of them were served from the cache. */
  promptTokens: number;
  cachedTokens: number;
  /** Blocks evicted to make room, and blocks admitted beyond the budget (no room left). */
  evictedBlocks: number;
  overflowBlocks: number;
  /** Blocks held now (cached or pinned) and the capacity. */
  blocks: number;
  capacity: number;
}

interface Block {
  key: string;
  refs: number;
}

/** The tokens of a chat prompt: per message its role markers and content pieces, then the reply header. */
export function chatTokens(roles: readonly string[], contents: readonly string[]): string[] {
  const out: string[] = [];
  for (let m = 0; m < contents.length; m++) {
    out.push('<|im_start|>', roles[m] ?? 'user', '\n');
    pieces(contents[m]!, out);
    out.push('<|im_end|>');
  }
  out.push('<|im_start|>', 'assistant', '\n');
  return out;
}

/** A text's pieces of CHARS_PER_TOKEN characters, appended to `out`. */
export function pieces(text: string, out: string[] = []): string[] {
  for (let i = 0; i < text.length; i += CHARS_PER_TOKEN) out.push(text.slice(i, i + CHARS_PER_TOKEN));
  return out;
}

/** Chained block hashes of a token sequence: one key per full block, each covering every token before it. */
function blockKeys(tokens: readonly string[], blockSize: number, salt: string, from = 0, state?: { h1: number; h2: number }): { keys: string[]; h1: number; h2: number } {
  let h1 = state?.h1 ?? hash32(`a|${salt}`);
  let h2 = state?.h2 ?? hash32(`b|${salt}`);
  const keys: string[] = [];
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    for (let k = 0; k < t.length; k++) {
      const ch = t.charCodeAt(k);
      h1 = Math.imul(h1 ^ ch, 0x01000193);
      h2 = Math.imul(h2 ^ ch, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    // A separator between tokens, so 'ab'+'c' and 'a'+'bc' differ.
    h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
    h2 = Math.imul(h2 ^ 0x1f, 0x5bd1e995);
    if ((i + 1) % blockSize === 0) keys.push(`${h1 >>> 0}.${h2 >>> 0}`);
  }
  return { keys, h1, h2 };
}

/** What admit() hands back: the blocks the request holds until release(). */
export interface Admission {
  /** Prompt tokens served from the cache (vLLM's num_cached_tokens). */
  cached: number;
  /** Prompt tokens computed (prefill work). */
  computed: number;
  held: Block[];
  /** The prompt's tokens after its last full block, and the hash state there (the output's blocks continue it). */
  tail: string[];
  state: { h1: number; h2: number };
  pinnedExtra: number;
}

export class PrefixCache {
  private readonly blockSize: number;
  readonly capacity: number;
  private readonly blocks = new Map<string, Block>();
  /** Cached blocks no running request holds, least recently used first. */
  private readonly free = new Map<string, Block>();
  /** Blocks running requests hold that are not in `blocks` (partial blocks). */
  private pinnedExtra = 0;
  private readonly stats = { promptTokens: 0, cachedTokens: 0, evictedBlocks: 0, overflowBlocks: 0 };

  constructor(opts: PrefixCacheOptions) {
    this.blockSize = opts.blockSize ?? 16;
    if (!(Number.isInteger(this.blockSize) && this.blockSize >= 1)) throw new RangeError(`block size must be a whole number >= 1, got ${opts.blockSize}`);
    if (!(opts.budgetTokens >= 0)) throw new RangeError(`KV budget must be >= 0 tokens, got ${opts.budgetTokens}`);
    this.capacity = Math.floor(opts.budgetTokens / this.blockSize);
  }

  /** Makes room for one more block: evicts the least recently used free block if the cache is full. */
  private room(): void {
    while (this.blocks.size + this.pinnedExtra >= this.capacity) {
      const oldest = this.free.keys().next();
      if (oldest.done) {
        this.stats.overflowBlocks++;
        return;
      }
      this.free.delete(oldest.value);
      this.blocks.delete(oldest.value);
      this.stats.evictedBlocks++;
    }
  }

  private hold(key: string, held: Block[]): void {
    let b = this.blocks.get(key);
    if (b) {
      if (b.refs === 0) this.free.delete(key);
    } else {
      this.room();
      b = { key, refs: 0 };
      this.blocks.set(key, b);
    }
    b.refs++;
    held.push(b);
  }

  /** Admits a prompt (`salt`: what else shapes its KV, e.g. the model and chat-template options). */
  admit(tokens: string[], salt: string): Admission {
    const len = tokens.length;
    const full = len - (len % this.blockSize);
    const { keys, h1, h2 } = blockKeys(full === len ? tokens : tokens.slice(0, full), this.blockSize, salt);
    let hits = 0;
    const maxHits = Math.floor(Math.max(0, len - 1) / this.blockSize);
    while (hits < keys.length && hits < maxHits && this.blocks.has(keys[hits]!)) hits++;
    const held: Block[] = [];
    for (const key of keys) this.hold(key, held);
    // The partial last block is computed and held but cannot be shared.
    const extra = len % this.blockSize === 0 ? 0 : 1;
    this.pinnedExtra += extra;
    const cached = hits * this.blockSize;
    this.stats.promptTokens += len;
    this.stats.cachedTokens += cached;
    return { cached, computed: len - cached, held, tail: tokens.slice(full), state: { h1, h2 }, pinnedExtra: extra };
  }

  /** The request finished: its generated tokens' full blocks join the cache, its blocks become evictable. */
  release(a: Admission, salt: string, outputs: ReadonlyArray<readonly string[]> = []): void {
    this.pinnedExtra -= a.pinnedExtra;
    const added: Block[] = [];
    for (const out of outputs) {
      const { keys } = blockKeys(a.tail.concat(out), this.blockSize, salt, 0, a.state);
      for (const key of keys) this.hold(key, added);
    }
    // Freed tail first, as vLLM queues them: a prefix outlives the blocks that extend it.
    const all = [...a.held, ...added];
    for (let i = all.length - 1; i >= 0; i--) {
      const b = all[i]!;
      b.refs--;
      if (b.refs === 0 && this.blocks.get(b.key) === b) this.free.set(b.key, b);
    }
  }

  snapshot(): PrefixCacheStats {
    return { ...this.stats, blocks: this.blocks.size, capacity: this.capacity };
  }
}
