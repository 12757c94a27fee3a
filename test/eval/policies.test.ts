// Both extraction policies through the whole pipeline: the simulator answers, masa eval records
// both verdicts, --extraction changes neither a request nor the run id, summarize and audit read
// either policy from the same records, and records written before both were kept are rescored.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditKind, auditResults } from '../../src/analysis/audit.js';
import { summarizeResults } from '../../src/analysis/summarize-results.js';
import type { RunSummary } from '../../src/eval/summarize.js';
import { runEval } from '../../src/eval/runner.js';
import type { SampleRecord } from '../../src/eval/records.js';
import { startSimulator } from '../../src/sim/server.js';
import { TEST_MODELS, fixedProfile } from '../sim/helpers.js';

const catalog = TEST_MODELS;

function records(dir: string): SampleRecord[] {
  return readdirSync(dir).flatMap((run) =>
    readFileSync(join(dir, run, 'samples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SampleRecord),
  );
}

test('one run serves both policies: both verdicts recorded, --extraction changes no request and no run id', async () => {
  const sim = await startSimulator({ models: TEST_MODELS, profile: fixedProfile(0.6), seed: 3 });
  const out = mkdtempSync(join(tmpdir(), 'masa-policies-'));
  try {
    const common = { model: 'sim/test-7b', endpoints: [sim.url], benches: ['coordinationqa', 'gpqa-diamond', 'emobench'], out, seed: 1, progress: 'none' as const, log: () => {} };
    const first = await runEval({ ...common });
    const asked = sim.stats().requests;
    const again = await runEval({ ...common, extraction: 'upstream' });
    assert.equal(sim.stats().requests, asked, 'no request under the other policy');
    assert.deepEqual(again.runs.map((r) => r.run_id), first.runs.map((r) => r.run_id));
    for (const [a, b] of (first.runs as RunSummary[]).map((r, i) => [r, again.runs[i] as RunSummary] as const)) {
      assert.equal(a.extraction, 'robust');
      assert.equal(b.extraction, 'upstream');
      assert.equal(b.accuracy, a.accuracy_upstream, a.bench);
      assert.equal(a.accuracy, a.accuracy_robust, a.bench);
    }
    const recs = records(out);
    assert.ok(recs.length > 0);
    for (const r of recs.filter((x) => x.error === null)) {
      assert.equal(r.extraction, 'robust');
      assert.ok(r.policies, r.item_id);
      // The top level is the robust verdict.
      assert.equal(r.correct, r.policies!.robust.correct);
      assert.equal(r.extracted, r.policies!.robust.extracted);
    }
    // summarize: both accuracies always; --extraction picks `accuracy`.
    const rob = await summarizeResults(out, { catalog });
    const up = await summarizeResults(out, { catalog, extraction: 'upstream' });
    for (const [r, u] of rob.rows.map((x, i) => [x, up.rows[i]!] as const)) {
      assert.equal(r.accuracy, r.accuracy_robust);
      assert.equal(u.accuracy, r.accuracy_upstream);
      assert.equal(u.accuracy_robust, r.accuracy_robust);
      assert.equal(r.rescored, 0);
    }
    // audit: every trial the two policies score differently is listed, no other.
    const audit = await auditResults(out, { examples: 100 });
    const differ = recs.filter((x) => x.error === null && !x.truncated && x.policies!.upstream.correct !== x.policies!.robust.correct).length;
    const listed = audit.groups.filter((g) => g.kind === 'disagree').reduce((s, g) => s + g.upstream_only + g.robust_only, 0);
    assert.equal(listed, differ);
    assert.equal(audit.totals.truncated, recs.filter((x) => x.error === null && x.truncated).length);

    // Strip the verdicts as an older masa wrote them: summarize rescores them from the responses.
    for (const run of readdirSync(out)) {
      const f = join(out, run, 'samples.jsonl');
      const lines = readFileSync(f, 'utf8').trim().split('\n').map((l) => {
        const { policies: _p, extraction: _e, ...old } = JSON.parse(l) as SampleRecord;
        return JSON.stringify(old);
      });
      writeFileSync(f, lines.join('\n') + '\n');
    }
    const warnings: string[] = [];
    const old = await summarizeResults(out, { catalog, onWarning: (w) => warnings.push(w) });
    assert.deepEqual(old.rows.map((r) => [r.accuracy_upstream, r.accuracy_robust]), rob.rows.map((r) => [r.accuracy_upstream, r.accuracy_robust]));
    assert.ok(old.rows.every((r) => (r.rescored ?? 0) > 0));
    assert.ok(warnings.some((w) => /rescored from their stored responses \(no request\)/.test(w)));
    const oldAudit = await auditResults(out, { examples: 100 });
    assert.deepEqual(oldAudit.totals, audit.totals);
  } finally {
    await sim.close();
    rmSync(out, { recursive: true, force: true });
  }
});

test('audit kinds: truncated first, then a disagreement in verdict or in finding an answer, then none found', () => {
  const v = (extracted: string | null, correct: boolean) => ({ extracted, rule: 'r', correct, status: null });
  assert.equal(auditKind(true, v('A', true), v('A', true)), 'truncated');
  assert.equal(auditKind(false, v('A', false), v('A', true)), 'disagree');
  assert.equal(auditKind(false, v(null, false), v('B', false)), 'disagree');
  assert.equal(auditKind(false, v(null, false), v(null, false)), 'no-answer');
  assert.equal(auditKind(false, v('B', false), v('C', false)), null);
  assert.equal(auditKind(false, v('A', true), v('A', true)), null);
});
