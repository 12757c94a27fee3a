/**
 * Generation settings: where each comes from (benchmark hint < catalog preset for the model <
 * per-run override < --greedy), the request body they produce, and the hashes that make a
 * run id and a request key. Every field that reaches the request body is part of the key, so
 * two requests with the same key would get the same answer from a deterministic server.
 */
import type { SamplingPreset } from '../core/catalog.js';
import { sha256, stableStringify } from '../core/hash.js';
import { hash32 } from '../core/rng.js';
import type { ChatMessage, GenerationHints } from '../bench/types.js';

export interface GenerationSettings {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  min_p?: number;
  repetition_penalty?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  max_tokens?: number;
  stop?: string[];
  /** Passed to the server's chat template, e.g. { enable_thinking: false } for Qwen3. */
  chat_template_kwargs?: Record<string, unknown>;
  /** Any other request-body fields (vLLM extras such as include_stop_str_in_output). */
  extra?: Record<string, unknown>;
  /** Send a per-request seed derived from the run seed, item and trial (vLLM honours it). */
  request_seed: boolean;
}

export type SettingSource = 'benchmark' | 'catalog' | 'run' | 'greedy';

export interface ResolvedGeneration {
  settings: GenerationSettings;
  /** Which layer set each field, recorded in the run metadata. */
  sources: Record<string, SettingSource>;
}

export type GenerationOverrides = Partial<Omit<GenerationSettings, 'request_seed'>> & { request_seed?: boolean };

const SAMPLING_KEYS = ['temperature', 'top_p', 'top_k', 'min_p', 'repetition_penalty', 'presence_penalty', 'frequency_penalty'] as const;

export function resolveGeneration(
  hints: GenerationHints,
  preset: SamplingPreset | undefined,
  overrides: GenerationOverrides,
  greedy: boolean,
): ResolvedGeneration {
  const settings: GenerationSettings = { request_seed: overrides.request_seed ?? true };
  const sources: Record<string, SettingSource> = {};
  const set = (key: string, value: unknown, source: SettingSource): void => {
    if (value === undefined) return;
    (settings as unknown as Record<string, unknown>)[key] = value;
    sources[key] = source;
  };
  set('max_tokens', hints.max_tokens, 'benchmark');
  set('stop', hints.stop, 'benchmark');
  set('temperature', hints.temperature, 'benchmark');
  set('top_p', hints.top_p, 'benchmark');
  if (preset) for (const k of SAMPLING_KEYS) set(k, (preset as Record<string, number | undefined>)[k], 'catalog');
  for (const [k, v] of Object.entries(overrides)) {
    if (k === 'request_seed') continue;
    if (k === 'chat_template_kwargs' || k === 'extra') {
      const merged = { ...((settings as unknown as Record<string, Record<string, unknown> | undefined>)[k] ?? {}), ...(v as Record<string, unknown>) };
      if (Object.keys(merged).length > 0) set(k, merged, 'run');
    } else set(k, v, 'run');
  }
  if (greedy) {
    // vLLM treats temperature < 1e-5 as greedy and resets the other samplers itself; dropping
    // them keeps the request (and its key) the same whatever preset the model has.
    for (const k of SAMPLING_KEYS) {
      if (k === 'presence_penalty' || k === 'frequency_penalty' || k === 'repetition_penalty') continue;
      delete (settings as unknown as Record<string, unknown>)[k];
      delete sources[k];
    }
    set('temperature', 0, 'greedy');
  }
  return { settings, sources };
}

/** The per-request sampler seed: distinct per item and trial, stable across reruns. */
export function requestSeed(runSeed: number, itemId: string, trial: number): number {
  return hash32(`${runSeed}|${itemId}|${trial}`) & 0x7fffffff;
}

export interface ChatBody {
  model: string;
  messages: ChatMessage[];
  [key: string]: unknown;
}

/** The exact JSON body sent to /v1/chat/completions (online) or written for run-batch. */
export function buildBody(model: string, messages: ChatMessage[], g: GenerationSettings, seed: number | null): ChatBody {
  const body: ChatBody = { model, messages };
  for (const k of SAMPLING_KEYS) if (g[k] !== undefined) body[k] = g[k];
  if (g.max_tokens !== undefined) body.max_tokens = g.max_tokens;
  if (g.stop !== undefined && g.stop.length > 0) body.stop = g.stop;
  if (seed !== null) body.seed = seed;
  if (g.chat_template_kwargs && Object.keys(g.chat_template_kwargs).length > 0) body.chat_template_kwargs = g.chat_template_kwargs;
  if (g.extra) for (const [k, v] of Object.entries(g.extra)) if (!(k in body)) body[k] = v;
  return body;
}

/** sha256 of everything that shapes the response: the full body plus the trial and option order. */
export function requestKey(body: ChatBody, trial: number, permutation: number[] | null): string {
  return sha256(stableStringify({ body, trial, permutation }));
}

export interface RunIdentity {
  model: string;
  bench: string;
  bench_options: Record<string, unknown>;
  generation: GenerationSettings;
  seed: number;
}

/** The settings hash behind a run id. --limit is left out so a larger limit extends the same run. */
export function runHash(id: RunIdentity): string {
  return sha256(stableStringify({ v: 1, ...id }));
}
