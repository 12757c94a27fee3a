import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  COORDINATIONQA_DEFAULTS,
  coordinationqa,
  extractCoordRobust,
  extractCoordUpstream,
  loadCoordinationQa,
  parseCoordinationQaCsv,
  parseOptions,
  ratio,
  tokenSetRatio,
  upstreamActionList,
  weightedRatio,
  type CoordinationQaItem,
  type CoordinationQaOptions,
} from '../../src/bench/coordinationqa.js';
import { summarizeBench } from '../../src/bench/summary.js';
import { letterAt } from '../../src/bench/choices.js';
import type { TrialScore } from '../../src/bench/types.js';
import { samplesDir } from '../../src/core/paths.js';
import { mulberry32 } from '../../src/core/rng.js';
import { sharedDatasets, sharedReplay } from '../helpers.js';

const shared = sharedDatasets();
const replay = sharedReplay();
const opts = COORDINATIONQA_DEFAULTS;

function itemScores(items: CoordinationQaItem[], answer: (it: CoordinationQaItem) => string, o: CoordinationQaOptions = opts) {
  return items.map((it) => {
    const trials = coordinationqa.trials(it, o).map((t) => coordinationqa.score(it, answer(it), t, o) as TrialScore);
    return { id: it.id, score: coordinationqa.reduce(it, trials, o), cluster: it.cluster, tags: it.tags };
  });
}
const mean = (xs: { score: number }[]): number => xs.reduce((a, b) => a + b.score, 0) / xs.length;

test('fuzzy ratios behave like fuzzywuzzy on simple cases', () => {
  assert.equal(ratio('abc', 'abc'), 100);
  assert.equal(ratio('abcd', 'abce'), 75);
  assert.equal(tokenSetRatio('onion pot the in put', 'put the onion in the pot'), 100);
  assert.ok(weightedRatio('Put my onion in the pot', 'put my onion in the pot.') === 100);
  assert.ok(weightedRatio('move to room 2', 'Move to Room 2.') > weightedRatio('move to room 2', 'Move to Room 4.'));
});

const OPTIONS = ['Put my onion in the pot.', 'Drop my onion on the counter.', 'Walk to the serving counter.', 'Wait.'];
const QUESTION = `Where should I go?\nAvailable Actions:\n${OPTIONS.map((o, k) => `${letterAt(k)}. ${o}`).join('\n')}`;

// Cases read off main.py find_answer_fuzzy @ 0ef4fc81, rule by rule.
test('upstream policy: find_answer_fuzzy case by case', () => {
  const x = (r: string) => extractCoordUpstream(r, QUESTION);
  // 1. text after the first "Action:", else "Answer:"; 2. the first ([A-Z])[.)] in it
  assert.deepEqual(x('Explanation: the pot needs one more.\nAction: A. Put my onion in the pot.'), { answer: 'A', rule: 'after-label-letter' });
  assert.deepEqual(x('Explanation: Bob is far.\nAnswer: C) Walk'), { answer: 'C', rule: 'after-label-letter' });
  assert.equal(x('Action: A.\nOn reflection, Action: B.').answer, 'A');
  assert.equal(x('Answer: D.\nAction: B.').answer, 'B'); // "Action:" is searched first
  assert.equal(x('Action:\nB.').answer, 'B'); // \s* crosses the newline
  // no label: the whole response, any capital followed by . or )
  assert.equal(x('(B)').answer, 'B');
  assert.equal(x('I choose D.').answer, 'D');
  assert.equal(x('Explanation: Option B. is risky.\nAction: A.').answer, 'A');
  assert.equal(x('Plan: I. go. Then D.').answer, 'I'); // a letter out of prose, past the options
  // 3. no letter: fuzzy over upstream's option list
  assert.deepEqual(x('Explanation: finish the soup.\nAction: put my onion in the pot'), { answer: 'A', rule: 'fuzzy' });
  assert.deepEqual(x('Action: walk to the serving counter!'), { answer: 'C', rule: 'fuzzy' });
  assert.equal(x('Action: b. drop my onion on the counter').answer, 'B'); // ^[a-z]\.\s* stripped
  // the issue's case: a bare letter without full stop goes to the fuzzy matcher
  assert.equal(x('Explanation: the counter is free.\nAnswer: B').rule, 'fuzzy');
  // an empty answer: every score 0, extractOne returns the first option
  assert.deepEqual(x('Action:'), { answer: 'A', rule: 'fuzzy' });
  assert.deepEqual(x(''), { answer: 'A', rule: 'fuzzy' });
  // a question without "actions"/"answer": extractOne over [] fails, scored wrong
  assert.deepEqual(extractCoordUpstream('Action: go', 'Where to?'), { answer: null, rule: 'error' });
});

test('upstream policy: the option list is every non-empty line after the lower-cased marker', () => {
  assert.deepEqual(upstreamActionList(QUESTION), OPTIONS.map((o) => o.toLowerCase()));
  // A marker line ending in two spaces leaves a blank first option (seven real questions): letters shift.
  const q = 'What now?\nAvailable Actions:  \nA. pick up onion from o0.\nB. wait.\n';
  assert.deepEqual(upstreamActionList(q), ['', 'pick up onion from o0.', 'wait.']);
  assert.equal(extractCoordUpstream('Action: wait', q).answer, 'C');
  assert.equal(extractCoordRobust('Action: wait', ['pick up onion from o0.', 'wait.']).answer, 'B');
});

