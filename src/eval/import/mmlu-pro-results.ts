/**
 * TIGER-AI-Lab/MMLU-Pro's published result files (eval_results/model_outputs_<model>_<k>shots.zip,
 * each one JSON array of {question_id, question, options, answer, answer_index, cot_content,
 * category, src, pred, generated_text}; a plain .json array is read too). `pred` is the letter
 * the 2024 script extracted ("answer is (X)" only), the harness's verdict kept beside masa's.
 * Each record is scored against itself (its options and gold, which later answer fixes changed
 * for some items), matched to masa's item by question_id. Bench options default to those runs:
 * the given shots and `fallbacks: false`.
 */
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { MasaError } from '../../core/errors.js';
import { mmluProItemFromRecord } from '../../bench/mmlu-pro.js';
import type { Item } from '../../bench/types.js';
import { isObject, parseJsonDocument, ZipFile } from './files.js';
import type { HarnessSample, ReadResult } from './types.js';

const NAME_RE = /^model_outputs_(.+?)_(\d+)shots\.(zip|json)$/;

export function parseMmluProResults(text: string, where: string): HarnessSample[] {
  const doc = parseJsonDocument(text, where);
  if (!Array.isArray(doc)) throw new MasaError(`${where}:1: not a list of MMLU-Pro result records: unknown format`);
  return doc.map((r, i): HarnessSample => {
    const at = `${where}[${i}]`;
    if (!isObject(r) || typeof r.question_id !== 'number' || !('generated_text' in r) || !('pred' in r)) {
      throw new MasaError(`${at}: not an MMLU-Pro result record (question_id, pred, generated_text): unknown format or version`);
    }
    const own = mmluProItemFromRecord(r, at);
    const pred = typeof r.pred === 'string' ? r.pred : null;
    return {
      where: at,
      key: { id: String(r.question_id), text: typeof r.question === 'string' ? r.question : undefined, harnessId: String(r.question_id) },
      trial: 0,
      ownItem: (masa: Item) => ({ ...masa, ...own, id: masa.id, tags: masa.tags, cluster: masa.cluster, dir: (masa as { dir?: string }).dir }) as Item,
      response: typeof r.generated_text === 'string' ? r.generated_text : null,
      verdicts: [{ scorer: 'pred', extracted: pred, correct: pred !== null && pred === own.answer }],
    };
  });
}

export function isMmluProResultsFile(path: string): boolean {
  return NAME_RE.test(basename(path));
}

export function readMmluProResults(files: readonly string[], opts: { model?: string } = {}): ReadResult {
  const out: ReadResult = { runs: [], skipped: [] };
  for (const file of files) {
    const m = NAME_RE.exec(basename(file));
    if (!m) throw new MasaError(`${file}: not an MMLU-Pro result file (expected model_outputs_<model>_<k>shots.zip): unknown format`);
    const [, model, shots, ext] = m as unknown as [string, string, string, string];
    const samples: HarnessSample[] = [];
    if (ext === 'zip') {
      const zip = new ZipFile(readFileSync(file), file);
      const members = zip.names().filter((n) => n.endsWith('.json'));
      if (members.length === 0) throw new MasaError(`${file}: holds no .json result file`);
      for (const n of members) samples.push(...parseMmluProResults(zip.text(n), `${file}!${n}`));
    } else samples.push(...parseMmluProResults(readFileSync(file, 'utf8'), file));
    out.runs.push({
      format: 'mmlu-pro-results',
      bench: 'mmlu-pro',
      runKey: basename(file),
      version: null,
      tasks: [`mmlu-pro ${shots}-shot CoT`],
      model: opts.model ?? model,
      settings: { shots: Number(shots), extraction: 'answer is \\(?([A-J])\\)? (the 2024 script)' },
      options: { shots: Number(shots) === 5 ? 5 : 0, fallbacks: false },
      reported: {},
      status: null,
      files: [file],
      samples,
    });
  }
  return out;
}
