import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { analyzePair } from '../../src/analysis/analyze-pair.js';
import { groupsCsv, readScoresCsv } from '../../src/analysis/load-scores.js';
import type { GroupScoreRow } from '../../src/analysis/tables.js';
import { normals } from './reference.js';
import { writeSyntheticRuns } from './synthetic-runs.js';

const root = mkdtempSync(join(tmpdir(), 'masa-analyze-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));

function masa(...args: string[]) {
  return spawnSync(process.execPath, ['bin/masa.mjs', ...args], { encoding: 'utf8', timeout: 120_000 });
}

const n = 24;
const z = normals(n, 81);
const rows: GroupScoreRow[] = z.map((v, i) => {
  const sa = Math.min(0.9, Math.max(0.1, 0.5 + 0.18 * v));
  return {
    model: `sim/m${i}`, family: i % 2 ? 'Qwen' : 'Llama', generation: `G${i % 3}`, generation_rank: (i % 3) + 1,
    params_b: 2 ** (i % 8), active_params_b: 2 ** (i % 8), release_date: '2024-01', synthetic: true,
    sa, sa_stderr: 0.01, ma_u: 0.3 + 0.3 * sa + 0.04 * normals(n, 82)[i]!, ma_u_stderr: 0.01,
    ma_p: i === 5 ? null : 0.25 + 0.05 * normals(n, 83)[i]!, ma_p_stderr: i === 5 ? null : 0.01,
    sa_benchmarks: 'a+b', ma_u_benchmarks: 'c', ma_p_benchmarks: 'd',
    ma_c: null, ma_c_stderr: null, ma_a: null, ma_a_stderr: null, ma_p_play: null, ma_p_play_stderr: null,
    ma_c_benchmarks: '', ma_a_benchmarks: '', ma_p_play_benchmarks: '',
  };
});
const groupsFile = join(root, 'groups.csv');
writeFileSync(groupsFile, groupsCsv(rows));

test('masa analyze --json: last stdout line holds the documented fields, equal to the library result', () => {
  const r = masa('analyze', '--scores', groupsFile, '--x', 'sa', '--y', 'ma_u', '--seed', '3', '--resamples', '300', '--permutations', '300', '--floor', '0.25', '--json');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  const j = JSON.parse(lines[lines.length - 1]!);
  assert.equal(j.n, n);
  for (const k of ['pearson', 'spearman', 'kendall']) {
    assert.equal(typeof j[k].p, 'number');
    assert.equal(j[k].ci.length, 2);
  }
  assert.equal(typeof j.pearson.r, 'number');
  assert.equal(typeof j.spearman.rho, 'number');
  assert.equal(typeof j.kendall.tau, 'number');
  assert.equal(typeof j.partial_log_params.r, 'number');
  assert.equal(typeof j.partial_log_params.p, 'number');
  for (const k of ['a', 'b', 'r2', 'aic']) {
    assert.equal(typeof j.fits.linear[k], 'number');
    assert.equal(typeof j.fits.log[k], 'number');
  }
  for (const k of ['floor', 'w', 'c', 'r2', 'aic']) assert.equal(typeof j.fits.logistic[k], 'number');
  assert.equal(typeof j.fits.logistic.se.w, 'number');
  assert.equal(j.fits.logistic.floor, 0.25);
  assert.ok(j.elasticity.slope > 0 && j.elasticity.slope < 1 && j.elasticity.p_below_1 < 0.05, 'MA-U gains ~0.3 per SA point');
  assert.equal(j.synthetic, true);
  assert.match(r.stdout, /synthetic data/);
  const { records } = readScoresCsv(groupsFile);
  const lib = analyzePair('sa', 'ma_u', records.map((m) => m.sa as number), records.map((m) => m.ma_u as number), {
    seed: 3, resamples: 300, permutations: 300, floor: 0.25, size: records.map((m) => m.params_b as number),
  });
  assert.equal(j.pearson.r, lib.pearson.r);
  assert.deepEqual(j.pearson.ci, lib.pearson.ci);
  assert.equal(j.fits.logistic.w, lib.fits.logistic!.w);
});

test('masa analyze --by family reports each family; NaN rows are dropped and counted', () => {
  const r = masa('analyze', '--scores', groupsFile, '--x', 'sa', '--y', 'ma_p', '--by', 'family', '--resamples', '200', '--permutations', '200', '--claims', '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(j.n, n - 1);
  assert.equal(j.dropped, 1);
  assert.deepEqual(Object.keys(j.by.family).sort(), ['Llama', 'Qwen']);
  assert.equal(j.by.family.Qwen.n + j.by.family.Llama.n, n - 1);
  assert.match(j.floor_note, /fitted within/);
  assert.match(r.stdout, /family Llama/);
  assert.equal(j.claims.length, 8);
  assert.ok(j.claims.every((c: { verdict: string; synthetic: boolean }) => ['reproduced', 'not reproduced', 'not testable'].includes(c.verdict) && c.synthetic));
  assert.match(r.stdout, /\[U\] qwen-sa-generations: /);
});

test('masa analyze errors: unknown column, constant column', () => {
  let r = masa('analyze', '--scores', groupsFile, '--x', 'sa', '--y', 'nope');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /no column 'nope'/);
  const flat = join(root, 'flat.csv');
  writeFileSync(flat, groupsCsv(rows.map((x) => ({ ...x, ma_u: 0.5 }))));
  r = masa('analyze', '--scores', flat, '--x', 'sa', '--y', 'ma_u');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /column 'ma_u' is constant/);
});

test('masa summarize writes the tidy and group tables from a results folder', () => {
  const dir = join(root, 'runs');
  writeSyntheticRuns(dir, { models: ['sim/qwen2.5-7b-instruct', 'sim/llama-3.1-8b-instruct'], benches: [{ id: 'mmlu-pro', items: 12, trials: 1 }, { id: 'gpqa-diamond', items: 8, trials: 2 }], p: () => 0.6 });
  const out = join(root, 'scores.csv');
  const groups = join(root, 'g.csv');
  const r = masa('summarize', '--results', dir, '--out', out, '--groups-out', groups);
  assert.equal(r.status, 0, r.stderr);
  const tidy = readScoresCsv(out);
  assert.equal(tidy.kind, 'tidy');
  assert.equal(tidy.records.length, 4);
  assert.ok(tidy.records.every((x) => x.group === 'SA' && x.synthetic === true));
  assert.deepEqual(tidy.records.map((x) => x.family).sort(), ['Llama', 'Llama', 'Qwen', 'Qwen']);
  const g = readScoresCsv(groups);
  assert.equal(g.kind, 'groups');
  assert.equal(g.records.length, 2);
  assert.match(readFileSync(out, 'utf8').split('\n')[0]!, /^model,family,generation,generation_rank,params_b,active_params_b,release_date,synthetic,benchmark,group,n,accuracy,stderr,ci_low,ci_high/);
  assert.match(r.stdout, /synthetic data/);
});

test('the logistic floor defaults to the chance level of the y column from a tidy table', async () => {
  const { chanceOf } = await import('../../src/cli/commands/analyze.js');
  const tidy = [
    { model: 'a', group: 'MA-U', benchmark: 'tombench', chance: 0.4 },
    { model: 'b', group: 'MA-U', benchmark: 'tombench', chance: 0.4 },
    { model: 'a', group: 'MA-U', benchmark: 'emobench', chance: 0.2 },
    { model: 'a', group: 'MA-P', benchmark: 'coordinationqa', chance: 0.23 },
  ];
  assert.ok(Math.abs(chanceOf('tidy', tidy, 'ma_u')! - 0.3) < 1e-12, 'unweighted mean over the group\'s benchmarks');
  assert.equal(chanceOf('tidy', tidy, 'coordinationqa'), 0.23);
  assert.equal(chanceOf('groups', tidy, 'ma_u'), null);
  assert.equal(chanceOf('tidy', [{ ...tidy[0]!, chance: null }], 'ma_u'), null);
});

test('masa analyze on a tidy table with both policies: the sensitivity table, in text and JSON; --extraction picks the columns', async () => {
  const { writeFixtureCsv } = await import('../figures/fixture.js');
  const file = writeFixtureCsv(join(root, 'tidy-policies.csv'), { seed: 7 });
  const r = masa('analyze', '--scores', file, '--x', 'sa', '--y', 'ma_p', '--resamples', '200', '--permutations', '200', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /sensitivity to the answer parser/);
  assert.match(r.stdout, /SA→MA-P: Pearson r/);
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.ok(Array.isArray(j.sensitivity.stats) && j.sensitivity.stats.length >= 15);
  assert.equal(typeof j.sensitivity.flagged, 'number');
  const up = masa('analyze', '--scores', file, '--x', 'sa', '--y', 'ma_p', '--resamples', '200', '--permutations', '200', '--extraction', 'upstream', '--json');
  assert.equal(up.status, 0, up.stderr);
  const ju = JSON.parse(up.stdout.trim().split('\n').pop()!);
  const stat = j.sensitivity.stats.find((s: { statistic: string }) => s.statistic === 'SA→MA-P: Pearson r');
  assert.ok(Math.abs(ju.pearson.r - stat.upstream.estimate) < 1e-12);
  assert.ok(Math.abs(j.pearson.r - stat.robust.estimate) < 1e-12);
  const plain = writeFixtureCsv(join(root, 'tidy-plain.csv'), { seed: 7, policies: false });
  const bad = masa('analyze', '--scores', plain, '--x', 'sa', '--y', 'ma_p', '--extraction', 'upstream');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--extraction needs a tidy table with accuracy_upstream/);
});
