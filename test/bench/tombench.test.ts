import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { toShownLetter } from '../../src/bench/choices.js';
import {
  extractTomRobust,
  extractTomUpstream,
  loadTomBench,
  macroAverage,
  majorityVote,
  normaliseAbility,
  parseTomBenchFile,
  replaceBareNaN,
  tombench,
  TOMBENCH_DEFAULTS,
  type TomBenchItem,
  type TomBenchOptions,
} from '../../src/bench/tombench.js';
import { summarizeBench } from '../../src/bench/summary.js';
import type { Trial, TrialScore } from '../../src/bench/types.js';
import { samplesDir } from '../../src/core/paths.js';
import { sharedDatasets, sharedReplay } from '../helpers.js';

const shared = sharedDatasets();
const replay = sharedReplay();
const opts = TOMBENCH_DEFAULTS;

/** Mean item score when every trial of every item gets `answer(item, trial)` as its response. */
function accuracy(items: TomBenchItem[], answer: (it: TomBenchItem, t: Trial) => string, o: TomBenchOptions = opts): number {
  let sum = 0;
  for (const it of items) {
    const trials = tombench.trials(it, o);
    sum += tombench.reduce(it, trials.map((t) => tombench.score(it, answer(it, t), t, o) as TrialScore), o);
  }
  return sum / items.length;
}

// Cases read off get_results.py extract_answer @ 2c27b147, branch by branch.
test('upstream policy: extract_answer case by case', () => {
  const x = (r: string, d: 'none' | 'A' = 'none') => extractTomUpstream(r, d);
  assert.deepEqual(x('[[C]]'), { answer: 'C', rule: 'double-bracket' });
  // the if-chain prefers A over B over C over D, wherever each stands
  assert.equal(x('At first [[C]] seems right, but on reflection [[A]].').answer, 'A');
  assert.equal(x('At first [[A]] seems right, but on reflection [[C]].').answer, 'A');
  assert.deepEqual(x('Reasoning... the answer is [B].'), { answer: 'B', rule: 'bracket' });
  assert.equal(x('[A] is tempting. D is wrong. Final: [[B]]').answer, 'B');
  // else the LAST capital A-D anywhere, inside words too
  assert.deepEqual(x('I would pick D'), { answer: 'D', rule: 'last-capital' });
  assert.equal(x('Based on the story, Anna would be upset.').answer, 'A');
  assert.equal(x('Based on the story, she would be upset.').answer, 'B');
  assert.equal(x('the answer is b').answer, null); // lower case never counts
  assert.equal(x('[[b]]').answer, null); // nor in brackets
  // upstream answers "A" when nothing is found; masa only with defaultAnswer 'A'
  assert.deepEqual(x('in the blue cupboard'), { answer: null, rule: 'none' });
  assert.deepEqual(x('in the blue cupboard', 'A'), { answer: 'A', rule: 'default' });
  assert.deepEqual(x(''), { answer: null, rule: 'none' });
});

test('robust policy: the last bracketed letter in any case, cues, never a letter out of prose', () => {
  const x = (r: string, n = 4, shown: string[] = []) => extractTomRobust(r, n, shown);
  assert.deepEqual(x('[[C]]'), { answer: 'C', rule: 'double-bracket' });
  assert.equal(x('At first [[A]] seems right, but on reflection [[C]].').answer, 'C');
  assert.equal(x('[[B]]\n\nSo my answer is [[B]].').answer, 'B');
  assert.equal(x('[A] is tempting. D is wrong. Final: [[B]]').answer, 'B');
  assert.equal(x('[[b]]').answer, 'B');
  assert.equal(x('[[ c ]]').answer, 'C');
  assert.deepEqual(x('Reasoning... the answer is [B].'), { answer: 'B', rule: 'bracket' });
  assert.deepEqual(x('The answer is B.'), { answer: 'B', rule: 'answer-cue' });
  assert.deepEqual(x('the answer is b'), { answer: 'B', rule: 'answer-cue' });
  assert.deepEqual(x('(B)'), { answer: 'B', rule: 'lone-letter' });
  assert.deepEqual(x('Anna knows.\nAnswer: In the blue cupboard', 4, ['In the red box', 'In the blue cupboard', 'Nowhere', 'Outside']), { answer: 'B', rule: 'option-text' });
  // no letter out of prose, no default
  assert.deepEqual(x('I would pick D'), { answer: null, rule: 'none' });
  assert.deepEqual(x('Based on the story, Anna would be upset.'), { answer: null, rule: 'none' });
  // out of a 2-option item's range
  assert.deepEqual(x('[[C]]', 2), { answer: null, rule: 'none' });
  assert.equal(x('[[C]] or maybe [[A]]', 2).answer, 'A');
  assert.deepEqual(x(''), { answer: null, rule: 'none' });
});

