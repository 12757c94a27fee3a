import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  EMOBENCH_DEFAULTS,
  emoMajority,
  emobench,
  extractEmoAnswer,
  goldLetter,
  loadEmoBench,
  parseEmoBenchFile,
  processOutput,
  type EmoBenchItem,
  type EmoBenchOptions,
} from '../../src/bench/emobench.js';
import { letterAt } from '../../src/bench/choices.js';
import type { TrialScore } from '../../src/bench/types.js';
import { mulberry32 } from '../../src/core/rng.js';
import { samplesDir } from '../../src/core/paths.js';
import { sharedDatasets } from '../helpers.js';

const shared = sharedDatasets();
const both: EmoBenchOptions = { ...EMOBENCH_DEFAULTS, language: 'both' };

function accuracy(items: EmoBenchItem[], answer: (it: EmoBenchItem) => string, o: EmoBenchOptions = both): number {
  let sum = 0;
  for (const it of items) {
    const trials = emobench.trials(it, o);
    sum += emobench.reduce(it, trials.map((t) => emobench.score(it, answer(it), t, o) as TrialScore), o);
  }
  return sum / items.length;
}

const goldJson = (it: EmoBenchItem): string =>
  it.task === 'EA' ? `{"answer": "${it.gold}"}` : `{"answer_q1": "${it.gold}", "answer_q2": "${it.causeGold}"}`;

const sample = (): EmoBenchItem[] => loadEmoBench(join(samplesDir(), 'EmoBench'), both);

test('loader: text labels become letters; ids, tags, language filter', () => {
  const items = sample();
  assert.deepEqual(items.map((i) => i.id), ['ea-1-en', 'ea-2-en', 'ea-1-zh', 'eu-1-en', 'eu-2-en', 'eu-1-zh']);
  const ea = items[0]!;
  assert.equal(ea.gold, 'C');
  assert.deepEqual(ea.tags, { task: 'EA', category: 'Personal-Self', language: 'en' });
  const eu2 = items.find((i) => i.id === 'eu-2-en')!;
  assert.equal(eu2.gold, 'B');
  assert.equal(eu2.causeGold, 'B');
  assert.equal(eu2.causeChoices!.length, 6);
  assert.equal(eu2.tags.category, 'perspective_taking');
  assert.equal(loadEmoBench(join(samplesDir(), 'EmoBench'), EMOBENCH_DEFAULTS).length, 4); // en only
  assert.equal(loadEmoBench(join(samplesDir(), 'EmoBench'), { ...both, tasks: ['EU'] }).length, 3);
  assert.throws(() => goldLetter(['a', 'b'], 'c', 'EA.jsonl:7', 'label'), /EA\.jsonl:7: label "c" is not among the choices/);
  const bad = '{"qid": "9", "language": "en", "category": "x", "question type": "Action", "scenario": "s", "subject": "S", "choices": ["a", "b"], "label": "z"}';
  assert.throws(() => parseEmoBenchFile(bad, 'EA.jsonl', 'EA'), /EA\.jsonl:1: label "z"/);
});

test('prompts: upstream JSON instruction, "A) ..." choices, both EU questions in one prompt', () => {
  const items = sample();
  const [sys, user] = emobench.messages(items[0]!, { index: 0, permutation: null }, both);
  assert.match(sys!.content, /"answer": "<Respond with the corresponding letter numbering>"/);
  assert.match(user!.content, /most effective Action for Priya\?/);
  assert.match(user!.content, /\nA\) Quit piano lessons for good\nB\) /);
  const eu = emobench.messages(items[3]!, { index: 0, permutation: null }, { ...both, cot: true });
  assert.match(eu[0]!.content, /"reasoning"[\s\S]*"answer_q1"[\s\S]*"answer_q2"/);
  assert.match(eu[1]!.content, /## Question 1[\s\S]*## Choices for Question 1\nA\) Pride[\s\S]*## Question 2[\s\S]*## Choices for Question 2\nA\) The birdhouse/);
  assert.match(emobench.messages(items[5]!, { index: 0, permutation: null }, both)[1]!.content, /## 问题 2 的选项/);
});