test('upstream policy: gold letters split at "," untrimmed ("D, F" accepts D only); robust trims', () => {
  const items = loadCoordinationQa(join(samplesDir(), 'CoordinationQA'), opts);
  const it = items[4]!; // "B, E" in the sample
  assert.equal(it.goldRaw, 'B, E');
  const t = { index: 0, permutation: null };
  assert.equal((coordinationqa.score(it, 'Answer: B.', t, opts, 'upstream') as TrialScore).correct, true);
  assert.equal((coordinationqa.score(it, 'Answer: E.', t, opts, 'upstream') as TrialScore).correct, false);
  assert.equal((coordinationqa.score(it, 'Answer: E.', t, opts, 'robust') as TrialScore).correct, true);
});

test('robust policy: the last cue, bare or wrapped letters in range, full option text, never fuzzy', () => {
  const x = (r: string) => extractCoordRobust(r, OPTIONS);
  assert.deepEqual(x('Explanation: the counter is free.\nAnswer: B'), { answer: 'B', rule: 'cue-letter' });
  assert.equal(x('Answer: b').answer, 'B');
  assert.equal(x('**Action:** (C)').answer, 'C');
  assert.equal(x('action: D.').answer, 'D');
  assert.equal(x('Action: A.\nOn reflection, Action: B.').answer, 'B');
  assert.deepEqual(x('Action: Walk to the serving counter.'), { answer: 'C', rule: 'cue-text' });
  assert.equal(x('Action: Walk to the serving counter, since Bob holds the soup.').answer, 'C');
  // no fuzzy guess from a paraphrase, no letter out of prose, nothing from nothing
  assert.deepEqual(x('Action: head over to where customers are served'), { answer: null, rule: 'none' });
  assert.deepEqual(x('I. go. Then D.'), { answer: null, rule: 'none' });
  assert.deepEqual(x('Action: Because the pot is full'), { answer: null, rule: 'none' });
  assert.deepEqual(x('Action: E.'), { answer: null, rule: 'none' }); // past the four options
  assert.deepEqual(x(''), { answer: null, rule: 'none' });
  // without a cue: "the answer is", a lone letter line
  assert.equal(x('I think the answer is C.').answer, 'C');
  assert.equal(x('Reasoning...\n\n**D**').answer, 'D');
});

test('samples: 20-column upstream layout, multi-letter golds, message layout', () => {
  const items = loadCoordinationQa(join(samplesDir(), 'CoordinationQA'), opts);
  assert.deepEqual(items.map((i) => i.id), ['0-EC', '0-TOM', '0-JP', '1-EC', '1-TOM', '1-JP']);
  assert.deepEqual(items[1]!.gold, ['A', 'C']);
  assert.deepEqual(items[4]!.gold, ['B', 'E']); // "B, E"
  assert.deepEqual(items[0]!.options, ['None', 'One', 'Two', 'Three']);
  assert.deepEqual(items[0]!.tags, { type: 'EC', game: 'Overcooked' });
  assert.equal(items[0]!.cluster, items[2]!.cluster);
  const m = coordinationqa.messages(items[2]!, { index: 0, permutation: null }, opts);
  assert.deepEqual(m.map((x) => x.role), ['system', 'user', 'assistant', 'user']);
  assert.equal(m[2]!.content, 'Got it!');
  assert.match(m[3]!.content, /Available Actions:\nA\. Put my onion/);
  assert.deepEqual(coordinationqa.generation(opts), { temperature: 0.6, top_p: 0.9, max_tokens: 1000 });
  const s = coordinationqa.score(items[1]!, 'Answer: C. Pick up a dish.', { index: 0, permutation: null }, opts) as TrialScore;
  assert.deepEqual([s.extracted, s.gold, s.correct], ['C', 'A,C', true]);
  assert.equal(mean(itemScores(items, (it) => `Answer: ${it.gold[0]}.`)), 1);
  assert.equal(loadCoordinationQa(join(samplesDir(), 'CoordinationQA'), { ...opts, types: ['JP'] }).length, 2);
  assert.equal(coordinationqa.reduce(items[0]!, [{ correct: true }, { correct: false }, { correct: true }] as TrialScore[], opts), 2 / 3);
  assert.throws(() => parseCoordinationQaCsv('EC Question,Game\nq,Hanabi\n', 'x.csv'), /x\.csv: missing column/);
});

test('parseOptions letters options by position and reports printed labels', () => {
  const p = parseOptions('Q?\nAvailable Answers:\nA. Yes\nB. Maybe\nB. No\n');
  assert.deepEqual(p, { options: ['Yes', 'Maybe', 'No'], labels: ['A', 'B', 'B'] });
});

