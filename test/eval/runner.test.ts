import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runEval, type EvalConfig } from '../../src/eval/runner.js';
import { listRuns, readRecords } from '../../src/eval/store.js';
import type { SampleRecord } from '../../src/eval/records.js';
import { benchmark as arith } from './arith-bench.js';
import { arithmeticAnswer, startFakeServer, type ChatRequestBody } from './fake-server.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'masa-eval-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function itemOf(body: ChatRequestBody): string {
  const m = /Compute (\d+) \+ (\d+)/.exec(body.messages[0]!.content)!;
  return `${m[1]}+${m[2]}`;
}

function cfg(url: string | string[], out: string, extra: Partial<EvalConfig> = {}): EvalConfig {
  return {
    model: 'm',
    endpoints: Array.isArray(url) ? url : [url],
    benches: [arith],
    out,
    progress: 'none',
    preset: null,
    backoffBaseMs: 20,
    backoffMaxMs: 200,
    log: () => {},
    ...extra,
  };
}

async function records(out: string): Promise<SampleRecord[]> {
  const all: SampleRecord[] = [];
  for (const run of listRuns(out)) for await (const r of readRecords(run.dir)) all.push(r);
  return all;
}

test('429 with Retry-After, 500s and timeouts: every item completes, retries honour Retry-After', async () => {
  const firstSeen = new Map<string, number>();
  const seen = new Map<string, number[]>();
  const server = await startFakeServer({
    latencyMs: 2,
    fault: (_n, body) => {
      const k = itemOf(body);
      const times = seen.get(k) ?? [];
      times.push(Date.now());
      seen.set(k, times);
      if (!firstSeen.has(k)) firstSeen.set(k, times.length);
      const idx = Number(/Compute (\d+)/.exec(body.messages[0]!.content)![1]) % 10;
      if (times.length === 1 && idx === 1) return { status: 429, retryAfter: '1' };
      if (times.length === 1 && idx === 2) return { status: 500 };
      if (times.length === 1 && idx === 3) return { status: 503 };
      if (times.length <= 2 && idx === 4) return { hang: true };
      return null;
    },
  });
  try {
    const out = tmp();
    const res = await runEval(cfg(server.url, out, { options: { '*': { n: 60 } }, concurrency: 8, timeoutMs: 300 }));
    const r = res.runs[0]!;
    assert.equal(r.errors, 0);
    assert.equal(r.missing, 0);
    assert.equal(r.n, 60);
    const recs = await records(out);
    assert.equal(recs.length, 60);
    assert.ok(recs.some((x) => x.attempts === 3), 'hung twice, answered on the third attempt');
    for (const [k, times] of seen) {
      const a = Number(k.split('+')[0]) % 10;
      if (a === 1) {
        assert.equal(times.length, 2);
        assert.ok(times[1]! - times[0]! >= 990, `Retry-After honoured for ${k}: ${times[1]! - times[0]!} ms`);
      }
    }
  } finally {
    await server.close();
  }
});

test('an item waiting for its retry does not hold the slot', async () => {
  const order: string[] = [];
  let first = true;
  const server = await startFakeServer({
    latencyMs: 10,
    fault: (_n, body) => {
      order.push(itemOf(body));
      if (first) {
        first = false;
        return { status: 429, retryAfter: '1' };
      }
      return null;
    },
  });
  try {
    const out = tmp();
    const t0 = Date.now();
    await runEval(cfg(server.url, out, { options: { '*': { n: 6 } }, concurrency: 1, minConcurrency: 1 }));
    const elapsed = Date.now() - t0;
    // With one slot: the throttled item goes first and last; the five others ran during its wait.
    assert.equal(order.length, 7);
    assert.equal(order[0], order[6]);
    assert.equal(new Set(order.slice(1, 6)).size, 5);
    assert.ok(elapsed < 1800, `elapsed ${elapsed}`);
  } finally {
    await server.close();
  }
});

