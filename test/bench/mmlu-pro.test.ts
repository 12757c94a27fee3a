import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  applyPatches,
  extractMmluProRobust,
  extractMmluProUpstream,
  mmluPro,
  mmluProItemFromRecord,
  mmluProHeader,
  parseMmluProJsonl,
  upstreamRandomGuess,
  type MmluProItem,
  type MmluProOptions,
} from '../../src/bench/mmlu-pro.js';
import { samplesDir } from '../../src/core/paths.js';
import { sharedDatasets } from '../helpers.js';

const shared = sharedDatasets();
const opts: MmluProOptions = { shots: 0, fallbacks: true, random_guess: false, patches: 'none' };
const trial = { index: 0, permutation: null };

function record(options: string[], answer: string, extra: Record<string, unknown> = {}) {
  return { question_id: 1, question: 'Q?', options, answer, answer_index: 'ABCDEFGHIJ'.indexOf(answer), cot_content: '', category: 'math', src: 'x', ...extra };
}

test('loader: the real test split has 12,032 items in 14 categories, ids unique, at most 10 options', { skip: shared.skip }, async () => {
  const items = await mmluPro.load(join(shared.dir!, 'MMLU-Pro'), opts);
  assert.equal(items.length, 12032);
  assert.equal(new Set(items.map((i) => i.id)).size, 12032);
  const byCat = new Map<string, number>();
  for (const i of items) byCat.set(i.category, (byCat.get(i.category) ?? 0) + 1);
  assert.equal(byCat.size, 14);
  assert.equal(byCat.get('math'), 1351);
  assert.equal(byCat.get('history'), 381);
  assert.ok(items.every((i) => i.options.length >= 3 && i.options.length <= 10));
  assert.equal(items.filter((i) => i.options.length === 10).length, 9981);
  assert.equal(items[0]!.id, '70');
  assert.deepEqual(items[0]!.tags, { category: 'business' });
  // This snapshot has no "N/A" padding left (the hand-made items below cover it).
  assert.equal(items.filter((i) => i.removedNa > 0).length, 0);
  const chance = mmluPro.chance(items, opts);
  assert.ok(chance > 0.105 && chance < 0.115, String(chance));
});

test('"N/A" options are removed before prompting; the gold letter follows its option', () => {
  const padded = mmluProItemFromRecord(record(['a', 'b', 'c', 'd', 'N/A', 'N/A'], 'C'), 'x:1');
  assert.deepEqual(padded.options, ['a', 'b', 'c', 'd']);
  assert.equal(padded.answer, 'C');
  assert.equal(padded.removedNa, 2);
  const prompt = mmluPro.messages(padded, trial, opts)[0]!.content;
  assert.ok(!prompt.includes('N/A'));
  assert.ok(prompt.includes('D. d\n') && !prompt.includes('E. '));
  // An "N/A" before the gold option would shift its letter; the loader re-indexes it.
  const middle = mmluProItemFromRecord(record(['a', 'N/A', 'b', 'c'], 'D'), 'x:2');
  assert.deepEqual(middle.options, ['a', 'b', 'c']);
  assert.equal(middle.answer, 'C');
  assert.throws(() => mmluProItemFromRecord(record(['a', 'N/A', 'b'], 'B'), 'x:3'), /x:3: answer 'B' points at an "N\/A" option/);
  assert.throws(() => mmluProItemFromRecord(record(['a', 'b'], 'C'), 'x:4'), /x:4: answer 'C' is past the 2 options/);
  assert.throws(() => mmluProItemFromRecord(record(['a', 'b'], 'A', { answer_index: 1 }), 'x:5'), /disagrees with answer_index/);
});

test('loader errors name file:line', () => {
  assert.throws(() => parseMmluProJsonl('{"question_id": 1}\n', 'f.jsonl'), /f\.jsonl:1: question is not a string/);
  assert.throws(() => parseMmluProJsonl('{"question_id": 1,\n', 'f.jsonl'), /f\.jsonl:1: not valid JSON/);
  const line = JSON.stringify(record(['a', 'b'], 'A'));
  assert.throws(() => parseMmluProJsonl(`${line}\n${line}\n`, 'f.jsonl'), /f\.jsonl:2: duplicate question_id 1 \(first at f\.jsonl:1\)/);
});

test('hand-written samples load, including the "N/A" ones', async () => {
  const items = await mmluPro.load(join(samplesDir(), 'MMLU-Pro'), { ...opts, shots: 5 });
  assert.equal(items.length, 6);
  const na = items.find((i) => i.id === '9004')!;
  assert.equal(na.removedNa, 2);
  assert.equal(na.options.length, 8);
  assert.equal(na.answer, 'C');
});