test('real file: 198 items, ids match the derived file, the two out-of-range golds reported', { skip: shared.skip }, () => {
  const dir = join(shared.dir!, 'CoordinationQA');
  const items = loadCoordinationQa(dir, opts);
  assert.equal(items.length, 198);
  for (const t of ['EC', 'TOM', 'JP']) assert.equal(items.filter((i) => i.type === t).length, 66);
  const games: Record<string, number> = {};
  for (const i of items.filter((x) => x.type === 'EC')) games[i.game] = (games[i.game] ?? 0) + 1;
  assert.deepEqual(games, { Hanabi: 28, Overcooked: 20, CollabGames: 18 });
  // cross-check with the derived JSONL (not upstream, but parsed independently)
  const derived = readFileSync(join(dir, 'derived', 'coordinationqa_198.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  for (const d of derived) {
    const it = items.find((i) => i.id === d.id);
    assert.ok(it, d.id);
    assert.deepEqual(it.gold, d.answer_ordinals, d.id);
    assert.deepEqual(it.options, d.options.map((o: string) => o.replace(/^[A-Z]\.\s*/, '').trim()), d.id);
    assert.equal(it.question, d.question);
  }
  assert.equal(items.filter((i) => i.gold.length > 1).length, 23);
  const outOfRange = items.filter((i) => /past the/.test(i.issue ?? '')).map((i) => i.id);
  assert.deepEqual(outOfRange, ['50-EC', '56-EC']);
  assert.deepEqual(items.find((i) => i.id === '50-EC')!.gold, ['C']);
  const fixed = loadCoordinationQa(dir, { ...opts, fixGold: true });
  assert.deepEqual(fixed.find((i) => i.id === '50-EC')!.gold, ['B']);
  assert.deepEqual(fixed.find((i) => i.id === '56-EC')!.gold, ['C']);
  assert.equal(items.filter((i) => i.issue).length, 8); // + 6 questions whose printed option letters skip or repeat

  // gold fed back: under upstream 1.0 (the stored out-of-range letter itself matches); under
  // robust, which reads letters within the options only, the two unanswerable items score 0
  const gold = (it: CoordinationQaItem) => `Explanation: x\nAnswer: ${it.gold[0]}.`;
  const upScores = items.map((it) => (coordinationqa.score(it, gold(it), { index: 0, permutation: null }, opts, 'upstream') as TrialScore).correct);
  assert.equal(upScores.filter(Boolean).length, 198);
  assert.equal(mean(itemScores(items, gold)), 196 / 198);
  assert.equal(mean(itemScores(fixed, gold, { ...opts, fixGold: true })), 1);
  // a correct answer by option text cannot match the out-of-range golds
  const byText = itemScores(items, (it) => `Answer: ${it.answerText}`);
  assert.equal(byText.find((s) => s.id === '50-EC')!.score, 0);
  // uniform guesses → chance
  const chance = coordinationqa.chance(items, opts);
  const rng = mulberry32(3);
  const guesses = mean(itemScores(items, (it) => `Answer: ${letterAt(rng.int(it.options.length))}.`));
  assert.ok(Math.abs(guesses - chance) < 0.04, `guesses ${guesses} vs chance ${chance}`);
  assert.ok(chance > 0.2 && chance < 0.25, `chance ${chance}`);
  const summary = summarizeBench('coordinationqa', itemScores(items, gold));
  assert.deepEqual(Object.keys(summary.subscores.type!).sort(), ['EC', 'JP', 'TOM']);
  assert.equal(summary.clusters, 66);
});

test('replay (upstream policy): recorded GPT-4-0125 trial-0 letters score EC 56, ToM 35, JP 24 of 66 on the 2024-03-02 questions', { skip: replay.skip }, () => {
  const dir = join(replay.dir!, 'CoordinationQA', 'eric-ai-lab-llm_coordination');
  const file = join(dir, 'single_turn_trials_march_2.csv');
  const { items } = parseCoordinationQaCsv(readFileSync(file, 'utf8'), file);
  const rec = JSON.parse(readFileSync(join(dir, 'gpt4_0125_trial0_parsed_letters.json'), 'utf8')) as {
    items: Array<{ scenario_index: number; qtype: string; gold_ordinals: string; pred_ordinal: string }>;
  };
  assert.equal(rec.items.length, 198);
  const scores = rec.items.map((r) => {
    const it = items.find((i) => i.id === `${r.scenario_index}-${r.qtype}`)!;
    assert.equal(it.gold.join(','), r.gold_ordinals.split(',').map((g) => g.trim()).join(','), it.id);
    const s = coordinationqa.score(it, `Answer: ${r.pred_ordinal}.`, { index: 0, permutation: null }, opts, 'upstream') as TrialScore;
    return { id: it.id, score: s.correct ? 1 : 0, cluster: it.cluster, tags: it.tags };
  });
  const summary = summarizeBench('coordinationqa', scores);
  assert.equal(summary.subscores.type!.EC!.correct, 56);
  assert.equal(summary.subscores.type!.TOM!.correct, 35);
  assert.equal(summary.subscores.type!.JP!.correct, 24);
  assert.equal(summary.correct, 115);
});
