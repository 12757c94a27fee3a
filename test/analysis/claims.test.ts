import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareClaims, loadClaims, type ClaimModel } from '../../src/analysis/claims.js';
import { normals } from './reference.js';

const claims = loadClaims();

test('claims.json records every headline figure with its source and an honest evidence label', () => {
  const byId = new Map(claims.claims.map((c) => [c.id, c]));
  for (const id of ['qwen-sa-generations', 'qwen-ma-u-generations', 'llama-sa-generations', 'llama-ma-u-generations', 'ma-p-range']) {
    assert.equal(byId.get(id)?.evidence, 'U', `${id} is an unverified secondary figure`);
  }
  assert.equal(byId.get('log-fit-r2')?.evidence, 'S');
  const q = byId.get('qwen-sa-generations')!;
  assert.equal(q.kind, 'generation_change');
  if (q.kind === 'generation_change') assert.deepEqual([q.from, q.to], [0.23, 0.64]);
  for (const c of claims.claims) assert.ok(c.source.length > 10, `${c.id} names its source`);
});

/** A world built to match the claimed figures (or not, with `off`). */
function world(off = 0, flatMa = true): ClaimModel[] {
  const out: ClaimModel[] = [];
  const noise = normals(60, 3);
  let k = 0;
  const gens: Record<string, Array<[string, number, number, number]>> = {
    // generation, sa, ma_u, ma_p (family means)
    Qwen: [['Q1', 0.23 + off, 0.44, 0.25], ['Q2', 0.45, 0.5, 0.3], ['Q3', 0.64, 0.55, 0.27]],
    Llama: [['L2', 0.42, 0.57, 0.22], ['L3', 0.6, 0.62, 0.3], ['L4', 0.71, 0.67, 0.24]],
  };
  for (const [family, list] of Object.entries(gens)) {
    list.forEach(([generation, s, u, p], rank) => {
      for (const [size, d] of [[7, -0.02], [70, 0.02]] as const) {
        const e = 0.005 * noise[k++]!;
        out.push({
          model: `${family}-${generation}-${size}b`, family, generation, generation_rank: rank + 1, params_b: size,
          sa: s + d, sa_stderr: 0.01, ma_u: u + d / 2 + e, ma_u_stderr: 0.01, ma_p: flatMa ? p + e : s + d, ma_p_stderr: 0.01,
        });
      }
    });
  }
  return out;
}

test('claims are reproduced by data that match them and not by data that do not', () => {
  const ok = compareClaims(world(), claims.claims, { resamples: 400 });
  const v = Object.fromEntries(ok.map((c) => [c.id, c.verdict]));
  assert.equal(v['qwen-sa-generations'], 'reproduced');
  assert.equal(v['qwen-ma-u-generations'], 'reproduced');
  assert.equal(v['llama-sa-generations'], 'reproduced');
  assert.equal(v['llama-ma-u-generations'], 'reproduced');
  assert.equal(v['ma-p-range'], 'reproduced');
  assert.equal(v['sa-gains-exceed-ma-gains'], 'reproduced');
  assert.equal(v['sa-scaling-does-not-yield-ma'], 'reproduced');
  assert.ok(ok.every((c) => c.synthetic === false));
  const bad = compareClaims(world(0.1, false), claims.claims, { resamples: 400 });
  const w = Object.fromEntries(bad.map((c) => [c.id, c]));
  assert.equal(w['qwen-sa-generations']!.verdict, 'not reproduced');
  assert.match(w['qwen-sa-generations']!.detail, /claimed 0\.23 → 0\.64/);
  assert.equal(w['llama-sa-generations']!.verdict, 'reproduced');
  assert.equal(w['ma-p-range']!.verdict, 'not reproduced');
  assert.equal(w['sa-scaling-does-not-yield-ma']!.verdict, 'not reproduced', 'MA-P tracks SA one for one here');
  const r2 = w['log-fit-r2']!;
  assert.equal(r2.verdict, 'not reproduced', 'MA-P = SA gives R² far above 0.6');
  assert.ok((r2.observed.r2 as number) > 0.9);
});

test('claims that the data cannot test say so', () => {
  const onlyQwen = world().filter((m) => m.family === 'Qwen').map((m) => ({ ...m, model: `sim/${m.model}` }));
  const res = compareClaims(onlyQwen, claims.claims, { resamples: 200 });
  const v = Object.fromEntries(res.map((c) => [c.id, c.verdict]));
  assert.equal(v['llama-sa-generations'], 'not testable');
  assert.equal(v['qwen-sa-generations'], 'reproduced');
  assert.ok(res.every((c) => c.synthetic), 'sim/ models mark every verdict as synthetic');
  const none = compareClaims([], claims.claims);
  assert.ok(none.every((c) => c.verdict === 'not testable'));
});