test('an item that keeps failing is recorded with its reason, and a rerun retries only it', async () => {
  let broken = true;
  const server = await startFakeServer({
    fault: (_n, body) => {
      const k = itemOf(body);
      if (broken && k === '74+20') return { status: 500, message: 'engine exploded' };
      if (k === '37+64') return { status: 400, message: 'maximum context length exceeded' };
      return null;
    },
  });
  try {
    const out = tmp();
    const res = await runEval(cfg(server.url, out, { options: { '*': { n: 5 } }, maxAttempts: 3 }));
    const r = res.runs[0]!;
    assert.equal(r.errors, 2);
    assert.equal(r.n, 3);
    let recs = await records(out);
    const failed = recs.filter((x) => x.error !== null);
    assert.equal(failed.length, 2);
    const five = failed.find((x) => x.item_id === 'q2')!;
    assert.equal(five.attempts, 3);
    assert.match(five.error!, /gave up after 3 attempts: 500 engine exploded/);
    const four = failed.find((x) => x.item_id === 'q1')!;
    assert.equal(four.attempts, 1);
    assert.match(four.error!, /not retried: 400/);
    broken = false;
    const before = server.stats.chat;
    const res2 = await runEval(cfg(server.url, out, { options: { '*': { n: 5 } }, maxAttempts: 3 }));
    assert.equal(server.stats.chat - before, 2, 'only the two failed items are requested again');
    assert.equal(res2.runs[0]!.errors, 1);
    assert.equal(res2.runs[0]!.n, 4);
    recs = await records(out);
    assert.equal(recs.length, 7);
  } finally {
    await server.close();
  }
});

test('reasoning fields, <think> tags and finish_reason length', async () => {
  const server = await startFakeServer({
    respond: (body) => {
      const a = arithmeticAnswer(body).content!;
      const idx = Number(/Compute (\d+)/.exec(body.messages[0]!.content)![1]) % 4;
      if (idx === 0) return { content: `\n\n${a}`, reasoning: 'thinking hard', reasoningFields: ['reasoning'] };
      if (idx === 1) return { content: `<think>scratch 12345</think>${a}` };
      if (idx === 2) return { content: `<think>\nstill thinking 999`, finish_reason: 'length' };
      return { content: a, reasoning: 'old field', reasoningFields: ['reasoning_content'], finish_reason: 'length' };
    },
  });
  try {
    const out = tmp();
    const res = await runEval(cfg(server.url, out, { options: { '*': { n: 12 } } }));
    const recs = await records(out);
    const byKind = (re: RegExp) => recs.filter((r) => r.reasoning !== null && re.test(r.reasoning));
    for (const r of byKind(/thinking hard/)) {
      assert.equal(r.truncated, false);
      assert.match(r.response!, /^The answer is/);
    }
    for (const r of byKind(/scratch 12345/)) {
      assert.equal(r.truncated, false);
      assert.doesNotMatch(r.response!, /12345/);
      assert.notEqual(r.extracted, '12345');
    }
    for (const r of byKind(/still thinking/)) {
      assert.equal(r.truncated, true);
      assert.equal(r.response, null);
      assert.equal(r.correct, false);
      assert.equal(r.extracted, null);
    }
    for (const r of byKind(/old field/)) {
      assert.equal(r.truncated, true);
      assert.equal(r.finish_reason, 'length');
      assert.equal(r.correct, false, 'a cut response is scored as no answer even if it holds the right number');
    }
    assert.equal(res.runs[0]!.truncated, recs.filter((r) => r.truncated).length);
    assert.ok(res.runs[0]!.truncated >= 4);
  } finally {
    await server.close();
  }
});

test('the API key is never written: records, meta, errors and logs are redacted', async () => {
  const key = 'sk-test-VERYSECRET-0123456789';
  const server = await startFakeServer({ apiKey: key, echoAuth: true, fault: (n) => (n % 7 === 3 ? { status: 500 } : null) });
  const logs: string[] = [];
  try {
    const out = tmp();
    await runEval(cfg(server.url, out, { apiKey: key, options: { '*': { n: 20 } }, maxAttempts: 1, log: (m) => logs.push(m) }));
    const recs = await records(out);
    assert.ok(recs.some((r) => r.error !== null && r.error.includes('[REDACTED]')), 'the echoed key was in an error');
    assert.ok(recs.some((r) => r.response?.includes('[REDACTED]')), 'the echoed key was in a response');
    for (const run of listRuns(out)) {
      for (const f of readdirSync(run.dir)) assert.ok(!readFileSync(join(run.dir, f), 'utf8').includes(key), `${f} holds the key`);
    }
    assert.ok(!logs.join('\n').includes(key));
    // Without the key the server refuses: a fatal error whose message holds no key either.
    await assert.rejects(runEval(cfg(server.url, tmp(), { apiKey: 'sk-wrong-key-but-long-enough' })), (e: Error) => !e.message.includes(key) && /401/.test(e.message));
  } finally {
    await server.close();
  }
});

