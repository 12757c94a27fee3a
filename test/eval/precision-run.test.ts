// Precision-targeted runs end to end (runner, records, meta, resume to a tighter target) and
// the request sharing and ordering that must not change keys or records.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runEval, type EvalConfig } from '../../src/eval/runner.js';
import { listRuns, readMeta, readRecords } from '../../src/eval/store.js';
import type { SampleRecord } from '../../src/eval/records.js';
import { stratifiedOrder } from '../../src/eval/order.js';
import type { AnyBenchmark } from '../../src/bench/types.js';
import { benchmark as arith } from './arith-bench.js';
import { startFakeServer, type ChatRequestBody } from './fake-server.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'masa-precision-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function cfg(url: string, out: string, extra: Partial<EvalConfig> = {}): EvalConfig {
  return { model: 'm', endpoints: [url], benches: [arith], out, progress: 'none', preset: null, log: () => {}, ...extra };
}

async function records(out: string): Promise<SampleRecord[]> {
  const all: SampleRecord[] = [];
  for (const run of listRuns(out)) for await (const r of readRecords(run.dir)) all.push(r);
  return all;
}

test('--target-ci stops a run early on the stratified order; a tighter target continues it; a looser one requests nothing', async () => {
  const server = await startFakeServer();
  try {
    const out = tmp();
    const logs: string[] = [];
    const base = cfg(server.url, out, { options: { '*': { n: 4000 } }, concurrency: 16, log: (m) => logs.push(m) });
    const first = await runEval({ ...base, targetCi: 0.05 });
    const r1 = first.runs[0]!;
    assert.ok(r1.precision, 'summary says it is a precision run');
    const p1 = r1.precision!;
    assert.equal(p1.stopped, true);
    assert.ok(p1.stopped_at! >= 100 && p1.stopped_at! < 4000, `stopped at ${p1.stopped_at}`);
    assert.ok(p1.half_width < 0.05);
    assert.equal(r1.missing, 0, 'items the rule did not need are not missing');
    assert.equal(r1.n, p1.items);
    assert.ok(r1.ci_low <= p1.cs_low && r1.ci_high >= p1.cs_high, 'the reported interval covers the confidence sequence');
    assert.match(p1.method, /Waudby-Smith & Ramdas/);
    assert.ok(logs.some((l) => /stopped by precision at \d+ of 4000 items/.test(l)), logs.join('\n'));
    const recs1 = await records(out);
    // Few requests beyond the stop: the window in progress and what was in flight.
    assert.ok(recs1.length < p1.stopped_at! * 1.25 + 64, `${recs1.length} records for a stop at ${p1.stopped_at}`);
    // The records are the first items of the stratified order, each with its rank.
    const items = await arith.load('', { n: 4000, trials: 1 });
    const order = stratifiedOrder(items, 0).map((i) => i.id);
    for (const r of recs1) assert.equal(order[r.rank!], r.item_id);
    const meta = readMeta(listRuns(out)[0]!.dir)!;
    assert.equal(meta.precision!.stopped, true);
    assert.equal(meta.precision!.population, 4000);
    assert.equal(meta.sessions!.at(-1)!.precision!.items, p1.items);

    const before = server.stats.chat;
    const tighter = await runEval({ ...base, targetCi: 0.03 });
    const p2 = tighter.runs[0]!.precision!;
    assert.ok(p2.items > p1.items && p2.half_width < 0.03, `${p2.items} items, half-width ${p2.half_width}`);
    const recs2 = await records(out);
    assert.equal(new Set(recs2.map((r) => r.request_key)).size, recs2.length, 'no item was requested twice');
    assert.equal(server.stats.chat - before, recs2.length - recs1.length);

    const looser = await runEval({ ...base, targetCi: 0.05 });
    assert.equal((await records(out)).length, recs2.length, 'a looser target requests nothing');
    assert.ok(looser.runs[0]!.precision!.items >= p2.items, 'and throws nothing away');
    assert.equal(looser.runs[0]!.n, tighter.runs[0]!.n);
  } finally {
    await server.close();
  }
});