test('robust policy: JSON tolerant of fences, single quotes, extra text; letters in any case; answer cues', () => {
  const ea = sample()[0]!; // 4 choices, gold C
  const x = (r: string) => extractEmoAnswer(r, ea).answer;
  assert.equal(x('{"answer": "C"}'), 'C');
  assert.equal(x('```json\n{\n  "answer": "c"\n}\n```'), 'C');
  assert.equal(x("Sure! {'answer': 'C'} is my pick"), 'C');
  assert.equal(x('{"reasoning": "B looks kind, but {C} helps most", "answer": "C)"}'), 'C');
  assert.equal(x('{"answer": "(C)"}'), 'C');
  assert.equal(x('{"answer": "Talk with her teacher about what went wrong and plan the next performance"}'), 'C');
  // answer stated twice: the last JSON object wins
  assert.equal(x('{"answer": "A"}\nOn second thought:\n{"answer": "C"}'), 'C');
  // broken JSON: key-value regex
  assert.equal(x('"answer": "C",  (no closing brace'), 'C');
  // no JSON: an answer cue, a lone letter line, a choice's full text
  assert.equal(x('(c)'), 'C');
  assert.equal(x('Answer: b.'), 'B');
  assert.equal(x('C) Talk with her teacher'), 'C'); // a choice label with its option's text
  assert.equal(x('C) Quit piano lessons'), null); // label and text disagree
  assert.equal(x('talk with her teacher about what went wrong and plan the next performance'), 'C');
  assert.equal(x('c'), 'C');
  // never process_output's looser rules
  assert.equal(x('I choose option b.'), null);
  assert.equal(x('Option (a) is kind but I would not.'), null);
  assert.deepEqual(extractEmoAnswer('I am not sure.', ea), { answer: null, rule: 'none' });
  assert.equal(x('{"answer": "E"}'), null); // out of range
  assert.equal(x('{"answer": "a bit of both"}'), null); // an article is not a letter
  const eu = sample()[3]!; // gold A / B
  const e = extractEmoAnswer('```json\n{"answer_q1": "A", "answer_q2": "B"}\n```', eu);
  assert.deepEqual([e.answer, e.cause, e.rule], ['A', 'B', 'json']);
  const f = extractEmoAnswer('Question 1: Answer: (a)\nQuestion 2: Answer: (b)', eu);
  assert.deepEqual([f.answer, f.cause], ['A', 'B']);
  const g = extractEmoAnswer('{"answer_q1": "A"}', eu);
  assert.deepEqual([g.answer, g.cause], ['A', null]);
});

// Cases read off src/utils.py parse_json_response and src/data.py @ 3b4f8431.
test('upstream policy 2025-05: the whole response (or its ```json block) is JSON; the value is the letter exactly', () => {
  const ea = sample()[0]!;
  const x = (r: string) => extractEmoAnswer(r, ea, 'upstream').answer;
  assert.equal(x('{"answer": "C"}'), 'C');
  assert.equal(x('  {"answer": "C"}\n'), 'C');
  assert.equal(x('Here it is: ```json\n{"answer": "C"}\n``` done'), 'C');
  assert.equal(x('Sure! {"answer": "C"}'), null); // text around unfenced JSON
  assert.equal(x('```\n{"answer": "C"}\n```'), null); // a fence without "json"
  assert.equal(x("{'answer': 'C'}"), null); // not JSON
  assert.equal(x('{"answer": "C",}'), null);
  assert.equal(x('{"result": "C"}'), null);
  assert.equal(x('(c)'), null);
  // found but not the gold letter string: scores wrong
  const t = { index: 0, permutation: null };
  for (const v of ['c', 'C)', '(C)', 'C) Talk with her teacher']) {
    const sc = emobench.score(ea, JSON.stringify({ answer: v }), t, both, 'upstream') as TrialScore;
    assert.deepEqual([sc.extracted, sc.correct], [v, false], v);
    assert.equal((emobench.score(ea, JSON.stringify({ answer: v }), t, both, 'robust') as TrialScore).correct, true, v);
  }
  const eu = sample()[3]!;
  const e = extractEmoAnswer('{"answer_q1": "A", "answer_q2": "B"}', eu, 'upstream');
  assert.deepEqual([e.answer, e.cause], ['A', 'B']);
  assert.equal((emobench.score(eu, '{"answer_q1": "A", "answer_q2": "b"}', t, both, 'upstream') as TrialScore).correct, false);
});

test('upstream policy 2024-03: process_output on the raw text (4 letters for EA, 6 for both EU questions)', () => {
  const ea = sample()[0]!;
  const o: EmoBenchOptions = { ...both, upstream_version: '2024-03' };
  const t = { index: 0, permutation: null };
  const sc = (r: string) => emobench.score(ea, r, t, o, 'upstream') as TrialScore;
  assert.equal(sc('I choose option c.').extracted, 'C');
  assert.equal(sc('{"answer": "C"}').extracted, null); // the 2024 parser does not read this JSON
  const eu = sample()[3]!; // 6 emotion choices, 4 cause choices
  const e = emobench.score(eu, 'Question 1: (a)\nQuestion 2: (e)', t, o, 'upstream') as TrialScore;
  assert.equal(e.extracted, 'A/E'); // a cause letter past the 4 choices is read, and is wrong
});

