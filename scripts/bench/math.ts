// MATH answer checker throughput: verdicts per second over the hand-written case table, and
// over the 500 MATH-500 items (answer extracted from each official solution, judged against
// the official answer; plus the same items against a one-digit near miss) when ../shared is
// present. Also the slowest single comparison, against the 100 ms bound.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkEquivalence } from '../../src/bench/math/equivalence.js';
import { extractAnswer } from '../../src/bench/math/extract.js';
import { sharedDatasetsDir } from '../../src/core/paths.js';
import { MATH_CASES } from '../../test/fixtures/math-cases.js';
import type { BenchSection } from '../bench.js';

interface Pair {
  pred: string;
  gold: string;
}

function measure(label: string, pairs: Pair[], rounds: number): void {
  for (const p of pairs.slice(0, 50)) checkEquivalence(p.pred, p.gold); // warm-up
  let slowest = 0;
  let slowestPair = '';
  const counts: Record<string, number> = {};
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const p of pairs) {
      const t = performance.now();
      const v = checkEquivalence(p.pred, p.gold);
      const ms = performance.now() - t;
      if (ms > slowest) {
        slowest = ms;
        slowestPair = `${p.pred.slice(0, 30)} vs ${p.gold.slice(0, 30)}`;
      }
      if (r === 0) counts[v.verdict] = (counts[v.verdict] ?? 0) + 1;
    }
  }
  const total = performance.now() - t0;
  const n = pairs.length * rounds;
  process.stdout.write(
    `${label.padEnd(44)} ${String(pairs.length).padStart(4)} pairs x ${rounds}: ${(n / (total / 1000)).toFixed(0).padStart(6)} verdicts/s, ` +
      `mean ${(total / n).toFixed(3)} ms, slowest ${slowest.toFixed(1)} ms (${slowest < 100 ? 'ok' : 'OVER 100 ms'}: ${slowestPair}); ` +
      `${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}\n`,
  );
}

/** Hard inputs, each timed as the best of 5 runs (so a busy shared machine does not mask the figure). */
const HARD: Pair[] = [
  { pred: '2^{10^{10}}+1', gold: '2^{10^{10}}' },
  { pred: '\\frac{1}{2004!}', gold: '\\frac{1}{2006!}' },
  { pred: '5000!', gold: '4999!\\cdot 5000' },
  { pred: '1+'.repeat(999) + '1', gold: '1000' },
  { pred: '1+'.repeat(4999) + '1', gold: '5000' },
  { pred: '('.repeat(300) + 'x' + ')'.repeat(300), gold: 'x' },
  { pred: Array.from({ length: 60 }, (_, i) => `${i}x`).join(','), gold: Array.from({ length: 60 }, (_, i) => `${59 - i}x`).join(',') },
  { pred: Array.from({ length: 64 }, (_, i) => `\\sqrt{${i}}`).join(','), gold: Array.from({ length: 64 }, (_, i) => `\\sqrt{${63 - i}}`).join(',') },
  { pred: '(1\\pm 2)(3 \\pm 4)(5\\pm 6)', gold: '(1\\pm 2)(3 \\pm 4)(5\\pm 6)+0' },
];

function worstCase(): void {
  let worst = 0;
  for (const p of HARD) {
    let best = Infinity;
    let verdict = '';
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      verdict = checkEquivalence(p.pred, p.gold).verdict;
      best = Math.min(best, performance.now() - t);
    }
    worst = Math.max(worst, best);
    process.stdout.write(`  ${`${p.pred.slice(0, 28)} vs ${p.gold.slice(0, 16)}`.padEnd(50)} ${verdict.padEnd(10)} ${best.toFixed(1).padStart(6)} ms\n`);
  }
  process.stdout.write(`hard inputs: slowest (best of 5) ${worst.toFixed(1)} ms (target < 100 ms: ${worst < 100 ? 'ok' : 'OVER'})\n`);
}

export const section: BenchSection = {
  name: 'math',
  title: 'MATH answer checker: verdicts per second',
  async run() {
    const table: Pair[] = MATH_CASES.flatMap((g) => g.cases.map(([pred, gold]) => ({ pred, gold })));
    measure('case table (test/fixtures/math-cases.ts)', table, 5);
    worstCase();
    const dir = sharedDatasetsDir();
    if (!dir) {
      process.stdout.write('MATH-500 items: skipped (needs ../shared/datasets)\n');
      return;
    }
    const rows = readFileSync(join(dir, 'MATH-500', 'test.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { solution: string; answer: string });
    const t0 = performance.now();
    const own = rows.map((r) => ({ pred: extractAnswer(r.solution).answer ?? '', gold: r.answer }));
    const extractMs = performance.now() - t0;
    process.stdout.write(`extraction from 500 official solutions: ${(500 / (extractMs / 1000)).toFixed(0)} responses/s\n`);
    measure('MATH-500: solution answer vs official answer', own, 5);
    const near = own.filter((p) => /\d/.test(p.pred)).map((p) => ({ pred: p.pred.replace(/\d/, (d) => String((Number(d) + 1) % 10)), gold: p.gold }));
    measure('MATH-500: one-digit near miss vs official', near, 5);
  },
};