test('several endpoints share the load', async () => {
  const a = await startFakeServer({ latencyMs: 5 });
  const b = await startFakeServer({ latencyMs: 5 });
  try {
    const out = tmp();
    await runEval(cfg([a.url, b.url], out, { options: { '*': { n: 80 } }, concurrency: 4 }));
    assert.equal(a.stats.chat + b.stats.chat, 80);
    assert.ok(a.stats.chat >= 25 && b.stats.chat >= 25, `${a.stats.chat} / ${b.stats.chat}`);
    assert.ok(a.stats.maxInFlight <= 4 && b.stats.maxInFlight <= 4);
  } finally {
    await a.close();
    await b.close();
  }
});

test('a dead endpoint among live ones: items go to the live one', async () => {
  const a = await startFakeServer({ latencyMs: 2 });
  const dead = await startFakeServer();
  const deadUrl = dead.url;
  await dead.close();
  try {
    const out = tmp();
    const res = await runEval(cfg([a.url, deadUrl], out, { options: { '*': { n: 30 } }, concurrency: 4 }));
    assert.equal(res.runs[0]!.errors, 0);
    assert.equal(res.runs[0]!.n, 30);
  } finally {
    await a.close();
  }
});

test('a torn last line is set aside and reported, never merged', async () => {
  const server = await startFakeServer();
  try {
    const out = tmp();
    await runEval(cfg(server.url, out, { options: { '*': { n: 10 } } }));
    const run = listRuns(out)[0]!;
    appendFileSync(join(run.dir, 'samples.jsonl'), '{"v":1,"run_id":"x","item_id":"q1","request_ke');
    const logs: string[] = [];
    const res = await runEval(cfg(server.url, out, { options: { '*': { n: 10 } }, log: (m) => logs.push(m) }));
    assert.ok(logs.some((l) => /torn last line/.test(l)));
    const torn = readdirSync(run.dir).filter((f) => f.startsWith('samples.torn-'));
    assert.equal(torn.length, 1);
    assert.equal(readFileSync(join(run.dir, torn[0]!), 'utf8'), '{"v":1,"run_id":"x","item_id":"q1","request_ke');
    assert.equal(res.runs[0]!.n, 10);
    assert.equal((await records(out)).length, 10);
    assert.ok(readFileSync(join(run.dir, 'samples.jsonl'), 'utf8').endsWith('\n'));
  } finally {
    await server.close();
  }
});

test('stopping (Ctrl-C) finishes what is in flight, records it, and a rerun completes without repeats', async () => {
  const server = await startFakeServer({ latencyMs: 20 });
  try {
    const out = tmp();
    const drain = new AbortController();
    setTimeout(() => drain.abort(), 150);
    const res = await runEval(cfg(server.url, out, { options: { '*': { n: 200 } }, concurrency: 4, drainSignal: drain.signal }));
    assert.equal(res.interrupted, true);
    const partial = (await records(out)).length;
    assert.ok(partial > 0 && partial < 200, `partial ${partial}`);
    assert.equal(server.stats.chat, partial, 'every request sent was recorded');
    const res2 = await runEval(cfg(server.url, out, { options: { '*': { n: 200 } }, concurrency: 8 }));
    assert.equal(res2.interrupted, false);
    const recs = await records(out);
    assert.equal(recs.length, 200);
    assert.equal(new Set(recs.map((r) => r.item_id)).size, 200);
    assert.equal(server.stats.chat, 200);
  } finally {
    await server.close();
  }
});

test('a router that throttles above its capacity: the limit backs off, every item completes', async () => {
  const capacity = 4;
  let srv: Awaited<ReturnType<typeof startFakeServer>> | null = null;
  srv = await startFakeServer({
    latencyMs: 15,
    fault: () => (srv!.stats.inFlight > capacity ? { status: 429, retryAfter: '0', delayMs: 0 } : null),
  });
  try {
    const out = tmp();
    const res = await runEval(cfg(srv.url, out, { options: { '*': { n: 150 } }, concurrency: 16, minConcurrency: 2, maxAttempts: 30 }));
    assert.equal(res.runs[0]!.errors, 0);
    assert.equal(res.runs[0]!.n, 150);
    const meta = listRuns(out)[0]!.meta!;
    const stats = meta.sessions![0]!.endpoint_stats as Array<{ limit_history: Array<[number, number]>; failures: Record<string, number> }>;
    assert.ok(stats[0]!.failures['429']! > 0);
    assert.ok(stats[0]!.limit_history.some(([, l]) => l < 16), `limit history ${JSON.stringify(stats[0]!.limit_history)}`);
  } finally {
    await srv.close();
  }
});
