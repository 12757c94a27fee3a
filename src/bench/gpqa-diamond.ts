/**
 * GPQA Diamond (Rein et al. 2023): 198 graduate-level science questions with four options.
 * The upstream CSV has no answer letter: options are the correct answer and three incorrect
 * ones, so the evaluator must shuffle them. The prompt follows openai/simple-evals
 * (QUERY_TEMPLATE_MULTICHOICE, unchanged since be11f46, 2024-09). The data stay in the published
 * password-protected zip and are decrypted in memory; the plaintext is never written to disk.
 *
 * Extraction policy 'upstream' is simple-evals as of its January 2025 revision: gpqa_eval.py
 * @ 9e2fafd1 (`re.search(ANSWER_PATTERN_MULTICHOICE, response_text)`, `match.group(1)` compared
 * with the upper-case letter) with common.py @ f517a916 (`(?i)Answer[ \t]*:[ \t]*\$?([A-D])\$?`).
 * Behaviour for behaviour: the first match counts; only spaces and tabs may sit between
 * "Answer", the colon and the letter (the September 2024 pattern `\s*` also crossed newlines);
 * a LaTeX "$B$" is read; a lower-case "answer: b" is found but scores wrong (the comparison is
 * case-sensitive); and a word after the colon gives its first letter ("Answer: Because ..." reads B).
 *
 * Policy 'robust' (masa's reading) departs from upstream as follows:
 * - the LAST answer cue wins ("Answer: X", "**Answer:** X", "the answer is (X)", "Final answer = X",
 *   with newlines, markdown, "$X$", "\boxed{X}", "\text{X}" or brackets around the letter);
 * - lower-case letters count ("answer: b"), but only a letter standing alone: never the first letter
 *   of a word ("Because"), nor an article or pronoun ("the answer is a combination", "I think");
 * - with option `fallbacks` (default true), after the cue: a boxed letter anywhere, a last line
 *   that is only a letter, an option's full text after the cue or as the last line, and a last line
 *   "B) <that option's text>".
 * Both policies read the letter in the shown order and map it back through the trial's permutation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../core/csv.js';
import { MasaError } from '../core/errors.js';
import { findEntry, listZip, readZipEntry } from '../core/zip.js';
import { letterAt, shownOptions, shuffledTrials, toShownLetter, toUpstreamLetter } from './choices.js';
import { ANSWER_CUE, lastCueLetter, robustLetter } from './letters.js';
import type { Benchmark, Extraction, ExtractionPolicy, Item, Trial, TrialScore } from './types.js';

/** The password published in the idavidrein/gpqa README for dataset.zip. */
export const GPQA_PASSWORD = 'deserted-untie-orchid';
export const GPQA_MEMBER = 'gpqa_diamond.csv';

export interface GpqaItem extends Item {
  question: string;
  /** Upstream order: [Correct Answer, Incorrect Answer 1, 2, 3]; so the upstream gold letter is always 'A'. */
  options: string[];
  domain: string;
  subdomain: string;
  /** True when two options have the same text (two such rows in Diamond; kept, reported). */
  duplicateOptions: boolean;
}

export interface GpqaOptions {
  repeats: number;
  seed: number;
  shuffle: boolean;
  fallbacks: boolean;
}

const REQUIRED_COLUMNS = [
  'Question',
  'Correct Answer',
  'Incorrect Answer 1',
  'Incorrect Answer 2',
  'Incorrect Answer 3',
  'Record ID',
  'High-level domain',
  'Subdomain',
] as const;

