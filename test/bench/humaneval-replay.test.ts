import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { humaneval, HUMANEVAL_DEFAULTS, parseHumanEval } from '../../src/bench/humaneval.js';
import { sharedReplay } from '../helpers.js';

// Recorded model outputs with published scores (../shared/replay/HumanEval, README §3),
// re-executed in the sandbox.
const replay = sharedReplay();
const skip = replay.skip;
const dir = (sub: string) => join(replay.dir!, 'HumanEval', sub);

function rows<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

test('openai/human-eval example samples: pass@1 = 0.5 as its README states', { skip }, async () => {
  const problemFile = join(dir('openai-human-eval-examples'), 'example_problem.jsonl');
  const [problem] = parseHumanEval(readFileSync(problemFile, 'utf8'), problemFile);
  const samples = rows<{ task_id: string; completion: string }>(join(dir('openai-human-eval-examples'), 'example_samples.jsonl'));
  assert.equal(samples.length, 6);
  // Upstream's timeout is 3 s of wall time; the sample that sleeps 10 s must time out.
  const options = { ...HUMANEVAL_DEFAULTS, samples: samples.length, wall_timeout_s: 3 };
  const scores = await Promise.all(samples.map((s, index) => humaneval.score(problem!, s.completion, { index, permutation: null }, options)));
  assert.deepEqual(
    scores.map((s) => s.status),
    ['failed', 'timeout', 'failed', 'passed', 'passed', 'passed'],
  );
  assert.equal(humaneval.reduce(problem!, scores, options), 0.5);
});

interface ReflexionRow {
  task_id: string;
  prompt: string;
  entry_point: string;
  test: string;
  canonical_solution: string;
  solution: string;
  is_solved: boolean;
}

async function replayFile(file: string) {
  const items = parseHumanEval(readFileSync(file, 'utf8'), file);
  const recorded = rows<ReflexionRow>(file);
  const scores = await Promise.all(items.map((it, i) => humaneval.score(it, recorded[i]!.solution, { index: 0, permutation: null }, HUMANEVAL_DEFAULTS)));
  const disagree = scores.flatMap((s, i) => (s.correct !== recorded[i]!.is_solved ? [{ id: items[i]!.id, status: s.status, detail: s.detail }] : []));
  return { passed: scores.filter((s) => s.correct).length, recorded: recorded.filter((r) => r.is_solved).length, disagree };
}

test('Reflexion GPT-4 solutions: 150/164 pass in the sandbox, as recorded (91% pass@1 published)', { skip }, async () => {
  const r = await replayFile(join(dir('noahshinn-reflexion-gpt4'), 'reflexion_gpt-4_pass_at_1.jsonl'));
  assert.equal(r.recorded, 150);
  assert.deepEqual(r.disagree, []);
  assert.equal(r.passed, 150);
});

test('simple GPT-4 solutions: 140/164 here vs 141 recorded, the one difference explained', { skip }, async () => {
  const r = await replayFile(join(dir('noahshinn-reflexion-gpt4'), 'simple_gpt-4_pass_at_1.jsonl'));
  assert.equal(r.recorded, 141);
  assert.equal(r.passed, 140);
  // HumanEval/133's solution imports math only inside a stub function, then redefines the
  // function without it. Reflexion's py_evaluate ran exec(code, globals()), where `math` was
  // already imported, so it passed there; upstream's exec in a fresh namespace (and masa)
  // raise NameError.
  assert.equal(r.disagree.length, 1);
  assert.equal(r.disagree[0]!.id, 'HumanEval/133');
  assert.match(r.disagree[0]!.detail ?? '', /NameError: name 'math' is not defined/);
});
