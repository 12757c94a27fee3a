/**
 * The shape every benchmark module exports (inspect_ai's dataset / solver / scorer split):
 * how to load items, build the chat messages for an item and trial, extract the answer
 * from a response, score it, and fold an item's trials into one item score.
 */

export type Group = 'SA' | 'MA-U' | 'MA-P';
export type Pillar = 'single-agent' | 'understanding' | 'planning';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Fields every benchmark item has; each benchmark extends it with its own. */
export interface Item {
  /** The benchmark's item id (see each module for its form). */
  id: string;
  /** Sub-score categories, e.g. { category: 'law' } or { game: 'Hanabi', type: 'JP' }. */
  tags: Record<string, string>;
  /** Items sharing a story or scenario share a cluster, for clustered standard errors. */
  cluster: string;
  /** Where the item came from, `file:line`. */
  source: string;
  /** A problem in the upstream data for this item (e.g. a gold label past the options): kept and reported, never dropped. */
  issue?: string;
}

/** One presentation of an item: its repeat index and the option order shown. */
export interface Trial {
  index: number;
  /** permutation[k] = upstream index of the option shown in position k; null = upstream order. */
  permutation: number[] | null;
}

export interface Extraction {
  /** The answer found, in the labelling the response used (e.g. the shown letter); null = none. */
  answer: string | null;
  /** Which extraction rule fired ('none' when nothing was found). */
  rule: string;
}

/**
 * How an answer is read from a response. 'upstream': the benchmark authors' own code, behaviour
 * for behaviour (bugs included; each module names the commit it follows). 'robust': masa's reading,
 * which accepts what a careful grader would and never an answer the response does not give (each
 * module lists how it differs). Every response is scored both ways (src/bench/policies.ts).
 */
export type ExtractionPolicy = 'upstream' | 'robust';

export const EXTRACTION_POLICIES: readonly ExtractionPolicy[] = ['upstream', 'robust'];

/** The policy new runs report at the top level of their records. */
export const DEFAULT_EXTRACTION: ExtractionPolicy = 'robust';

export interface TrialScore {
  /** The extracted answer mapped back to upstream labelling (e.g. the upstream letter). */
  extracted: string | null;
  rule: string;
  /** The gold answer in upstream labelling (several accepted answers joined with ','). */
  gold: string;
  correct: boolean;
  /** Finer outcome where a benchmark has one: 'undecided' (math), 'timeout' (code), ... */
  status?: string;
  detail?: string;
}

/** One response's verdict under each policy. */
export interface PolicyScores {
  upstream: TrialScore;
  robust: TrialScore;
}

/** Generation settings a benchmark asks for by default (the run may override them). */
export interface GenerationHints {
  max_tokens?: number;
  stop?: string[];
  temperature?: number;
  top_p?: number;
}

/** A documented option: its default and why. Options are recorded with every run. */
export interface OptionDoc {
  description: string;
  choices?: readonly (string | number | boolean)[];
}

export interface Benchmark<I extends Item = Item, O extends object = Record<string, unknown>> {
  id: string;
  title: string;
  group: Group;
  pillar: Pillar;
  /** 'accuracy' or 'pass@1'. */
  metric: string;
  /** Folder name under the data directory, as in ../shared/datasets (e.g. 'MMLU-Pro'). */
  dataset: string;
  /** Upstream citation, for tables and figure captions. */
  citation: string;
  defaultOptions: O;
  optionDocs: { [K in keyof O]: OptionDoc };
  /** Reads the items from a dataset folder laid out like ../shared/datasets/<dataset>. */
  load(dir: string, options: O): Promise<I[]>;
  trials(item: I, options: O): Trial[];
  messages(item: I, trial: Trial, options: O): ChatMessage[];
  generation(options: O): GenerationHints;
  /** Reads the answer under a policy (default 'robust'). */
  extract(response: string, item: I, trial: Trial, options: O, policy?: ExtractionPolicy): Extraction;
  /**
   * Scores one response under a policy (default 'robust'); null means no usable response (error,
   * truncation) and scores wrong. Callers that record a verdict use scorePolicies (policies.ts).
   */
  score(item: I, response: string | null, trial: Trial, options: O, policy?: ExtractionPolicy): TrialScore | Promise<TrialScore>;
  /** Both verdicts at once, where scoring twice would cost (code execution runs once when both read the same code). */
  scoreBoth?(item: I, response: string | null, trial: Trial, options: O): PolicyScores | Promise<PolicyScores>;
  /** The item's score in [0, 1] from its trials: mean by default, majority vote where upstream does so. */
  reduce(item: I, trials: TrialScore[], options: O): number;
  /** Expected accuracy of uniform random guessing over these items. */
  chance(items: I[], options: O): number;
}

/** A benchmark with its types erased, as the registry hands it out. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyBenchmark = Benchmark<any, any>;
