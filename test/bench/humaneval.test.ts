import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'node:test';
import { samplesDir } from '../../src/core/paths.js';
import { MasaError } from '../../src/core/errors.js';
import {
  buildProgram,
  extractCode,
  findCodeUpstream,
  humaneval,
  HUMANEVAL_DEFAULTS,
  loadHumanEval,
  parseHumanEval,
  promptPreamble,
  upstreamProgram,
  type HumanEvalItem,
} from '../../src/bench/humaneval.js';
import { scorePolicies } from '../../src/bench/policies.js';
import { getBenchmark } from '../../src/bench/registry.js';
import { meanPassAtK, passAtK } from '../../src/bench/passk.js';

const SAMPLES = join(samplesDir(), 'HumanEval');
const trial = { index: 0, permutation: null };
const items = loadHumanEval(SAMPLES);
const byId = (id: string): HumanEvalItem => items.find((i) => i.id === id)!;

test('registry: humaneval is an SA pass@1 benchmark', () => {
  const b = getBenchmark('humaneval');
  assert.equal(b, humaneval);
  assert.equal(b.group, 'SA');
  assert.equal(b.pillar, 'single-agent');
  assert.equal(b.metric, 'pass@1');
  assert.equal(b.dataset, 'HumanEval');
  assert.equal(b.chance(items, HUMANEVAL_DEFAULTS), 0);
  for (const k of Object.keys(HUMANEVAL_DEFAULTS)) assert.ok(k in humaneval.optionDocs, k);
});