test('policies on an item: a letter past a 2-option item maps to nothing upstream', () => {
  const it = loadTomBench(join(samplesDir(), 'ToMBench')).find((i) => i.id === 'Faux-pas Recognition Test#1')!;
  const t = tombench.trials(it, opts)[0]!;
  const up = tombench.score(it, '[[C]]', t, opts, 'upstream') as TrialScore;
  assert.deepEqual([up.extracted, up.correct, up.status], [null, false, 'out-of-range']);
});

test('majority vote: most common, ties to the first seen, no-answer can win', () => {
  assert.equal(majorityVote(['A', 'B', 'B', 'A', 'C']), 'A');
  assert.equal(majorityVote(['C', 'B', 'B', 'C']), 'C');
  assert.equal(majorityVote([null, null, 'A']), null);
  assert.equal(majorityVote([]), null);
});

test('traps: bare NaN, newline keys, "A. " gold, both ability spellings', () => {
  assert.equal(replaceBareNaN('{"a": NaN, "b": "x: NaN in text", "c":NaN}'), '{"a": null, "b": "x: NaN in text", "c":null}');
  assert.deepEqual(normaliseAbility('Non-literal communication: Humor'), { group: 'Non-Literal Communication', label: 'Non-Literal Communication: Humor' });
  assert.deepEqual(normaliseAbility('Knowledge: Information-knowledge links '), { group: 'Knowledge', label: 'Knowledge: Information-knowledge links' });
  const items = loadTomBench(join(samplesDir(), 'ToMBench'));
  assert.equal(items.length, 5);
  const fb2 = items.find((i) => i.id === 'False Belief Task#2')!;
  assert.equal(fb2.gold, 'A'); // stored as "A. "
  const fp = items.filter((i) => i.task === 'Faux-pas Recognition Test');
  assert.ok(fp.every((i) => i.en.options.length === 2 && i.zh.options.length === 2));
  assert.deepEqual(fp[1]!.zh.options, ['知道', '不知道']); // "A.知道": prefix without a space stripped
  assert.deepEqual(fp[1]!.en.options, ['Yes', 'No']);
  assert.ok(fp.every((i) => i.tags.ability === 'Non-Literal Communication')); // both spellings
  assert.equal(fp[0]!.cluster, fp[1]!.cluster); // same story, same cluster
  assert.notEqual(items[0]!.cluster, items[2]!.cluster);
  assert.throws(() => parseTomBenchFile('{"能力\\nABILITY": "x", "答案\\nANSWER": "B"', 'bad.jsonl'), /bad\.jsonl:1/);
});

test('2-option items are shown with 2 options and shuffled within them', () => {
  const it = loadTomBench(join(samplesDir(), 'ToMBench')).find((i) => i.id === 'Faux-pas Recognition Test#1')!;
  const trials = tombench.trials(it, opts);
  assert.equal(trials.length, 5);
  assert.ok(trials.every((t) => t.permutation!.length === 2));
  const user = tombench.messages(it, trials[0]!, opts)[1]!.content;
  assert.match(user, /\[Candidate Answers\]\nA\. .+\nB\. .+$/);
  assert.doesNotMatch(user, /\nC\./);
  const zh = tombench.messages(it, trials[0]!, { ...opts, language: 'zh' });
  assert.match(zh[0]!.content, /\[\[答案序号\]\]/);
  assert.match(zh[1]!.content, /^\[故事\]/);
  assert.equal(tombench.chance([it], opts), 0.5);
});

test('scores map shown letters back through the permutation', () => {
  const it = loadTomBench(join(samplesDir(), 'ToMBench'))[0]!; // gold B
  const trial: Trial = { index: 0, permutation: [2, 0, 3, 1] }; // upstream B shown as D
  assert.equal(toShownLetter('B', trial), 'D');
  const s = tombench.score(it, 'The answer is [[D]]', trial, opts) as { extracted: string; correct: boolean };
  assert.equal(s.extracted, 'B');
  assert.equal(s.correct, true);
  assert.equal((tombench.score(it, null, trial, opts) as { correct: boolean }).correct, false);
  assert.throws(() => tombench.score(it, '[[A]]', { index: 0, permutation: [0, 1] }, opts), /permutation/);
});

