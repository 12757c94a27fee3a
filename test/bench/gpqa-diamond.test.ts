import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { toShownLetter } from '../../src/bench/choices.js';
import {
  extractGpqaRobust,
  extractGpqaUpstream,
  GPQA_PASSWORD,
  GPQA_PROMPT_HEAD,
  gpqaDiamond,
  parseGpqaCsv,
  type GpqaOptions,
} from '../../src/bench/gpqa-diamond.js';
import { scorePolicies } from '../../src/bench/policies.js';
import type { PolicyScores, TrialScore } from '../../src/bench/types.js';
import { samplesDir } from '../../src/core/paths.js';
import { writeEncryptedZip } from '../../src/core/zip.js';
import { sharedDatasets } from '../helpers.js';

const shared = sharedDatasets();
const opts: GpqaOptions = { repeats: 1, seed: 0, shuffle: true, fallbacks: true };

test('loader: the encrypted Diamond zip gives 198 items, decrypted in memory', { skip: shared.skip }, async () => {
  const dir = join(shared.dir!, 'GPQA');
  const before = readdirSync(dir).sort();
  const items = await gpqaDiamond.load(dir, opts);
  assert.deepEqual(readdirSync(dir).sort(), before);
  assert.equal(items.length, 198);
  assert.equal(new Set(items.map((i) => i.id)).size, 198);
  assert.ok(items.every((i) => /^rec[A-Za-z0-9]{14}$/.test(i.id)));
  const domains = new Map<string, number>();
  for (const i of items) domains.set(i.domain, (domains.get(i.domain) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(domains), { Physics: 86, Chemistry: 93, Biology: 19 });
  assert.ok(items.every((i) => i.options.length === 4 && i.options.every((o) => o !== '' && o === o.trim())));
  assert.ok(items[0]!.source.endsWith('gpqa_diamond.zip!gpqa_diamond.csv:2'));
  // Two Diamond rows repeat an incorrect answer word for word: kept, flagged.
  assert.equal(items.filter((i) => i.duplicateOptions).length, 2);
});

test('trap: the answers are unlettered; masa shuffles them so the gold position is spread over A-D', { skip: shared.skip }, async () => {
  const items = await gpqaDiamond.load(join(shared.dir!, 'GPQA'), opts);
  const counts = new Map<string, number>();
  for (const item of items) {
    for (const trial of gpqaDiamond.trials(item, { ...opts, repeats: 4 })) {
      assert.ok(trial.permutation);
      const shown = toShownLetter('A', trial);
      counts.set(shown, (counts.get(shown) ?? 0) + 1);
      // The prompt shows the correct answer at the recorded position.
      const prompt = gpqaDiamond.messages(item, trial, opts)[0]!.content;
      assert.ok(prompt.includes(`\n${shown}) ${item.options[0]}`));
    }
  }
  for (const l of 'ABCD') assert.ok((counts.get(l) ?? 0) > 150 && (counts.get(l) ?? 0) < 250, `${l}: ${counts.get(l)}`);
});

test('hand-written sample CSV parses (quotes, newlines, stray whitespace)', async () => {
  const items = await gpqaDiamond.load(join(samplesDir(), 'GPQA'), opts);
  assert.equal(items.length, 4);
  const genetics = items.find((i) => i.id === 'recMasaSample0003')!;
  assert.deepEqual(genetics.options, ['1/4', '1/2', '3/4', '1/8']);
  assert.ok(genetics.question.includes('\n\nAssume complete dominance'));
  assert.deepEqual(genetics.tags, { domain: 'Biology', subdomain: 'Genetics' });
  assert.ok(items[3]!.question.includes('"in kelvin"'));
});

test('the official dataset.zip layout (member dataset/gpqa_diamond.csv) is read and decrypted in memory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'masa-gpqa-'));
  try {
    const csv = readFileSync(join(samplesDir(), 'GPQA', 'gpqa_diamond.csv'));
    writeFileSync(join(dir, 'dataset.zip'), writeEncryptedZip('dataset/gpqa_diamond.csv', csv, GPQA_PASSWORD, Buffer.from('seed')));
    const items = await gpqaDiamond.load(dir, opts);
    assert.equal(items.length, 4);
    assert.ok(items[0]!.source.includes('dataset.zip!dataset/gpqa_diamond.csv:2'));
    writeFileSync(join(dir, 'dataset.zip'), writeEncryptedZip('dataset/gpqa_diamond.csv', csv, 'not-the-password', Buffer.from('seed')));
    await assert.rejects(gpqaDiamond.load(dir, opts), /dataset\.zip: member dataset\/gpqa_diamond\.csv: (wrong password|CRC mismatch)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loader errors: missing file, missing column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'masa-gpqa-'));
  try {
    await assert.rejects(gpqaDiamond.load(dir, opts), /gpqa_diamond\.zip: missing \(run 'masa data fetch --bench gpqa-diamond'\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => parseGpqaCsv('Question,Correct Answer\nq,a\n', 'g.csv'), /g\.csv: missing column\(s\) 'Incorrect Answer 1'/);
});

test('prompt: simple-evals template with the shown order', async () => {
  const [item] = await gpqaDiamond.load(join(samplesDir(), 'GPQA'), opts);
  const trial = { index: 0, permutation: [2, 0, 3, 1] };
  const c = gpqaDiamond.messages(item!, trial, opts)[0]!.content;
  assert.equal(c, `${GPQA_PROMPT_HEAD}\n\n${item!.question}\n\nA) 88.2 m\nB) 44.1 m\nC) 14.7 m\nD) 29.4 m`);
});

test('trials: seeded, recorded, different per repeat, stable across calls', async () => {
  const [item] = await gpqaDiamond.load(join(samplesDir(), 'GPQA'), opts);
  const a = gpqaDiamond.trials(item!, { ...opts, repeats: 4 });
  const b = gpqaDiamond.trials(item!, { ...opts, repeats: 4 });
  assert.deepEqual(a, b);
  assert.equal(a.length, 4);
  assert.deepEqual(a.map((t) => t.index), [0, 1, 2, 3]);
  assert.ok(new Set(a.map((t) => t.permutation!.join(''))).size > 1);
  assert.notDeepEqual(gpqaDiamond.trials(item!, { ...opts, repeats: 4, seed: 1 }), a);
  assert.deepEqual(gpqaDiamond.trials(item!, { ...opts, shuffle: false }), [{ index: 0, permutation: null }]);
});

// Cases read off simple-evals gpqa_eval.py @ 9e2fafd1 with common.py @ f517a916:
// re.search(r"(?i)Answer[ \t]*:[ \t]*\$?([A-D])\$?", text).group(1), compared with the upper-case letter.
test('upstream policy: the January 2025 simple-evals pattern, case by case', () => {
  const cases: Array<[string, string | null]> = [
    ['Step 1...\nAnswer: B', 'B'],
    ['answer : c', 'c'], // found, but lower case: scores wrong upstream
    ['Answer:\tD', 'D'],
    ['Answer: $C$', 'C'], // the revision's LaTeX dollars
    ['Answer:\nB', null], // the revision no longer crosses a newline (the 2024 \s* did)
    ['Answer:(D)', null],
    ['**Answer:** D', null],
    ['**Answer: D**', 'D'],
    ['Answer: A\n...on reflection...\nAnswer: D', 'A'], // the first match
    ['Answer: C.', 'C'],
    ['Answer: Based on the above, C', 'B'], // a word starting with A-D counts
    ['Therefore the correct answer is (C).', null],
    ['so we get \\boxed{B}', null],
    ['', null],
  ];
  for (const [text, answer] of cases) assert.deepEqual(extractGpqaUpstream(text), { answer, rule: answer === null ? 'none' : 'answer-colon' }, text);
});

test('robust policy: the last cue, bare or wrapped letters, lower case alone, option text; never a word', () => {
  const shown = ['88.2 m', '44.1 m', '14.7 m', '29.4 m'];
  const cases: Array<[string, string | null, string]> = [
    ['Step 1...\nAnswer: B', 'B', 'answer-cue'],
    ['answer : c', 'C', 'answer-cue'],
    ['Answer:\nB', 'B', 'answer-cue'],
    ['Answer:(D)', 'D', 'answer-cue'],
    ['Answer: $C$', 'C', 'answer-cue'],
    ['**Answer:** D', 'D', 'answer-cue'],
    ['**Answer**: (B)', 'B', 'answer-cue'],
    ['Answer: \\boxed{\\text{C}}', 'C', 'answer-cue'],
    ['Answer: A\n...on reflection...\nAnswer: D', 'D', 'answer-cue'], // the last cue
    ['Therefore the correct answer is (C).', 'C', 'answer-cue'],
    ['so we get \\boxed{B}', 'B', 'boxed'],
    ['Lots of reasoning.\n\n(B)', 'B', 'lone-letter'],
    ['Lots of reasoning.\nD.', 'D', 'lone-letter'],
    ['The ball falls for 3 s.\nAnswer: 44.1 m', 'B', 'option-text'],
    // never the first letter of a word, an article or a pronoun, nor a letter in prose
    ['Answer: Based on the above, it is unclear', null, 'none'],
    ['The answer is a combination of effects.', null, 'none'],
    ['Option B seems plausible but C is better.', null, 'none'],
    ['The distance is 44.1 m, I think.', null, 'none'],
    ['', null, 'none'],
  ];
  for (const [text, answer, rule] of cases) assert.deepEqual(extractGpqaRobust(text, shown), { answer, rule }, text);
  // fallbacks=false: the answer cue alone
  assert.deepEqual(extractGpqaRobust('so we get \\boxed{B}', shown, false), { answer: null, rule: 'none' });
});

test('policies disagree where the issue says: lower case, newline, bold, bracket', async () => {
  const [item] = await gpqaDiamond.load(join(samplesDir(), 'GPQA'), opts);
  const trial = { index: 0, permutation: null };
  for (const r of ['answer: a', 'Answer:\nA', '**Answer:** A', 'Answer: (A)']) {
    const both = scorePolicies(gpqaDiamond, item!, r, trial, opts) as PolicyScores;
    assert.equal(both.upstream.correct, false, r);
    assert.equal(both.robust.correct, true, r);
  }
  const lower = gpqaDiamond.score(item!, 'answer: a', trial, opts, 'upstream') as TrialScore;
  assert.equal(lower.extracted, 'a');
  const both = scorePolicies(gpqaDiamond, item!, 'Answer: A', trial, opts) as PolicyScores;
  assert.ok(both.upstream.correct && both.robust.correct);
});

test('scoring maps the shown letter back through the permutation', async () => {
  const [item] = await gpqaDiamond.load(join(samplesDir(), 'GPQA'), opts);
  const trial = { index: 2, permutation: [2, 0, 3, 1] };
  const right = (await gpqaDiamond.score(item!, 'Answer: B', trial, opts)) as TrialScore;
  assert.deepEqual(right, { extracted: 'A', rule: 'answer-cue', gold: 'A', correct: true, status: 'answered', detail: 'shown gold B' });
  assert.equal(((await gpqaDiamond.score(item!, 'Answer: B', trial, opts, 'upstream')) as TrialScore).rule, 'answer-colon');
  const wrong = (await gpqaDiamond.score(item!, 'Answer: A', trial, opts)) as TrialScore;
  assert.equal(wrong.extracted, 'C');
  assert.equal(wrong.correct, false);
  const none = (await gpqaDiamond.score(item!, null, trial, opts)) as TrialScore;
  assert.equal(none.correct, false);
  assert.equal(none.rule, 'no-response');
  assert.equal(gpqaDiamond.reduce(item!, [right, wrong, right, none], opts), 0.5);
  assert.equal(gpqaDiamond.chance([item!], opts), 0.25);
});