test('loader: samples parse with ids, sources, and the same items from .jsonl.gz', () => {
  assert.deepEqual(
    items.map((i) => i.id),
    ['Sample/0', 'Sample/1', 'Sample/2', 'Sample/3'],
  );
  assert.match(items[1]!.source, /HumanEval\.jsonl:2$/);
  assert.equal(items[1]!.entry_point, 'running_max');
  const dir = mkdtempSync(join(tmpdir(), 'masa-he-'));
  try {
    writeFileSync(join(dir, 'HumanEval.jsonl.gz'), gzipSync(readFileSync(join(SAMPLES, 'HumanEval.jsonl'))));
    const gz = loadHumanEval(dir);
    assert.deepEqual(
      gz.map((i) => [i.id, i.prompt, i.test]),
      items.map((i) => [i.id, i.prompt, i.test]),
    );
    assert.throws(() => loadHumanEval(join(dir, 'nowhere')), MasaError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loader: a missing field or duplicate id names file:line', () => {
  assert.throws(() => parseHumanEval('{"task_id":"a","prompt":"","entry_point":"f"}\n', 'x.jsonl'), /x\.jsonl:1: field "test"/);
  const line = JSON.stringify({ task_id: 'a', prompt: 'def f():\n', entry_point: 'f', test: 'def check(c): pass' });
  assert.throws(() => parseHumanEval(`${line}\n${line}\n`, 'x.jsonl'), /x\.jsonl:2: duplicate task_id a/);
  assert.throws(() => parseHumanEval(line.replace('"f"', '"f; import os"'), 'x.jsonl'), /not a Python name/);
});

test('messages: the signature and docstring in one python block, asking for the whole function', () => {
  const m = humaneval.messages(byId('Sample/1'), trial, HUMANEVAL_DEFAULTS);
  assert.equal(m.length, 1);
  assert.equal(m[0]!.role, 'user');
  assert.ok(m[0]!.content.includes('```python\nfrom typing import List\n\n\ndef running_max('));
  assert.match(m[0]!.content, /complete function/);
  assert.ok(m[0]!.content.endsWith('"""\n```'));
});

test('extract: fenced block defining the entry point wins over others', () => {
  const r = 'Here:\n```python\nprint("demo")\n```\nand\n```python\ndef f(x):\n    return x\n```\nDone.';
  assert.deepEqual(extractCode(r, 'f'), { answer: 'def f(x):\n    return x', rule: 'fenced-function' });
  assert.deepEqual(extractCode('```py\n    return 1\n```', 'f'), { answer: '    return 1', rule: 'fenced-body' });
  // A truncated response: the block runs to the end.
  assert.deepEqual(extractCode('```python\ndef f():\n    return 2\n', 'f'), { answer: 'def f():\n    return 2', rule: 'fenced-function' });
  // Reasoning before </think> is ignored.
  assert.equal(extractCode('<think>```python\ndef f(): return 0\n```</think>```python\ndef f(): return 1\n```', 'f').answer, 'def f(): return 1');
});

test('extract: bare code, prose before a bare function, bodies keep their indentation, empty is none', () => {
  assert.deepEqual(extractCode('Sure, here it is:\nimport math\ndef f(x):\n    return math.sqrt(x)', 'f'), {
    answer: 'import math\ndef f(x):\n    return math.sqrt(x)',
    rule: 'bare-function',
  });
  assert.deepEqual(extractCode('\n\n  return 1\n', 'f'), { answer: '  return 1', rule: 'bare-body' });
  assert.deepEqual(extractCode('\treturn 1', 'f'), { answer: '\treturn 1', rule: 'bare-body' });
  assert.deepEqual(extractCode('   \n', 'f'), { answer: null, rule: 'none' });
  assert.deepEqual(extractCode('```python\n```', 'f'), { answer: null, rule: 'none' });
  // A whole function indented as a block is dedented; an indented body stays a body.
  assert.deepEqual(extractCode('1. Code:\n   ```python\n   def f(x):\n       return x\n   ```', 'f'), { answer: 'def f(x):\n    return x', rule: 'fenced-function' });
  assert.deepEqual(extractCode('    x = 1\n    return x', 'f'), { answer: '    x = 1\n    return x', rule: 'bare-body' });
  // `def fx(` is not `def f(`.
  assert.equal(extractCode('def fx():\n    pass', 'f').rule, 'bare-body');
});

test('buildProgram: full functions get the prompt preamble (imports, helpers); bodies follow the prompt', () => {
  const helper = byId('Sample/2');
  assert.ok(promptPreamble(helper).includes('def digit_sum'));
  assert.ok(!promptPreamble(helper).includes('def sort_by_digit_sum'));
  const full = buildProgram(helper, 'def sort_by_digit_sum(values):\n    return sorted(values, key=digit_sum)');
  assert.ok(full.startsWith(promptPreamble(helper)));
  assert.ok(full.endsWith('\n\ncheck(sort_by_digit_sum)\n'));
  assert.ok(full.includes(helper.test));
  const typed = byId('Sample/1');
  assert.ok(buildProgram(typed, 'def running_max(numbers: List[int]) -> List[int]:\n    return []').startsWith('from typing import List'));
  // A flush-left body is re-indented under the prompt's signature.
  assert.ok(buildProgram(byId('Sample/0'), "return 0").includes('    """\n    return 0\n'));
  assert.ok(buildProgram(byId('Sample/0'), null).startsWith(byId('Sample/0').prompt + '\n\n'));
});

test('pass@k: the unbiased estimator (values from the closed form)', () => {
  assert.equal(passAtK(6, 3, 1), 0.5);
  assert.equal(passAtK(10, 0, 5), 0);
  assert.equal(passAtK(10, 6, 5), 1);
  // 1 - C(7,2)/C(10,2) = 1 - 21/45
  assert.ok(Math.abs(passAtK(10, 3, 2) - 24 / 45) < 1e-12);
  // 1 - C(190,100)/C(200,100) = 1 - prod_{i=191..200} (1 - 100/i)
  let prod = 1;
  for (let i = 191; i <= 200; i++) prod *= 1 - 100 / i;
  assert.ok(Math.abs(passAtK(200, 10, 100) - (1 - prod)) < 1e-12);
  assert.equal(meanPassAtK([{ n: 2, c: 1 }, { n: 2, c: 2 }], 1), 0.75);
  assert.throws(() => passAtK(2, 3, 1), RangeError);
  assert.throws(() => passAtK(2, 1, 3), RangeError);
});

test('reduce and trials: mean of n samples for pass@1, pass@k when asked, generation hints follow n', () => {
  const item = byId('Sample/0');
  const t = (correct: boolean) => ({ extracted: null, rule: 'x', gold: 'pass', correct });
  assert.equal(humaneval.reduce(item, [t(true), t(false), t(false), t(true)], HUMANEVAL_DEFAULTS), 0.5);
  const k2 = { ...HUMANEVAL_DEFAULTS, samples: 4, pass_k: 2 };
  assert.ok(Math.abs(humaneval.reduce(item, [t(true), t(false), t(false), t(false)], k2) - 0.5) < 1e-12);
  assert.throws(() => humaneval.reduce(item, [t(true)], k2), /needs at least 2 samples/);
  assert.equal(humaneval.trials(item, k2).length, 4);
  assert.equal(humaneval.generation(HUMANEVAL_DEFAULTS).temperature, 0);
  assert.equal(humaneval.generation(k2).temperature, 0.8);
});

test('score (sandbox): sample canonical solutions pass; empty, broken, wrong and null responses fail', async () => {
  const runs = items.flatMap((it) => [
    { it, response: it.canonical_solution, want: 'passed' },
    { it, response: '', want: 'failed' },
    { it, response: `def ${it.entry_point}(:\n    return`, want: 'failed' },
    { it, response: `\`\`\`python\ndef ${it.entry_point}(*args):\n    return None\n\`\`\``, want: 'failed' },
  ]);
  const scores = await Promise.all(runs.map((r) => humaneval.score(r.it, r.response, trial, HUMANEVAL_DEFAULTS)));
  scores.forEach((s, i) => {
    assert.equal(s.status, runs[i]!.want, `${runs[i]!.it.id} ${JSON.stringify(runs[i]!.response)}: ${s.detail}`);
    assert.equal(s.correct, runs[i]!.want === 'passed');
    assert.equal(s.gold, 'pass');
  });
  assert.match(scores[2]!.detail!, /SyntaxError/);
  assert.match(scores[3]!.detail!, /AssertionError \(line \d+: assert candidate/);
  const none = await humaneval.score(items[0]!, null, trial, HUMANEVAL_DEFAULTS);
  assert.equal(none.correct, false);
  // A whole function in a chat reply, helper taken from the prompt.
  const chat = await humaneval.score(
    byId('Sample/2'),
    'Use the helper:\n```python\ndef sort_by_digit_sum(values: list) -> list:\n    return sorted(values, key=digit_sum)\n```',
    trial,
    HUMANEVAL_DEFAULTS,
  );
  assert.equal(chat.status, 'passed', chat.detail);
  assert.equal(chat.rule, 'fenced-function');
});

// Cases read off simple-evals humaneval_eval.py find_code @ 093107e0 and human-eval's check_program.
test('upstream policy: find_code keeps the first ```python block and cuts through the first ":\\n    "', () => {
  assert.equal(findCodeUpstream('Here:\n```python\ndef f(x):\n    return x\n```\nmore\n```python\nx = 1\n```'), '    return x\n');
  // no "```python\n" block: the whole response; no ":\n    ": find() is -1 and the first character goes
  assert.equal(findCodeUpstream('```py\ndef f(x):\n    return x\n```'), '    return x\n```');
  assert.equal(findCodeUpstream('return 1'), 'eturn 1');
  // a helper before the entry point: the cut lands inside the helper
  assert.equal(findCodeUpstream('```python\ndef helper(x):\n    return x\n\ndef f(x):\n    return helper(x)\n```'), '    return x\n\ndef f(x):\n    return helper(x)\n');
  const it = items[0]!;
  assert.equal(upstreamProgram(it, '    return 0\n'), `${it.prompt}    return 0\n\n${it.test}\ncheck(${it.entry_point})`);
});

test('policies (sandbox): a helper before the entry point passes robust, fails upstream; one run when both build the same program', async () => {
  const it = byId('Sample/0');
  const withHelper =
    '```python\ndef is_vowel(ch: str) -> bool:\n    return ch.lower() in "aeiou"\n\n\ndef count_vowels(text: str) -> int:\n    return sum(1 for ch in text if is_vowel(ch))\n```';
  const both = await scorePolicies(humaneval, it, withHelper, trial, HUMANEVAL_DEFAULTS);
  assert.equal(both.robust.status, 'passed', both.robust.detail);
  assert.notEqual(both.upstream.status, 'passed');
  assert.equal(both.upstream.rule, 'find-code');
  // The canonical whole function in a python block passes both.
  const plain = `\`\`\`python\n${it.prompt}${it.canonical_solution}\`\`\``;
  const ok = await scorePolicies(humaneval, it, plain, trial, HUMANEVAL_DEFAULTS);
  assert.deepEqual([ok.upstream.correct, ok.robust.correct], [true, true]);
});