test('process_output port: the 2024 rules in their order', () => {
  const c = ['Joy', 'Anger', 'Fear', 'Sadness'];
  assert.equal(processOutput('The answer is (b).', c, 4, 'en'), 1);
  assert.equal(processOutput('Answer: c', c, 4, 'en'), 2);
  assert.equal(processOutput('option d', c, 4, 'en'), 3);
  assert.equal(processOutput('（b）', c, 4, 'zh'), 1);
  assert.equal(processOutput('选项 c', c, 4, 'zh'), 2);
  assert.equal(processOutput('I feel fear here', c, 4, 'en'), 2);
  assert.equal(processOutput('d', c, 4, 'en'), 3);
  assert.equal(processOutput('e', c, 4, 'en'), -1); // past the 4 letters
  assert.equal(processOutput('b) Anger', c, 4, 'en'), 1);
  assert.equal(processOutput('(b) first\nlast line says (d)', c, 4, 'en'), 3); // lines read from the last
  assert.equal(processOutput('Answer : (c ) F ear', c, 4, 'en'), 2); // unclosed "(c" opening a line
  assert.equal(processOutput('Answer: (a]', c, 4, 'en'), -1);
  assert.equal(processOutput('nothing useful', c, 4, 'en'), -1);
});

test('vote: most common, a top "no answer" yields to the runner-up', () => {
  assert.equal(emoMajority(['A', 'B', 'B', null, null]), 'B');
  assert.equal(emoMajority([null, null, null, 'C', 'D']), 'C');
  assert.equal(emoMajority([null, null]), null);
  assert.equal(emoMajority(['D', 'C', 'C', 'D', null]), 'D');
});

test('EU counts only when emotion and cause are both right; votes are per question', () => {
  const eu = sample()[3]!; // A / B
  const t = { index: 0, permutation: null };
  const s = (r: string) => emobench.score(eu, r, t, both) as TrialScore;
  assert.equal(s('{"answer_q1": "A", "answer_q2": "B"}').correct, true);
  assert.equal(s('{"answer_q1": "A", "answer_q2": "C"}').correct, false);
  assert.equal(s('{"answer_q1": "A", "answer_q2": "B"}').gold, 'A/B');
  const trials = ['{"answer_q1": "A", "answer_q2": "C"}', '{"answer_q1": "D", "answer_q2": "B"}', '{"answer_q1": "A", "answer_q2": "B"}'].map(s);
  assert.equal(emobench.reduce(eu, trials, both), 1); // votes A and B although only one sample had both
  assert.ok(Math.abs(emobench.reduce(eu, trials, { ...both, aggregate: 'mean' }) - 1 / 3) < 1e-12);
  assert.equal(emobench.chance([eu], both), 1 / 24);
});

test('samples: gold fed back → 1.0; constant letters → 0 or 1 per item', () => {
  const items = sample();
  assert.equal(accuracy(items, goldJson), 1);
  assert.ok(accuracy(items, () => '{"answer": "A", "answer_q1": "A", "answer_q2": "A"}') < 1);
});

test('real files: 200 EA + 200 EU per language, every label found, gold → 1.0, constant → chance', { skip: shared.skip }, () => {
  const items = loadEmoBench(join(shared.dir!, 'EmoBench'), both);
  assert.equal(items.length, 800);
  for (const task of ['EA', 'EU']) for (const lang of ['en', 'zh']) {
    assert.equal(items.filter((i) => i.task === task && i.language === lang).length, 200, `${task} ${lang}`);
  }
  assert.equal(new Set(items.map((i) => i.id)).size, 800);
  assert.equal(items.filter((i) => i.task === 'EU' && i.tags.category === 'perspective_taking').length, 2 * 67);
  assert.equal(accuracy(items, goldJson), 1);
  const ea = items.filter((i) => i.task === 'EA');
  const eaChance = emobench.chance(ea, both);
  assert.equal(eaChance, 0.25);
  const constants = ['A', 'B', 'C', 'D'].map((l) => accuracy(ea, () => `{"answer": "${l}"}`));
  assert.ok(Math.abs(constants.reduce((a, b) => a + b, 0) / 4 - eaChance) < 1e-9); // the four letters average to chance
  assert.ok(constants.every((a) => a < 0.5), `constant letters ${constants}`);
  const eu = items.filter((i) => i.task === 'EU');
  // gold letters are not uniform (A/A is right 17% of the time), so EU is checked with seeded uniform guesses
  const rng = mulberry32(7);
  const guess = (it: EmoBenchItem): string =>
    `{"answer_q1": "${letterAt(rng.int(it.choices.length))}", "answer_q2": "${letterAt(rng.int(it.causeChoices!.length))}"}`;
  const euGuess = accuracy(eu, guess);
  const euChance = emobench.chance(eu, both);
  assert.ok(Math.abs(euGuess - euChance) < 0.03, `EU guesses ${euGuess} vs chance ${euChance}`);
});