test('0-shot prompt: upstream header, question, options and the CoT cue', async () => {
  const items = await mmluPro.load(join(samplesDir(), 'MMLU-Pro'), opts);
  const msgs = mmluPro.messages(items[0]!, trial, opts);
  assert.equal(msgs.length, 1);
  assert.equal(msgs[0]!.role, 'user');
  const c = msgs[0]!.content;
  assert.ok(c.startsWith(mmluProHeader('math') + '\nQuestion:\n'));
  assert.ok(c.includes('\nOptions:\nA. 50\nB. 55\n'));
  assert.ok(c.endsWith("J. 35\nAnswer: Let's think step by step."));
  assert.deepEqual(mmluPro.generation(opts), { temperature: 0, max_tokens: 2048 });
});

test('5-shot prompt: the first 5 validation exemplars of the same category, with their CoT', { skip: shared.skip }, async () => {
  const dir = join(shared.dir!, 'MMLU-Pro');
  const five = { ...opts, shots: 5 as const };
  const items = await mmluPro.load(dir, five);
  const law = items.find((i) => i.category === 'law')!;
  const c = mmluPro.messages(law, trial, five)[0]!.content;
  const validation = readFileSync(join(dir, 'validation.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const lawEx = validation.filter((v) => v.category === 'law');
  assert.equal(c.split('Question:\n').length - 1, 6);
  for (const ex of lawEx.slice(0, 5)) assert.ok(c.includes(ex.question));
  assert.ok(!c.includes("A: Let's think step by step."));
  assert.equal(c.split("Answer: Let's think step by step.").length - 1, 6);
  assert.ok(c.endsWith("Answer: Let's think step by step."));
  assert.deepEqual(mmluPro.generation(five).stop, ['Question:']);
});

// Cases read off evaluate_from_local.py @ 7478e268 (extract_answer -> extract_again -> extract_final).
test('upstream policy: the chain and its rule names, case by case', () => {
  const cases: Array<[string, string | null, string]> = [
    ['Reasoning... the answer is (C).', 'C', 'answer-is'],
    ['so the answer is D', 'D', 'answer-is'],
    // stated twice: upstream takes the first "answer is"
    ['the answer is (B). Wait, no: the answer is (C).', 'B', 'answer-is'],
    // trailing punctuation and brackets
    ['Hence the answer is (E)!!', 'E', 'answer-is'],
    // "Answer:" fallback: first line holding one, last occurrence on that line
    ['Answer: F\nlater Answer: G', 'F', 'answer-colon'],
    ['answer: A and then answer: H', 'H', 'answer-colon'],
    ['Answer:\n\nJ', 'J', 'answer-colon'],
    // last standalone letter
    ['Between (B) and (D), I pick the second one: (D).', 'D', 'last-letter'],
    ['(B)', 'B', 'last-letter'],
    // capitalised "Answer is" is not rule 1 (case-sensitive upstream); the letter is found by rule 3
    ['The Answer is (D)', 'D', 'last-letter'],
    // letter inside prose: upstream takes the pronoun "I" as option I
    ['So I would go with the second option.', 'I', 'last-letter'],
    // a letter glued to a Unicode word is not standalone (Python \b is Unicode-aware)
    ['résuméB', null, 'none'],
    // lowercase letters are not answers upstream
    ['the answer is (b)', null, 'none'],
    // full option text without a letter
    ['The speed is 60 km/h.', null, 'none'],
    ['', null, 'none'],
  ];
  for (const [text, answer, rule] of cases) assert.deepEqual(extractMmluProUpstream(text), { answer, rule }, text);
  // The 2024 runs used rule 1 only.
  assert.deepEqual(extractMmluProUpstream('Answer: F', false), { answer: null, rule: 'none' });
});

test('robust policy: the last cue in any case and wrapping, never a letter out of prose', () => {
  const ten = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
  const cases: Array<[string, string | null, string]> = [
    ['Reasoning... the answer is (C).', 'C', 'answer-cue'],
    ['the answer is (B). Wait, no: the answer is (C).', 'C', 'answer-cue'], // the last cue
    ['The Answer is (D)', 'D', 'answer-cue'],
    ['the answer is (b)', 'B', 'answer-cue'],
    ['**Answer:** $\\boxed{H}$', 'H', 'answer-cue'],
    ['Answer: F\nlater Answer: G', 'G', 'answer-cue'],
    ['so we get \\boxed{E}', 'E', 'boxed'],
    ['Long working.\n\n(J)', 'J', 'lone-letter'],
    ['Long working. Answer: h', 'H', 'answer-cue'],
    // upstream's prose letters are not answers here
    ['Between (B) and (D), I pick the second one: (D).', null, 'none'],
    ['So I would go with the second option.', null, 'none'],
    ['the answer is I think (C)', null, 'none'],
    ['the answer is a tricky one', null, 'none'],
    ['', null, 'none'],
  ];
  for (const [text, answer, rule] of cases) assert.deepEqual(extractMmluProRobust(text, ten), { answer, rule }, text);
  // an option's full text after the cue
  assert.deepEqual(extractMmluProRobust('Answer: 60 km/h', ['30 km/h', '60 km/h']), { answer: 'B', rule: 'option-text' });
});

test('scoring: no answer is wrong by default; random_guess reproduces upstream\'s fixed guess', () => {
  const item: MmluProItem = mmluProItemFromRecord(record(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], 'G'), 'x:1');
  const s = mmluPro.score(item, 'no idea', trial, opts) as ReturnType<typeof mmluPro.score> & { correct: boolean };
  assert.deepEqual(s, { extracted: null, rule: 'none', gold: 'G', correct: false, status: 'unanswered' });
  const g = mmluPro.score(item, 'no idea', trial, { ...opts, random_guess: true }, 'upstream') as { extracted: string; correct: boolean; rule: string };
  // The robust policy never guesses.
  assert.equal((mmluPro.score(item, 'no idea', trial, { ...opts, random_guess: true }, 'robust') as { extracted: string | null }).extracted, null);
  assert.equal(g.extracted, 'G');
  assert.equal(g.correct, true);
  assert.equal(g.rule, 'none+random-guess');
  assert.equal(upstreamRandomGuess(4), 'D');
  assert.equal(upstreamRandomGuess(3), 'B');
  const r = mmluPro.score(item, null, trial, opts) as { rule: string; correct: boolean };
  assert.equal(r.rule, 'no-response');
  const small = mmluProItemFromRecord(record(['a', 'b', 'c'], 'A'), 'x:2');
  assert.equal((mmluPro.score(small, 'the answer is (J)', trial, opts, 'upstream') as { status: string }).status, 'out-of-range');
  assert.equal((mmluPro.score(small, 'the answer is (J)', trial, opts, 'robust') as { extracted: string | null }).extracted, null);
});

test('patches 2025-10: the maintainers\' record replacements, applied by question_id in their order', { skip: shared.skip }, async () => {
  const dir = join(shared.dir!, 'MMLU-Pro');
  const base = await mmluPro.load(dir, opts);
  const patched = await mmluPro.load(dir, { ...opts, patches: '2025-10' });
  assert.equal(patched.length, 12032);
  assert.deepEqual(patched.map((i) => i.id), base.map((i) => i.id));
  const changed = patched.filter((p) => p.source.includes('patches_2025-10'));
  assert.equal(changed.length, 303);
  assert.ok(changed.some((c) => c.question !== base.find((b) => b.id === c.id)!.question));
  // The last file wins where two patch the same record.
  const last = readFileSync(join(dir, 'patches_2025-10', 'local_251026_modify_items_1026.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  for (const rec of last) assert.equal(patched.find((p) => p.id === String(rec.question_id))!.question, rec.question);
  assert.throws(() => applyPatches(base.slice(0, 1), [[{ ...base[1]!, source: 'p.jsonl:4' }]]), /p\.jsonl:4: patch for question_id 71, which the test split does not have/);
});

test('5-shot prompts work on patched items too (exemplars come from the dataset folder)', { skip: shared.skip }, async () => {
  const five = { ...opts, shots: 5 as const, patches: '2025-10' as const };
  const items = await mmluPro.load(join(shared.dir!, 'MMLU-Pro'), five);
  const patched = items.find((i) => i.source.includes('patches_2025-10'))!;
  assert.equal(mmluPro.messages(patched, trial, five)[0]!.content.split('Question:\n').length - 1, 6);
});

test('a permuted trial (never upstream\'s default) is shown and scored consistently', () => {
  const item = mmluProItemFromRecord(record(['w', 'x', 'y', 'z'], 'B'), 'x:1');
  const t = { index: 1, permutation: [3, 1, 0, 2] };
  assert.ok(mmluPro.messages(item, t, opts)[0]!.content.includes('A. z\nB. x\nC. w\nD. y\n'));
  assert.equal((mmluPro.score(item, 'the answer is (B)', t, opts) as { correct: boolean }).correct, true);
  assert.equal((mmluPro.score(item, 'the answer is (C)', t, opts) as { extracted: string }).extracted, 'A');
});
