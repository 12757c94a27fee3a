/**
 * The per-sample record: one line of a run's append-only JSONL log (lm-evaluation-harness'
 * per-sample logs are the model). Each record is self-contained, so the log alone is enough to
 * resume a run, re-score it, or summarize it.
 */
import type { ExtractionPolicy } from '../bench/types.js';

/** One policy's reading of a response (src/bench/policies.ts). */
export interface PolicyVerdict {
  extracted: string | null;
  rule: string;
  correct: boolean;
  status: string | null;
}

export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  /** Prompt tokens the server served from its prefix cache (usage.prompt_tokens_details.cached_tokens), when it reported them. */
  cached_tokens?: number;
  /** Reasoning tokens, when the server reported them (usage.completion_tokens_details.reasoning_tokens). */
  reasoning_tokens?: number;
}

/**
 * A record answered by a request it shared with other trials of its item (identical prompts,
 * one request with `n`, see src/eval/sharing.ts): n records came from one request, this is
 * record `index` of them and holds its choice `choice` (= index with `n`; 0 for all when greedy
 * decoding made one answer serve every trial). The request's prompt counts once (index 0);
 * completion tokens of an `n` request are split among its choices by answer length (vLLM
 * reports only their sum).
 */
export interface SharedRequest {
  n: number;
  index: number;
  choice: number;
}

export interface SampleRecord {
  /** Record schema version. */
  v: 1;
  /** The run this record belongs to (hash of model, benchmark and every response-shaping setting). */
  run_id: string;
  /** Served model name as requested. */
  model: string;
  bench: string;
  item_id: string;
  /** 0-based trial (repeat) index. */
  trial: number;
  /** Option order shown (permutation[k] = upstream index shown at position k); null = upstream order. */
  permutation: number[] | null;
  /** sha256 of everything that shapes the response (model, messages, sampling, seed, trial). */
  request_key: string;
  /** The answer text (reasoning removed); null when the request failed. */
  response: string | null;
  /** Reasoning text from `reasoning`/`reasoning_content` or <think>...</think>, kept but never scored. */
  reasoning: string | null;
  finish_reason: string | null;
  /** True when the token limit cut the response (finish_reason "length"): scored as no answer. */
  truncated: boolean;
  usage: TokenUsage | null;
  latency_ms: number | null;
  /** Extracted answer in upstream labelling, the rule that found it, the gold answer, the verdict. */
  extracted: string | null;
  rule: string | null;
  gold: string | null;
  correct: boolean | null;
  /** Finer outcome where the benchmark has one ('undecided', 'timeout', ...). */
  status: string | null;
  /**
   * The policy whose verdict extracted/rule/correct/status above hold (the run's --extraction,
   * 'robust' by default). Absent in records written before both policies were kept.
   */
  extraction?: ExtractionPolicy;
  /** The verdict of each policy (absent in older records: summarize and audit rescore those from `response`). */
  policies?: { upstream: PolicyVerdict; robust: PolicyVerdict };
  /** Why the request failed after all retries; null on success. A rerun retries errored records. */
  error: string | null;
  attempts: number;
  /** Base URL that answered (never the API key). */
  endpoint: string | null;
  /** max_tokens actually sent, present only when it differs from the run's planned one (lowered
   * to fit the model's context length, see src/eval/context.ts). The request key stays the planned one. */
  max_tokens?: number;
  /** The request this record shared with other trials of its item (absent: its own request). */
  shared?: SharedRequest;
  /** Position of the item in the run's stratified seeded order (precision-targeted runs only). */
  rank?: number;
  /** Item sub-score tags and cluster, copied so summaries need not reload the items. */
  tags: Record<string, string>;
  cluster: string;
  /** ISO time the record was written. */
  time: string;
  /** Imported records only (`masa import`): the other harness's own verdict beside masa's. */
  harness?: HarnessVerdict;
}

/** What another harness (lm-eval, inspect_ai, ...) itself decided about an imported response. */
export interface HarnessVerdict {
  /** 'lm-eval', 'inspect', 'opencompass', 'emobench-results', 'mmlu-pro-results'. */
  name: string;
  /** Where the sample is in the harness's files: `file:line` or `file!member`. */
  where: string;
  /** How the sample was matched to masa's item: its id, a content hash of the question, or the nearest item by text. */
  match: 'id' | 'content-hash' | 'nearest';
  /** The harness's own item id, when it has one. */
  harness_id: string | null;
  /** One verdict per filter or scorer the harness applied, in its own labelling. */
  verdicts: HarnessScore[];
}

export interface HarnessScore {
  /** Filter and metric, e.g. 'custom-extract/exact_match', 'choice', 'pred'. */
  scorer: string;
  extracted: string | null;
  /** The harness's verdict; null when it recorded none for this sample. */
  correct: boolean | null;
}

