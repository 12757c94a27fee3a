import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pearson } from '../../src/analysis/pearson.js';
import { mulberry32 } from '../../src/core/rng.js';
import { rowsUnderPolicy } from '../../src/analysis/policy-scores.js';
import { sensitivity, sensitivityLines } from '../../src/analysis/sensitivity.js';
import { groupScores, type TidyScoreRow } from '../../src/analysis/tables.js';
import { tidyRows, type ScoreRecord } from '../../src/analysis/load-scores.js';
import { fixtureRecords } from '../figures/fixture.js';

const records = fixtureRecords({ seed: 7 });
const tidy = tidyRows(records);

test('the same scores under both policies: every statistic equal, nothing flagged', () => {
  const s = sensitivity({ upstream: tidy, robust: tidy });
  assert.equal(s.flagged, 0);
  assert.ok(s.stats.length >= 15);
  for (const x of s.stats) assert.equal(x.upstream!.estimate, x.robust!.estimate, x.statistic);
  assert.deepEqual(s.largest_gap, []); // no benchmark differs
});

test('statistics are the analysis layer\'s own, from each policy\'s group scores', () => {
  const up = rowsUnderPolicy(tidy, records, 'upstream');
  const s = sensitivity({ upstream: up, robust: tidy });
  const models = groupScores(up);
  const r = pearson(models.map((m) => m.sa), models.map((m) => m.ma_p));
  const stat = s.stats.find((x) => x.statistic === 'SA→MA-P: Pearson r')!;
  assert.equal(stat.upstream!.estimate, r.estimate);
  assert.equal(stat.upstream!.p, r.p);
  assert.ok(s.stats.some((x) => x.kind === 'delta'));
  assert.ok(s.stats.some((x) => x.statistic === 'SA→MA-P: log-fit R²'));
  const gap = s.largest_gap.find((g) => g.benchmark === 'coordinationqa')!;
  assert.ok(gap.robust > gap.upstream);
});

/** Rows whose MA-P accuracy is replaced by f(model index, SA). */
function withMaP(rows: readonly TidyScoreRow[], f: (k: number, sa: number) => number): TidyScoreRow[] {
  const models = [...new Set(rows.map((r) => r.model))];
  const sa = new Map(groupScores(rows).map((m) => [m.model, m.sa!]));
  return rows.map((r) => (r.group === 'MA-P' ? { ...r, accuracy: f(models.indexOf(r.model), sa.get(r.model)!) } : r));
}

test('a conclusion that hangs on the parser is flagged: significance and sign', () => {
  // Robust: MA-P rises with SA. Upstream: the parser drowns it in noise unrelated to SA.
  const robust = withMaP(tidy, (_k, sa) => 0.1 + 0.5 * sa);
  const noise = mulberry32(5);
  const draws = Array.from({ length: 100 }, () => noise.next());
  const noisy = withMaP(tidy, (k) => 0.2 + 0.1 * draws[k]!);
  const s = sensitivity({ upstream: noisy, robust });
  const r = s.stats.find((x) => x.statistic === 'SA→MA-P: Pearson r')!;
  assert.equal(r.robust!.significant, true);
  assert.equal(r.upstream!.significant, false);
  assert.equal(r.significance_changes, true);
  assert.match(r.flag!, /significant only under robust/);
  // Upstream: MA-P falls with SA.
  const falling = withMaP(tidy, (_k, sa) => 0.6 - 0.5 * sa);
  const t = sensitivity({ upstream: falling, robust }).stats.find((x) => x.statistic === 'SA→MA-P: Pearson r')!;
  assert.equal(t.sign_changes, true);
  assert.match(t.flag!, /sign flips/);
  const lines = sensitivityLines(sensitivity({ upstream: falling, robust }));
  assert.ok(lines.some((l) => /SA→MA-P: Pearson r .*CHANGES: sign flips/.test(l)));
  assert.match(lines[lines.length - 1]!, /of \d+ headline statistics change sign or significance/);
});

test('records without both policies fall back to the row\'s own accuracy', () => {
  const plain = fixtureRecords({ seed: 7, policies: false }) as ScoreRecord[];
  const rows = tidyRows(plain);
  assert.deepEqual(rowsUnderPolicy(rows, plain, 'upstream'), rows);
});
