// Ability profiles: validation names the field; the bundled profiles have the shapes they claim.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCatalog } from '../../src/core/catalog-load.js';
import type { ModelInfo } from '../../src/core/catalog.js';
import { MasaError } from '../../src/core/errors.js';
import { abilityOf, loadProfile, parseProfile, type GroupName, type Profile } from '../../src/sim/profile.js';
import { TEST_MODELS } from './helpers.js';

const BENCHES: Array<[string, GroupName]> = [
  ['math500', 'SA'], ['humaneval', 'SA'], ['mmlu-pro', 'SA'], ['gpqa-diamond', 'SA'],
  ['tombench', 'MA-U'], ['emobench', 'MA-U'], ['coordinationqa', 'MA-P'],
];

function groupMean(p: Profile, m: ModelInfo, g: GroupName): number {
  const bs = BENCHES.filter((b) => b[1] === g);
  return bs.reduce((a, [b]) => a + abilityOf(p, m, b, g, m.thinking), 0) / bs.length;
}

test('validation errors name the file and the field', () => {
  const bad: Array<[unknown, RegExp]> = [
    [[], /\(top level\)/],
    [{}, /: name: must be a non-empty string/],
    [{ name: 'x', groups: { SA: { floor: 2 } } }, /groups\.SA\.floor: must be in \[0, 1\]/],
    [{ name: 'x', groups: { SA: { intercept: 'high' } } }, /groups\.SA\.intercept: must be a number/],
    [{ name: 'x', groups: { XX: {} } }, /groups\.XX: unknown field/],
    [{ name: 'x', benchmarks: { gpqa: { fixed: 1.5 } } }, /benchmarks\.gpqa\.fixed/],
    [{ name: 'x', models: { m: { math500: -0.1 } } }, /models\.m\.math500/],
    [{ name: 'x', item_correlation: 1 }, /item_correlation/],
    [{ name: 'x', params: 'all' }, /params/],
    [{ name: 'x', typo: 1 }, /typo: unknown field/],
    [{ name: 'x', groups: { SA: { floor: 0.8, ceiling: 0.5 } } }, /groups\.SA\.floor: must not exceed ceiling/],
  ];
  for (const [raw, re] of bad) {
    assert.throws(() => parseProfile(raw, 'p.json'), (e: unknown) => e instanceof MasaError && /^p\.json: /.test(e.message) && re.test(e.message), JSON.stringify(raw));
  }
});

test('user profile from a file; fixed values take precedence models > benchmarks > groups', () => {
  const dir = mkdtempSync(join(tmpdir(), 'masa-profile-'));
  const file = join(dir, 'mine.json');
  writeFileSync(file, JSON.stringify({ name: 'mine', groups: { SA: { fixed: 0.3 } }, benchmarks: { math500: { fixed: 0.7 } }, models: { 'test-7b': { math500: 0.9, '*': 0.1 } } }));
  const p = loadProfile(file);
  const [m7, m8] = TEST_MODELS as [ModelInfo, ModelInfo];
  assert.equal(abilityOf(p, m7, 'math500', 'SA', false), 0.9);
  assert.equal(abilityOf(p, m7, 'gpqa-diamond', 'SA', false), 0.1);
  assert.equal(abilityOf(p, m8, 'math500', 'SA', true), 0.7);
  assert.equal(abilityOf(p, m8, 'gpqa-diamond', 'SA', true), 0.3);
  assert.throws(() => loadProfile('no-such-profile'), /unknown profile 'no-such-profile'/);
  writeFileSync(file, '{ nope');
  assert.throws(() => loadProfile(file), /not valid JSON/);
});

test("bundled 'paper': SA rises steeply with size and generation, MA-U modestly, MA-P stays in 0.2-0.35", () => {
  const p = loadProfile('paper');
  assert.match(p.description, /ASSUMPTION, not a finding/);
  const models = loadCatalog();
  const sa = models.map((m) => groupMean(p, m, 'SA'));
  const mau = models.map((m) => groupMean(p, m, 'MA-U'));
  const map = models.map((m) => groupMean(p, m, 'MA-P'));
  const range = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
  assert.ok(range(sa) > 0.5, `SA range ${range(sa)}`);
  assert.ok(range(mau) > 0.1 && range(mau) < range(sa) / 2, `MA-U range ${range(mau)}`);
  assert.ok(map.every((v) => v >= 0.2 && v <= 0.35), `MA-P ${Math.min(...map)}..${Math.max(...map)}`);
  const byId = (id: string) => models.find((m) => m.id === id)!;
  assert.ok(groupMean(p, byId('qwen2.5-72b-instruct'), 'SA') > groupMean(p, byId('qwen2.5-0.5b-instruct'), 'SA') + 0.3, 'size');
  assert.ok(groupMean(p, byId('qwen2.5-7b-instruct'), 'SA') > groupMean(p, byId('qwen1.5-7b-chat'), 'SA') + 0.05, 'generation');
});

test("bundled 'emergence': MA tracks SA", () => {
  const p = loadProfile('emergence');
  assert.match(p.description, /ASSUMPTION, not a finding/);
  const models = loadCatalog();
  const sa = models.map((m) => groupMean(p, m, 'SA'));
  for (const g of ['MA-U', 'MA-P'] as const) {
    const ma = models.map((m) => groupMean(p, m, g));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ms = mean(sa);
    const mm = mean(ma);
    const cov = sa.reduce((a, s, i) => a + (s - ms) * (ma[i]! - mm), 0);
    const r = cov / Math.sqrt(sa.reduce((a, s) => a + (s - ms) ** 2, 0) * ma.reduce((a, s) => a + (s - mm) ** 2, 0));
    assert.ok(r > 0.95, `${g} correlation with SA ${r}`);
  }
});
