// HumanEval scoring speed: wall time to execute all 164 canonical solutions in the sandbox
// (bubblewrap + prlimit, one process a problem, in parallel bounded by cores), and the
// per-problem cost of one sandboxed run.
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { humaneval, HUMANEVAL_DEFAULTS, loadHumanEval } from '../../src/bench/humaneval.js';
import { sandboxConcurrency } from '../../src/bench/sandbox.js';
import { samplesDir, sharedDatasetsDir } from '../../src/core/paths.js';
import type { BenchSection } from '../bench.js';

export const section: BenchSection = {
  name: 'humaneval',
  title: 'HumanEval: score the canonical solutions in the sandbox',
  async run() {
    const shared = sharedDatasetsDir();
    const dir = shared ? join(shared, 'HumanEval') : join(samplesDir(), 'HumanEval');
    const items = loadHumanEval(dir);
    process.stdout.write(`${items.length} problems from ${dir}; ${sandboxConcurrency()} at once (${availableParallelism()} cores)\n`);
    const trial = { index: 0, permutation: null };
    // Warm-up: one run, so the page cache holds Python and bwrap.
    await humaneval.score(items[0]!, items[0]!.canonical_solution, trial, HUMANEVAL_DEFAULTS);
    const t0 = performance.now();
    const scores = await Promise.all(items.map((it) => humaneval.score(it, it.canonical_solution, trial, HUMANEVAL_DEFAULTS)));
    const ms = performance.now() - t0;
    const byStatus = new Map<string, number>();
    for (const s of scores) byStatus.set(s.status ?? '?', (byStatus.get(s.status ?? '?') ?? 0) + 1);
    const passed = scores.filter((s) => s.correct).length;
    process.stdout.write(
      `canonical solutions: ${passed}/${items.length} passed (${[...byStatus].map(([k, v]) => `${k} ${v}`).join(', ')}) ` +
        `in ${(ms / 1000).toFixed(2)} s wall, ${(ms / items.length).toFixed(0)} ms a problem ` +
        `(${((ms * sandboxConcurrency()) / items.length).toFixed(0)} ms per sandboxed run)\n`,
    );
    if (passed !== items.length) throw new Error(`${items.length - passed} canonical solutions did not pass`);
  },
};