test('trials with one prompt share a request: n under sampling, one answer under greedy decoding; same keys and records as unshared', async () => {
  const server = await startFakeServer();
  server.keepBodies(true);
  try {
    const opts = { options: { '*': { n: 30, trials: 3 } }, generation: { temperature: 0.7 } };
    const shared = tmp();
    await runEval(cfg(server.url, shared, opts));
    const sent = server.received.splice(0);
    assert.equal(sent.length, 30, 'one request per item');
    assert.ok(sent.every((b) => b.n === 3));
    const plain = tmp();
    await runEval(cfg(server.url, plain, { ...opts, shareTrials: false }));
    assert.equal(server.received.splice(0).length, 90);
    const a = await records(shared);
    const b = await records(plain);
    const view = (r: SampleRecord): string => `${r.request_key}|${r.item_id}|${r.trial}|${r.response}|${r.correct}`;
    assert.deepEqual(a.map(view).sort(), b.map(view).sort());
    assert.ok(a.every((r) => r.shared && r.shared.n === 3 && r.shared.choice === r.shared.index));
    assert.equal(a.reduce((s, r) => s + r.usage!.completion_tokens, 0), b.reduce((s, r) => s + r.usage!.completion_tokens, 0), 'completion tokens split, not duplicated');

    const greedy = tmp();
    await runEval(cfg(server.url, greedy, { options: opts.options, greedy: true }));
    const g = server.received.splice(0);
    assert.equal(g.length, 30);
    assert.ok(g.every((x: ChatRequestBody) => x.n === undefined && x.temperature === 0), 'vLLM refuses n > 1 when greedy');
    const gr = await records(greedy);
    assert.equal(gr.length, 90);
    assert.ok(gr.every((r) => r.shared!.choice === 0));
  } finally {
    await server.close();
  }
});

/** Items whose prompts share one of six long "stories", interleaved in plan order (story = i % 6). */
const stories: AnyBenchmark = {
  ...arith,
  id: 'stories',
  async load(_dir: string, options: { n: number }) {
    return Array.from({ length: options.n }, (_, i) => ({ id: `s${i}`, tags: {}, cluster: `s${i}`, source: 'test', a: i, b: i % 6 }));
  },
  messages(item: { a: number; b: number }) {
    return [{ role: 'user', content: `${`Story ${item.b}. `.repeat(40)}Question ${item.a}: compute ${item.a} + 0.` }];
  },
};

test('the requests in hand are sent so prompts sharing a prefix follow each other; the records are those of plan order', async () => {
  const server = await startFakeServer();
  server.keepBodies(true);
  const storyOf = (b: ChatRequestBody): number => Number(/^Story (\d+)/.exec(b.messages[0]!.content)![1]);
  try {
    const ordered = tmp();
    await runEval(cfg(server.url, ordered, { benches: [stories], options: { '*': { n: 120 } }, concurrency: 1 }));
    const seen = server.received.splice(0).map(storyOf);
    const runs = seen.filter((s, i) => i === 0 || s !== seen[i - 1]!).length;
    assert.equal(runs, 6, `one run of requests per story: ${seen.join('')}`);
    const arrival = tmp();
    await runEval(cfg(server.url, arrival, { benches: [stories], options: { '*': { n: 120 } }, concurrency: 1, order: 'arrival' }));
    const plan = server.received.splice(0).map(storyOf);
    assert.deepEqual(plan.slice(0, 12), [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5], 'arrival: plan order');
    const view = (r: SampleRecord): string => `${r.request_key}|${r.response}|${r.correct}`;
    assert.deepEqual((await records(ordered)).map(view).sort(), (await records(arrival)).map(view).sort());
    const meta = readMeta(listRuns(arrival)[0]!.dir)!;
    assert.equal(meta.sessions!.at(-1)!.order, 'arrival');
    assert.equal(meta.sessions!.at(-1)!.requests_sent, 120);
  } finally {
    await server.close();
  }
});
