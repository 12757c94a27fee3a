import { loadItems } from '../../src/bench/data.js';
import type { AnyBenchmark, ChatMessage, Item, Trial } from '../../src/bench/types.js';
import type { ModelInfo } from '../../src/core/catalog.js';
import { mulberry32, permutation } from '../../src/core/rng.js';
import { parseProfile, type Profile } from '../../src/sim/profile.js';
import type { SimulatorHandle } from '../../src/sim/server.js';

/** Two small made-up models, so sim tests do not depend on data/models.csv. */
export const TEST_MODELS: ModelInfo[] = [
  {
    id: 'test-7b', family: 'Qwen', generation: 'Qwen2.5', generation_rank: 4, params_b: 7, active_params_b: 7, is_moe: false,
    release_date: '2024-09', hf_id: 'Test/Test-7B-Instruct', context_length: 32768, thinking: false, sampling: { temperature: 0.7 },
    source: 'test', in_paper_scope: false,
  },
  {
    id: 'test-think-8b', family: 'Qwen', generation: 'Qwen3', generation_rank: 5, params_b: 8, active_params_b: 8, is_moe: false,
    release_date: '2025-04', hf_id: 'Test/Test-Think-8B', context_length: 40960, thinking: true, sampling: { temperature: 0.6 },
    source: 'test', in_paper_scope: false,
  },
];

/** A user profile giving every model ability p on every benchmark, items independent. */
export function fixedProfile(p: number): Profile {
  return parseProfile(
    { name: `fixed-${p}`, item_correlation: 0, groups: { SA: { fixed: p }, 'MA-U': { fixed: p }, 'MA-P': { fixed: p } } },
    'test profile',
  );
}

export async function chat(sim: SimulatorHandle, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${sim.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

export interface Tally {
  correct: number;
  total: number;
  truncated: number;
}

/**
 * Sends every item's trials (plus one extra seeded shuffle when the options can be shuffled)
 * to the simulator, `n` samples per trial, and scores each sample with the benchmark's own score().
 */
export async function tallyBench(
  sim: SimulatorHandle,
  bench: AnyBenchmark,
  model: string,
  n: number,
  opts: { root?: string; limit?: number; extraShuffle?: boolean } = {},
): Promise<Tally> {
  const options = { ...(bench.defaultOptions as Record<string, unknown>) };
  const { items } = await loadItems(bench, options, opts.root);
  const rng = mulberry32(99);
  const tally: Tally = { correct: 0, total: 0, truncated: 0 };
  for (const item of items.slice(0, opts.limit ?? items.length) as Item[]) {
    const trials: Trial[] = [...bench.trials(item, options)];
    const entry = sim.index.lookup(lastUser(bench.messages(item, { index: 0, permutation: null }, options)));
    if (opts.extraShuffle !== false && entry?.entry.answer.kind === 'letter' && entry.entry.optionMap) {
      trials.push({ index: trials.length, permutation: permutation(entry.entry.answer.n, rng) });
    }
    for (const trial of trials) {
      const messages = bench.messages(item, trial, options);
      const r = await chat(sim, { model, messages, n, temperature: 1, seed: trial.index, max_tokens: 2000 });
      if (r.status !== 200) throw new Error(`${bench.id} ${item.id}: HTTP ${r.status} ${JSON.stringify(r.json)}`);
      for (const c of r.json.choices) {
        const truncated = c.finish_reason === 'length';
        if (truncated) tally.truncated++;
        const s = await bench.score(item, truncated ? null : c.message.content, trial, options);
        tally.total++;
        if (s.correct) tally.correct++;
      }
    }
  }
  return tally;
}

export function lastUser(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return messages[i]!.content;
  return '';
}