test('samples: gold fed back scores 1.0, a constant letter scores below 1', () => {
  const items = loadTomBench(join(samplesDir(), 'ToMBench'));
  assert.equal(accuracy(items, (it, t) => `[[${toShownLetter(it.gold, t)}]]`), 1);
  assert.ok(accuracy(items, () => '[[A]]') < 1);
});

test('real files: 2,860 items, traps handled, gold → 1.0, constant letter → chance', { skip: shared.skip }, () => {
  const items = loadTomBench(join(shared.dir!, 'ToMBench'));
  assert.equal(items.length, 2860);
  assert.equal(new Set(items.map((i) => i.id)).size, 2860);
  const byTask = new Map<string, number>();
  for (const it of items) byTask.set(it.task, (byTask.get(it.task) ?? 0) + 1);
  assert.equal(byTask.size, 20);
  assert.equal(byTask.get('False Belief Task'), 600);
  assert.equal(byTask.get('Hinting Task Test'), 103);
  // NaN-marked 2-option items: Faux-pas 280 and Strange Story 203 (en) / 204 (zh)
  assert.equal(items.filter((i) => i.en.options.length === 2).length, 483);
  assert.equal(items.filter((i) => i.zh.options.length === 2).length, 484);
  assert.equal(items.find((i) => i.id === 'Knowledge-Attention Links#11')!.gold, 'A');
  const abilities = new Set(items.map((i) => i.tags.ability));
  assert.deepEqual([...abilities].sort(), ['Belief', 'Desire', 'Emotion', 'Intention', 'Knowledge', 'Non-Literal Communication']);
  assert.equal(items.filter((i) => i.tags.ability === 'Non-Literal Communication').length, 628 + 120);
  const raw = readFileSync(join(shared.dir!, 'ToMBench', 'data', 'Faux-pas Recognition Test.jsonl'), 'utf8');
  assert.ok(/:\s*NaN/.test(raw) && raw.includes('\\nABILITY'));

  assert.equal(accuracy(items, (it, t) => `[[${toShownLetter(it.gold, t)}]]`), 1);
  const chance = tombench.chance(items, opts);
  assert.ok(Math.abs(chance - 0.2922) < 0.001, `chance ${chance}`);
  const constant = accuracy(items, () => '[[A]]');
  assert.ok(Math.abs(constant - chance) < 0.03, `constant A ${constant} vs chance ${chance}`);
});

test('published tables: AVG is the per-task (per-ability) macro mean, as macroAverage computes it', { skip: replay.skip }, () => {
  const file = join(replay.dir!, 'ToMBench', 'zhchen18-ToMBench-published', 'tombench_published_tables.json');
  type Table = { columns: string[]; models: Record<string, Record<string, { zh: number; en: number }>> };
  const tables = JSON.parse(readFileSync(file, 'utf8')) as { task_table: Table; ability_table: Table };
  let checked = 0;
  for (const [name, tag] of [['task_table', 'task'], ['ability_table', 'ability']] as const) {
    const table = tables[name];
    for (const [model, row] of Object.entries(table.models)) {
      for (const lang of ['zh', 'en'] as const) {
        const groups = Object.fromEntries(table.columns.filter((c) => c !== 'AVG').map((c) => [c, { accuracy: row[c]![lang] }]));
        const macro = macroAverage({ subscores: { [tag]: groups } }, tag);
        assert.ok(Math.abs(macro - row.AVG![lang]) <= 0.06, `${name} ${model} ${lang}: macro ${macro.toFixed(2)} vs AVG ${row.AVG![lang]}`);
        checked++;
      }
    }
  }
  assert.equal(checked, 2 * 22 * 2);
  // and it is not the item-weighted mean: two tasks of 3 and 1 items
  const summary = summarizeBench('tombench', [
    { id: 'a#1', score: 1, cluster: 'a', tags: { task: 'a' } },
    { id: 'a#2', score: 1, cluster: 'a', tags: { task: 'a' } },
    { id: 'a#3', score: 1, cluster: 'a', tags: { task: 'a' } },
    { id: 'b#1', score: 0, cluster: 'b', tags: { task: 'b' } },
  ]);
  assert.equal(summary.accuracy, 0.75);
  assert.equal(macroAverage(summary, 'task'), 0.5);
});
