/**
 * OpenCompass predictions (`predictions/<model>/<dataset>.json`): one JSON object mapping the
 * sample index to {origin_prompt, prediction, gold?}; the results details files
 * (`--dump-eval-details`) add `correct`. The dataset is the file name (OpenCompass's abbr, e.g.
 * `GPQA_diamond`, `mmlu_pro_biology`); the version is not recorded in the file. Samples are
 * matched by the question text found inside the prompt.
 */
import { basename, dirname } from 'node:path';
import { MasaError } from '../../core/errors.js';
import { isObject, parseJsonDocument, readText } from './files.js';
import type { HarnessSample, ReadResult } from './types.js';

/** OpenCompass dataset abbreviations of masa's benchmarks. */
export function openCompassBench(dataset: string): string | null {
  const d = dataset.toLowerCase().replace(/[-\s]/g, '_');
  if (/^gpqa_?diamond/.test(d)) return 'gpqa-diamond';
  if (/^mmlu_?pro/.test(d)) return 'mmlu-pro';
  if (/^math_?500/.test(d)) return 'math500';
  if (/^(openai_)?humaneval/.test(d)) return 'humaneval';
  if (/^tombench/.test(d)) return 'tombench';
  if (/^emobench/.test(d)) return 'emobench';
  return null;
}

export function parseOpenCompassPredictions(text: string, file: string): HarnessSample[] {
  const doc = parseJsonDocument(text, file);
  if (!isObject(doc)) throw new MasaError(`${file}:1: not an OpenCompass predictions object (index -> {origin_prompt, prediction}): unknown format`);
  return Object.entries(doc).map(([k, v]): HarnessSample => {
    const where = `${file}#${k}`;
    if (!isObject(v) || !('prediction' in v) || !('origin_prompt' in v)) throw new MasaError(`${where}: no origin_prompt and prediction: unknown format or version`);
    const prompt = typeof v.origin_prompt === 'string' ? v.origin_prompt : JSON.stringify(v.origin_prompt);
    const pred = Array.isArray(v.prediction) ? v.prediction[0] : v.prediction;
    const correct = typeof v.correct === 'boolean' ? v.correct : Array.isArray(v.correct) && typeof v.correct[0] === 'boolean' ? (v.correct[0] as boolean) : null;
    return {
      where,
      key: { prompt, harnessId: k },
      trial: 0,
      response: typeof pred === 'string' ? pred : null,
      verdicts: correct === null ? [] : [{ scorer: 'correct', extracted: typeof v.pred === 'string' ? v.pred : null, correct }],
    };
  });
}

export function readOpenCompass(files: readonly string[], opts: { bench?: string; model?: string } = {}): ReadResult {
  const out: ReadResult = { runs: [], skipped: [] };
  for (const file of files) {
    if (!file.endsWith('.json')) throw new MasaError(`${file}: not an OpenCompass predictions file (.json): unknown format`);
    const dataset = basename(file, '.json');
    const bench = opts.bench ?? openCompassBench(dataset);
    if (!bench) {
      out.skipped.push({ file, task: dataset, reason: `OpenCompass dataset '${dataset}' is not one of masa's benchmarks` });
      continue;
    }
    const model = opts.model ?? basename(dirname(file));
    out.runs.push({
      format: 'opencompass',
      bench,
      runKey: `${dirname(file)}|${dataset}`,
      version: null,
      tasks: [dataset],
      model,
      settings: {},
      options: {},
      reported: {},
      status: null,
      files: [file],
      samples: parseOpenCompassPredictions(readText(file), file),
    });
  }
  return out;
}
