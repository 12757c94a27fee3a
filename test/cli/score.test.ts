import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { toShownLetter } from '../../src/bench/choices.js';
import { loadItems } from '../../src/bench/data.js';
import type { GpqaItem } from '../../src/bench/gpqa-diamond.js';
import type { MmluProItem } from '../../src/bench/mmlu-pro.js';
import { getBenchmark } from '../../src/bench/registry.js';
import { mapBounded, parseBenchOptions, parseResponseLine, rescore } from '../../src/bench/rescore.js';
import { sharedDatasets } from '../helpers.js';

const shared = sharedDatasets();
const tmp = mkdtempSync(join(tmpdir(), 'masa-score-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function masa(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [resolve('bin/masa.mjs'), ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function writeJsonl(name: string, rows: unknown[]): string {
  const f = join(tmp, name);
  writeFileSync(f, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return f;
}

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

test('mmlu-pro end to end: gold answers score 1.0, a constant letter scores near chance', { skip: shared.skip }, () => {
  const bench = getBenchmark('mmlu-pro');
  const items = readFileSync(join(shared.dir!, 'MMLU-Pro', 'test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const gold = writeJsonl('mp-gold.jsonl', [...items.map((i) => ({ id: String(i.question_id), response: `The answer is (${i.answer}).` })), { id: 'no-such-item', response: 'A' }]);
  const out = join(tmp, 'mp-verdicts.jsonl');
  const r = masa('score', '--bench', bench.id, '--responses', gold, '--data', shared.dir!, '--out', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const s = lastJson(r.stdout);
  assert.equal(s.bench, 'mmlu-pro');
  assert.equal(s.n, 12032);
  assert.equal(s.correct, 12032);
  assert.equal(s.accuracy, 1);
  assert.equal(s.stderr, 0);
  assert.deepEqual(s.unknown_ids, ['no-such-item']);
  assert.match(r.stderr, /1 id\(s\) not in mmlu-pro: no-such-item/);
  assert.equal(Object.keys(s.subscores as object).join(), 'category');
  const verdicts = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(verdicts.length, 12032);
  assert.deepEqual(Object.keys(verdicts[0]).sort(), ['correct', 'extracted', 'extraction', 'gold', 'id', 'permutation', 'policies', 'rule', 'status', 'trial']);
  assert.deepEqual(Object.keys(verdicts[0].policies).sort(), ['robust', 'upstream']);

  const constant = writeJsonl('mp-const.jsonl', items.map((i) => ({ id: String(i.question_id), response: 'the answer is (C)' })));
  const c = lastJson(masa('score', '--bench', 'mmlu-pro', '--responses', constant, '--data', shared.dir!, '--json').stdout);
  assert.ok(Math.abs((c.accuracy as number) - (c.chance as number)) < 0.03, `${c.accuracy} vs chance ${c.chance}`);
  assert.ok((c.ci_low as number) < (c.accuracy as number) && (c.accuracy as number) < (c.ci_high as number));
});

test('gpqa-diamond: gold fed back through the recorded permutations scores 1.0; a constant letter about 0.25', { skip: shared.skip }, async () => {
  const bench = getBenchmark('gpqa-diamond');
  const options = { ...bench.defaultOptions, repeats: 4 };
  const { items } = await loadItems(bench, options, shared.dir!);
  assert.equal(items.length, 198);
  const goldRows: unknown[] = [];
  const constRows: unknown[] = [];
  for (const item of items as GpqaItem[]) {
    for (const t of bench.trials(item, options)) {
      goldRows.push({ id: item.id, trial: t.index, permutation: t.permutation, response: `Reasoning.\nAnswer: ${toShownLetter('A', t)}` });
      constRows.push({ id: item.id, trial: t.index, response: 'Answer: B' });
    }
  }
  const g = lastJson(masa('score', '--bench', 'gpqa-diamond', '--responses', writeJsonl('g-gold.jsonl', goldRows), '--data', shared.dir!, '--option', 'repeats=4', '--json').stdout);
  assert.equal(g.n, 198);
  assert.equal(g.responses, 792);
  assert.equal(g.accuracy, 1);
  // Constant "B" with only the trial index: masa re-derives the seeded permutation of each trial.
  const c = lastJson(masa('score', '--bench', 'gpqa-diamond', '--responses', writeJsonl('g-const.jsonl', constRows), '--data', shared.dir!, '--option', 'repeats=4', '--json').stdout);
  assert.ok(Math.abs((c.accuracy as number) - 0.25) < 0.05, String(c.accuracy));
  assert.equal(c.chance, 0.25);
  assert.deepEqual(Object.keys(c.subscores as object).sort(), ['domain', 'subdomain']);
});

test('gpqa without trial/permutation is scored in upstream order (correct answer = A) and says so', async () => {
  const bench = getBenchmark('gpqa-diamond');
  const { items } = await loadItems(bench, bench.defaultOptions);
  const lines = items.map((i, k) => ({ where: `r.jsonl:${k + 1}`, line: parseResponseLine({ id: i.id, response: 'Answer: A' }, `r.jsonl:${k + 1}`) }));
  const res = await rescore(bench, items, lines, bench.defaultOptions);
  assert.equal(res.summary.accuracy, 1);
  assert.equal(res.unshuffled, items.length);
  assert.ok(res.verdicts.every((v) => v.permutation === null));
});

test('samples: constant letter and gold on the hand-written MMLU-Pro items (no ../shared needed)', async () => {
  const bench = getBenchmark('mmlu-pro');
  const { items, location } = await loadItems(bench, bench.defaultOptions);
  assert.equal(location.origin === 'samples' || location.origin === 'fetched', true);
  const gold = (items as MmluProItem[]).map((i, k) => ({ where: `g:${k + 1}`, line: { id: i.id, response: `the answer is (${i.answer})` } }));
  assert.equal((await rescore(bench, items, gold, bench.defaultOptions)).summary.accuracy, 1);
});

test('rescore rejects duplicates and bad permutations, naming file:line', async () => {
  const bench = getBenchmark('gpqa-diamond');
  const { items } = await loadItems(bench, bench.defaultOptions);
  const id = items[0]!.id;
  const dup = [
    { where: 'r.jsonl:1', line: { id, response: 'Answer: A', trial: 0 } },
    { where: 'r.jsonl:2', line: { id, response: 'Answer: B', trial: 0 } },
  ];
  await assert.rejects(rescore(bench, items, dup, bench.defaultOptions), /r\.jsonl:2: second response for id .* trial 0 \(first at r\.jsonl:1\)/);
  const badPerm = [{ where: 'r.jsonl:3', line: { id, response: 'x', permutation: [0, 0, 1, 2] } }];
  await assert.rejects(rescore(bench, items, badPerm, bench.defaultOptions), /r\.jsonl:3: "permutation" \[0,0,1,2\] is not a permutation of 0\.\.3/);
  const badTrial = [{ where: 'r.jsonl:4', line: { id, response: 'x', trial: 3 } }];
  await assert.rejects(rescore(bench, items, badTrial, bench.defaultOptions), /r\.jsonl:4: trial 3 is not one of the 1 trial\(s\)/);
  assert.throws(() => parseResponseLine({ id: 'x' }, 'r.jsonl:5'), /r\.jsonl:5: "response" missing/);
  assert.throws(() => parseResponseLine({ response: 'x' }, 'r.jsonl:6'), /r\.jsonl:6: "id" missing/);
  assert.throws(() => parseResponseLine({ id: 'x', response: 'y', trial: -1 }, 'r.jsonl:7'), /"trial" is not a non-negative integer/);
});

test('--option values are typed by the benchmark defaults and checked', () => {
  const bench = getBenchmark('mmlu-pro');
  assert.deepEqual(parseBenchOptions(bench, ['shots=5', 'random_guess=true']), { shots: 5, random_guess: true });
  assert.throws(() => parseBenchOptions(bench, ['shots=3']), /--option shots: '3' is not one of 0, 5/);
  assert.throws(() => parseBenchOptions(bench, ['shots=five']), /expected a number/);
  assert.throws(() => parseBenchOptions(bench, ['fallbacks=yes']), /expected true or false/);
  assert.throws(() => parseBenchOptions(bench, ['nope=1']), /mmlu-pro has no such option \(known: shots, fallbacks, random_guess, patches\)/);
  assert.throws(() => parseBenchOptions(bench, ['shots']), /expected key=value/);
});

test('CLI errors: a bad input line names file:line; --unsafe-exec on a non-code benchmark; unknown bench', () => {
  const f = join(tmp, 'bad.jsonl');
  writeFileSync(f, '{"id": "9001", "response": "the answer is (C)"}\n{"id": 9002, "response": \n');
  const r = masa('score', '--bench', 'mmlu-pro', '--responses', f);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not valid JSON`));
  const u = masa('score', '--bench', 'mmlu-pro', '--responses', f, '--unsafe-exec');
  assert.equal(u.status, 2);
  assert.match(u.stderr, /--unsafe-exec does not apply to mmlu-pro/);
  const m = masa('score', '--bench', 'nope', '--responses', f);
  assert.match(m.stderr, /unknown benchmark 'nope'/);
  const missing = masa('score', '--bench', 'mmlu-pro', '--responses', join(tmp, 'absent.jsonl'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /absent\.jsonl: no such file/);
});

test('text summary on the samples', () => {
  const f = writeJsonl('s.jsonl', [
    { id: '9001', response: 'the answer is (C)' },
    { id: '9004', response: 'the answer is (A)' },
  ]);
  const r = masa('score', '--bench', 'mmlu-pro', '--responses', f, '--data', resolve('data/samples'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /accuracy \(robust\): 1\/2 = 50\.00%/);
  assert.match(r.stdout, /category=history: 0\/1/);
  assert.match(r.stdout, /4 of 6 items had no response/);
});

test('rescore scores with bounded concurrency and keeps verdicts in input order', async () => {
  const base = getBenchmark('mmlu-pro');
  const { items } = await loadItems(base, base.defaultOptions as Record<string, unknown>);
  let inFlight = 0;
  let peak = 0;
  let calls = 0;
  // Later lines finish first, so input order can only come from the bookkeeping, not from timing.
  const slow = {
    ...base,
    async score(...a: Parameters<typeof base.score>) {
      const k = calls++;
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 40 - 5 * (k % 8)));
      inFlight--;
      return base.score(...a);
    },
  } as typeof base;
  assert.ok(items.length >= 6);
  const lines = items.map((it, i) => ({ where: `f:${i + 1}`, line: parseResponseLine({ id: it.id, response: `The answer is (${'ABCD'[i % 4]}).` }, 'x') }));
  const opts = { ...(base.defaultOptions as Record<string, unknown>) };
  const sequential = await rescore(base, items, lines, opts, { concurrency: 1 });
  const parallel = await rescore(slow, items, lines, opts, { concurrency: 4 });
  assert.equal(peak, 8, 'four responses scored at once (both policies each), never more');
  assert.deepEqual(parallel.verdicts, sequential.verdicts);
  assert.deepEqual(parallel.summary, sequential.summary);
  assert.deepEqual(parallel.verdicts.map((v) => v.id), lines.map((l) => l.line.id));
});

test('mapBounded: results in order, at most `limit` pending, the earliest failure is thrown', async () => {
  let pending = 0;
  let peak = 0;
  const out = await mapBounded([5, 4, 3, 2, 1, 0], 3, async (x) => {
    pending++;
    peak = Math.max(peak, pending);
    await new Promise((r) => setTimeout(r, x * 3));
    pending--;
    return x * 10;
  });
  assert.deepEqual(out, [50, 40, 30, 20, 10, 0]);
  assert.equal(peak, 3);
  await assert.rejects(
    mapBounded([30, 1, 2], 3, async (x) => {
      await new Promise((r) => setTimeout(r, x));
      throw new Error(`fail ${x}`);
    }),
    /fail 30/,
  );
});