/** What a run's metadata file records next to its samples. */
export interface RunMeta {
  v: 1;
  /** 'game' for an interactive game run (records in turns.jsonl, see episode-records.ts); absent for a benchmark run. */
  kind?: 'benchmark' | 'game';
  run_id: string;
  model: string;
  /** Catalog id the model was matched to (for family, size, ...), or null. */
  catalog_id: string | null;
  /** What GET /v1/models said of the model (id, root, max_model_len), when reachable. */
  served: Record<string, unknown> | null;
  bench: string;
  /** Benchmark options (language, shots, trials, ...) after defaults. */
  bench_options: Record<string, unknown>;
  /** Every generation setting that shapes a response. */
  generation: Record<string, unknown>;
  endpoints: string[];
  seed: number;
  limit: number | null;
  masa_version: string;
  git_commit: string | null;
  /** sha256 of the dataset files read, by relative path; 'samples' when the bundled samples were used. */
  dataset: { origin: string; files: Record<string, string> };
  started_at: string;
  finished_at: string | null;
  /** Which layer set each generation setting: 'benchmark', 'catalog', 'run' or 'greedy'. */
  generation_sources?: Record<string, string>;
  /** The --data root the items were read from (null: default lookup), so batch import reloads the same items. */
  data_root?: string | null;
  /** One entry per invocation that worked on this run; a resume appends one. */
  sessions?: RunSession[];
  /** Runs brought in by `masa import`: which harness wrote them, with what it recorded. */
  source?: RunSource;
  /** Set by a precision-targeted session (`--target-ci`), null after a session over every item. */
  precision?: PrecisionMeta | null;
}

/**
 * A precision-targeted run (`--target-ci`, src/eval/precision.ts): items in the stratified
 * seeded order, stopped once the confidence sequence over the longest complete prefix was
 * narrower than the target.
 */
export interface PrecisionMeta {
  /** The half-width asked for. */
  target: number;
  alpha: number;
  min_items: number;
  /** The interval's method (names the paper). */
  method: string;
  order: 'stratified';
  /** Items the run draws from (the benchmark, or the first --limit of the order). */
  population: number;
  /** Items in the longest complete prefix when the session ended (the observations). */
  items: number;
  /** True when the interval over them was below the target (false: stopped for another reason, or still short). */
  stopped: boolean;
  /** Prefix size at which the target was first reached; null when it was not. */
  stopped_at: number | null;
  accuracy: number | null;
  cs_low: number | null;
  cs_high: number | null;
}

/** Where an imported run came from (absent: gathered by masa itself). */
export interface RunSource {
  /** The import format: 'lm-eval', 'inspect', 'opencompass', 'emobench-results', 'mmlu-pro-results'. */
  harness: string;
  /** The harness version the files record (null when they record none). */
  version: string | null;
  /** The harness's task name(s) and the model name it recorded. */
  tasks: string[];
  harness_model: string | null;
  /** The files read, with their sha256. */
  files: Record<string, string>;
  /** Settings the harness recorded (generation kwargs, limit, epochs, solver plan, ...). */
  settings: Record<string, unknown>;
  /** Aggregate scores the harness itself reported for these samples, by metric (when it wrote any). */
  reported: Record<string, number>;
  /** Status the harness recorded for the run ('success', 'cancelled', ...), when it has one. */
  status: string | null;
}

/** One invocation's work on a run (online eval, batch export or import, masa import). */
export interface RunSession {
  mode: 'online' | 'batch-export' | 'batch-import' | 'import';
  started_at: string;
  finished_at: string | null;
  endpoints: string[];
  limit: number | null;
  /** Item-trials planned, found already done, requested, answered, failed. */
  planned: number;
  resumed: number;
  requested: number;
  succeeded: number;
  failed: number;
  /** True when stopped early (Ctrl-C, fatal error). */
  interrupted: boolean;
  /** Torn last line set aside when the session opened the run, if any. */
  torn: string | null;
  /** Per-endpoint request counts, failures by status and the adaptive limit's history. */
  endpoint_stats?: unknown;
  /** Client settings that do not shape a response (concurrency, timeouts, attempts). */
  client?: Record<string, unknown>;
  /** The extraction policy this invocation reported at the top level of its records. */
  extraction?: ExtractionPolicy;
  /** Context-length fitting: the context length used (null: unknown), requests whose max_tokens
   * was lowered before sending, and requests sent once more after a 400 "maximum context length"
   * or after a capped answer was cut by the lowered limit. */
  context?: { max_model_len: number | null; capped: number; resent_after_400: number; resent_after_truncation: number };
  /** How requests were sent: 'prefix' (those in hand ordered so shared prompt prefixes go together) or 'arrival' (plan order). */
  order?: 'prefix' | 'arrival';
  /** HTTP requests sent for the item-trials requested (one request with n serves several), and how many of them were shared. */
  requests_sent?: number;
  shared_requests?: number;
  /** Milliseconds from this run's first request to its last record in this session. */
  work_ms?: number;
  /** The precision state at the end of this session (precision-targeted sessions only). */
  precision?: PrecisionMeta;
}

/**
 * On-disk layout of a results folder (`--out`, default data/runs/):
 *   <out>/<run_id>/samples.jsonl   append-only SampleRecord lines
 *   <out>/<run_id>/meta.json       RunMeta
 * run_id = `${modelSlug(model)}__${bench}__${first 10 hex of the settings hash}`.
 */
export const SAMPLES_FILE = 'samples.jsonl';
export const META_FILE = 'meta.json';

/** A served model name as a folder-safe slug ('sim/qwen2.5-7b' -> 'sim_qwen2.5-7b'). */
export function modelSlug(model: string): string {
  return model.replace(/[^A-Za-z0-9._-]+/g, '_');
}
