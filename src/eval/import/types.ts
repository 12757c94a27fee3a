/**
 * What every harness reader turns its files into before masa scores anything: runs of samples,
 * each sample a response with the harness's own verdict and what identifies its item. Readers
 * are pure (bytes in, these out); src/eval/import/importer.ts matches, scores and writes.
 */
import type { Item } from '../../bench/types.js';
import type { HarnessScore } from '../records.js';

export const IMPORT_FORMATS = ['lm-eval', 'inspect', 'opencompass', 'emobench-results', 'mmlu-pro-results'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What identifies a sample's item: the harness's id, the question text, or the item as the file holds it. */
export interface ItemKey {
  /** The harness's id for the item when it is masa's too (MMLU-Pro question_id, GPQA Record ID, ...). */
  id?: string;
  /** The question text, for a content-hash match where the harness's ids differ from upstream's. */
  text?: string;
  /** A whole prompt that contains the question somewhere (OpenCompass): matched by the question found in it. */
  prompt?: string;
  /** Texts of the options as the file lists them, for matching by choices (EmoBench result files). */
  choices?: string[];
  /** The harness's own id, kept in the record whatever it is. */
  harnessId: string | null;
}

export interface HarnessSample {
  /** `file:line` or `file!member`: named by every error about this sample. */
  where: string;
  key: ItemKey;
  /** 0-based repeat (inspect epoch - 1, EmoBench sample k - 1). */
  trial: number;
  /** Option texts in the order the model was shown them, when the file says (to find the permutation). */
  shownOptions?: string[];
  /**
   * The item as the file holds it, when the file carries the whole item (MMLU-Pro records,
   * EmoBench rows): the response is scored against it, since it is what the model was shown.
   * Given masa's matched item, it returns the file's version under masa's id, tags and cluster.
   */
  ownItem?: (masa: Item) => Item;
  response: string | null;
  reasoning?: string | null;
  finishReason?: string | null;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  /** Set when the harness recorded a failure instead of a response: imported as an errored record. */
  error?: string;
  verdicts: HarnessScore[];
}

/** One harness run of one masa benchmark (several files may add to it: lm-eval subtasks). */
export interface HarnessRun {
  format: ImportFormat;
  /** masa benchmark id. */
  bench: string;
  /** Groups files of the same harness run (lm-eval's timestamp, inspect's task id, a file name). */
  runKey: string;
  version: string | null;
  tasks: string[];
  /** The model name the harness recorded (may be a local path). */
  model: string | null;
  settings: Record<string, unknown>;
  /** masa benchmark options these samples need (language, repeats, 2024 parsing, ...). */
  options: Record<string, unknown>;
  reported: Record<string, number>;
  status: string | null;
  files: string[];
  samples: HarnessSample[];
}

/** A file a reader understood but that holds no masa benchmark: reported by name, not imported. */
export interface SkippedFile {
  file: string;
  task: string;
  reason: string;
}

export interface ReadResult {
  runs: HarnessRun[];
  skipped: SkippedFile[];
}
