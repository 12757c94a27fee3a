import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { exportBatch, importBatch, parseCustomId } from '../../src/eval/batch.js';
import { runEval } from '../../src/eval/runner.js';
import { listRuns, readRecords } from '../../src/eval/store.js';
import type { SampleRecord } from '../../src/eval/records.js';
import { benchmark as arith } from './arith-bench.js';
import { arithmeticAnswer, startFakeServer, type ChatRequestBody } from './fake-server.js';

const root = mkdtempSync(join(tmpdir(), 'masa-batch-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A stand-in for `vllm run-batch`: posts each request to a local server, writes run-batch output lines in input order. */
async function fakeRunBatch(input: string, output: string, baseUrl: string, failIds: Set<string> = new Set()): Promise<void> {
  const lines = readFileSync(input, 'utf8').split('\n').filter((l) => l !== '');
  const outLines: string[] = [];
  let k = 0;
  for (const l of lines) {
    const req = JSON.parse(l) as { custom_id: string; url: string; body: ChatRequestBody };
    const id = `vllm-${(k++).toString(16).padStart(32, '0')}`;
    if (failIds.has(req.custom_id)) {
      outLines.push(JSON.stringify({ id, custom_id: req.custom_id, response: { status_code: 400, request_id: `vllm-batch-${id}`, body: null }, error: { error: { message: 'maximum context length', type: 'BadRequestError', param: null, code: 400 } } }));
      continue;
    }
    const res = await fetch(baseUrl.replace(/\/v1$/, '') + req.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req.body) });
    outLines.push(JSON.stringify({ id, custom_id: req.custom_id, response: { status_code: res.status, request_id: `vllm-batch-${id}`, body: await res.json() }, error: null }));
  }
  writeFileSync(output, outLines.join('\n') + '\n');
}

async function recs(out: string): Promise<SampleRecord[]> {
  const all: SampleRecord[] = [];
  for (const run of listRuns(out)) for await (const r of readRecords(run.dir)) all.push(r);
  return all;
}

test('export -> run-batch -> import gives the same records and scores as an online run', async () => {
  // Reasoning and truncation go through the same path in both modes.
  const server = await startFakeServer({
    respond: (body) => {
      const a = arithmeticAnswer(body);
      const x = Number(/Compute (\d+)/.exec(body.messages[0]!.content)![1]);
      if (x % 3 === 0) return { ...a, content: `<think>hmm</think>${a.content}` };
      if (x % 7 === 0) return { ...a, finish_reason: 'length' };
      return a;
    },
  });
  try {
    const common = { model: 'm', benches: [arith], options: { '*': { n: 40, trials: 2 } }, preset: null, seed: 3 };
    const online = join(root, 'online');
    const on = await runEval({ ...common, endpoints: [server.url], out: online, progress: 'none', log: () => {} });

    const offline = join(root, 'offline');
    const requests = join(root, 'requests.jsonl');
    const outputs = join(root, 'outputs.jsonl');
    const ex = await exportBatch({ ...common, out: offline, output: requests });
    assert.equal(ex.requests, 80);
    const first = JSON.parse(readFileSync(requests, 'utf8').split('\n')[0]!) as { custom_id: string; method: string; url: string; body: ChatRequestBody };
    assert.equal(first.method, 'POST');
    assert.equal(first.url, '/v1/chat/completions');
    assert.equal(parseCustomId(first.custom_id)!.runId, on.runs[0]!.run_id, 'same run id offline and online');
    await fakeRunBatch(requests, outputs, server.url);
    const im = await importBatch({ input: outputs, out: offline, benches: [arith] });
    assert.equal(im.imported, 80);
    assert.deepEqual(im.rejected, []);
    const a = on.runs[0]!;
    const b = im.runs[0]!;
    assert.equal(b.accuracy, a.accuracy);
    assert.equal(b.n, a.n);
    assert.equal(b.truncated, a.truncated);
    assert.ok(a.truncated > 0);
    const key = (r: SampleRecord): string => `${r.request_key} ${r.correct} ${r.extracted} ${r.response} ${r.reasoning} ${r.truncated}`;
    assert.deepEqual((await recs(offline)).map(key).sort(), (await recs(online)).map(key).sort());

    // Importing the same file again adds nothing.
    const again = await importBatch({ input: outputs, out: offline, benches: [arith] });
    assert.equal(again.imported, 0);
    assert.equal(again.duplicates, 80);
  } finally {
    await server.close();
  }
});

test('failed batch lines become error records; re-export asks only for them', async () => {
  const server = await startFakeServer();
  try {
    const out = join(root, 'retry');
    const requests = join(root, 'r1.jsonl');
    const outputs = join(root, 'o1.jsonl');
    const cfg = { model: 'm', benches: [arith], options: { '*': { n: 10 } }, preset: null, out };
    await exportBatch({ ...cfg, output: requests });
    const ids = readFileSync(requests, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { custom_id: string }).custom_id);
    await fakeRunBatch(requests, outputs, server.url, new Set(ids.slice(0, 2)));
    const im = await importBatch({ input: outputs, out, benches: [arith] });
    assert.equal(im.runs[0]!.errors, 2);
    assert.match((await recs(out)).find((r) => r.error !== null)!.error!, /400 maximum context length/);
    const ex2 = await exportBatch({ ...cfg, output: join(root, 'r2.jsonl') });
    assert.equal(ex2.requests, 2);
    // Lines from another run or garbage are rejected, not imported.
    writeFileSync(join(root, 'bad.jsonl'), '{"custom_id":"other-42","response":null,"error":null}\nnot json\n');
    const bad = await importBatch({ input: join(root, 'bad.jsonl'), out, benches: [arith] });
    assert.equal(bad.rejected.length, 2);
  } finally {
    await server.close();
  }
});