/** Parses the GPQA CSV text (from the decrypted zip or a plain hand-written sample). */
export function parseGpqaCsv(text: string, file: string): GpqaItem[] {
  const rows = parseCsv(text, file);
  if (rows.length === 0) throw new MasaError(`${file}: no rows`);
  const header = Object.keys(rows[0]!.record);
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new MasaError(`${file}: missing column(s) ${missing.map((m) => `'${m}'`).join(', ')}`);
  const seen = new Map<string, number>();
  return rows.map(({ line, record: r }) => {
    const id = r['Record ID']!.trim();
    if (id === '') throw new MasaError(`${file}:${line}: empty 'Record ID'`);
    const prev = seen.get(id);
    if (prev !== undefined) throw new MasaError(`${file}:${line}: duplicate Record ID ${id} (first at line ${prev})`);
    seen.set(id, line);
    // simple-evals uses the cells as they are; masa trims surrounding whitespace (32 Diamond
    // rows carry a stray space or newline) so the shown option lines stay clean.
    const options = [r['Correct Answer']!, r['Incorrect Answer 1']!, r['Incorrect Answer 2']!, r['Incorrect Answer 3']!].map((o) => o.trim());
    options.forEach((o, k) => {
      if (o === '') throw new MasaError(`${file}:${line}: empty '${REQUIRED_COLUMNS[k + 1]}' (Record ID ${id})`);
    });
    const question = r['Question']!.trim();
    if (question === '') throw new MasaError(`${file}:${line}: empty 'Question' (Record ID ${id})`);
    const domain = r['High-level domain']!.trim();
    const subdomain = r['Subdomain']!.trim();
    return {
      id,
      tags: { domain, subdomain },
      cluster: id,
      source: `${file}:${line}`,
      question,
      options,
      domain,
      subdomain,
      duplicateOptions: new Set(options).size < options.length,
    };
  });
}

/**
 * Reads the GPQA Diamond CSV text from a dataset folder: `gpqa_diamond.zip` (as stored by
 * masa), the official `dataset.zip` (member `dataset/gpqa_diamond.csv`), or a plain
 * `gpqa_diamond.csv` (hand-written samples only). Returns the text and where it came from.
 */
export function readGpqaCsvText(dir: string): { text: string; file: string } {
  const plain = join(dir, GPQA_MEMBER);
  for (const zipName of ['gpqa_diamond.zip', 'dataset.zip']) {
    const zipFile = join(dir, zipName);
    if (!existsSync(zipFile)) continue;
    const buf = readFileSync(zipFile);
    const entries = listZip(buf, zipFile);
    const entry = findEntry(entries, GPQA_MEMBER);
    if (!entry) throw new MasaError(`${zipFile}: no member '${GPQA_MEMBER}' (has: ${entries.map((e) => e.name).join(', ')})`);
    const data = readZipEntry(buf, entry, zipFile, GPQA_PASSWORD);
    return { text: data.toString('utf8'), file: `${zipFile}!${entry.name}` };
  }
  if (existsSync(plain)) return { text: readFileSync(plain, 'utf8'), file: plain };
  throw new MasaError(`${join(dir, 'gpqa_diamond.zip')}: missing (run 'masa data fetch --bench gpqa-diamond')`);
}

export const GPQA_PROMPT_HEAD =
  "Answer the following multiple choice question. The last line of your response should be of the following format: 'Answer: $LETTER' (without quotes) where LETTER is one of ABCD. Think step by step before answering.";

/** simple-evals QUERY_TEMPLATE_MULTICHOICE with the options in the trial's order. */
export function gpqaPrompt(item: GpqaItem, trial: Trial): string {
  const shown = shownOptions(item.options, trial);
  return `${GPQA_PROMPT_HEAD}\n\n${item.question}\n\n${shown.map((o, k) => `${letterAt(k)}) ${o}`).join('\n')}`;
}

// common.py ANSWER_PATTERN_MULTICHOICE @ f517a916; Python's (?i) makes [A-D] match a-d too.
const RE_UPSTREAM = /Answer[ \t]*:[ \t]*\$?([A-D])\$?/i;

/** simple-evals' reading: the first match, its letter as written (lower case stays lower case). */
export function extractGpqaUpstream(text: string): Extraction {
  const m = RE_UPSTREAM.exec(text);
  return m ? { answer: m[1]!, rule: 'answer-colon' } : { answer: null, rule: 'none' };
}

/** masa's reading (see the file header); letters as shown, upper case. */
export function extractGpqaRobust(text: string, options: readonly string[] = [], fallbacks = true): Extraction {
  const cue = lastCueLetter(text, ANSWER_CUE, 4);
  if (cue) return { answer: letterAt(cue.index), rule: 'answer-cue' };
  if (!fallbacks) return { answer: null, rule: 'none' };
  const r = robustLetter(text, 4, options);
  return r ? { answer: letterAt(r.index), rule: r.rule } : { answer: null, rule: 'none' };
}

export function extractGpqa(text: string, policy: ExtractionPolicy = 'robust', shown: readonly string[] = [], fallbacks = true): Extraction {
  return policy === 'upstream' ? extractGpqaUpstream(text) : extractGpqaRobust(text, shown, fallbacks);
}

function scoreGpqa(item: GpqaItem, response: string | null, trial: Trial, options: GpqaOptions, policy: ExtractionPolicy): TrialScore {
  const ex = response === null ? { answer: null, rule: 'no-response' } : extractGpqa(response, policy, shownOptions(item.options, trial), options.fallbacks !== false);
  // Upstream order puts the correct answer first.
  const gold = 'A';
  const mapped = toUpstreamLetter(ex.answer, trial);
  // simple-evals compares case-sensitively: a lower-case letter is kept lower case and scores wrong.
  const extracted = mapped !== null && ex.answer !== null && ex.answer !== ex.answer.toUpperCase() ? mapped.toLowerCase() : mapped;
  return {
    extracted,
    rule: ex.rule,
    gold,
    correct: extracted === gold,
    status: ex.answer === null ? 'unanswered' : 'answered',
    detail: `shown gold ${toShownLetter(gold, trial)}`,
  };
}

export const gpqaDiamond: Benchmark<GpqaItem, GpqaOptions> = {
  id: 'gpqa-diamond',
  title: 'GPQA Diamond',
  group: 'SA',
  pillar: 'single-agent',
  metric: 'accuracy',
  dataset: 'GPQA',
  citation: 'Rein et al. (2023), GPQA: A Graduate-Level Google-Proof Q&A Benchmark, arXiv:2311.12022',
  defaultOptions: { repeats: 1, seed: 0, shuffle: true, fallbacks: true },
  optionDocs: {
    repeats: {
      description: 'Presentations per question, each with its own seeded option order (simple-evals uses 4); the item score is the mean over them.',
    },
    seed: { description: 'Base seed of the per-item, per-repeat option permutations (recorded with every trial).' },
    shuffle: {
      description: 'true: shuffle the options per item and repeat. false shows the upstream order, where the correct answer is always A: for checks only.',
      choices: [true, false],
    },
    fallbacks: {
      description:
        'Robust policy only. true (default): after the answer cue, also accept a boxed letter, a last line that is only the letter, and an option\'s full text; false: the answer cue alone. The upstream policy always reads simple-evals\' pattern alone.',
      choices: [true, false],
    },
  },

  async load(dir) {
    const { text, file } = readGpqaCsvText(dir);
    return parseGpqaCsv(text, file);
  },

  trials(item, options) {
    const repeats = Number(options.repeats);
    if (!Number.isInteger(repeats) || repeats < 1) throw new MasaError(`gpqa-diamond: option repeats must be a positive integer, got ${options.repeats}`);
    return shuffledTrials(item.id, item.options.length, repeats, Number(options.seed), options.shuffle !== false);
  },

  messages(item, trial) {
    return [{ role: 'user', content: gpqaPrompt(item, trial) }];
  },

  generation() {
    // simple-evals' ChatCompletionSampler default temperature; its 1024-token cap cuts off
    // step-by-step answers of current models, so masa asks for up to 2048.
    return { temperature: 0.5, max_tokens: 2048 };
  },

  extract(response, item, trial, options, policy = 'robust') {
    return extractGpqa(response, policy, shownOptions(item.options, trial), options.fallbacks !== false);
  },

  score(item, response, trial, options, policy = 'robust'): TrialScore {
    return scoreGpqa(item, response, trial, options, policy);
  },

  reduce(_item, trials) {
    return trials.length === 0 ? 0 : trials.filter((t) => t.correct).length / trials.length;
  },

  chance() {
    return 0.25;
  },
};
