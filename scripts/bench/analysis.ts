// Analysis speed: 10,000 bootstrap resamples of each correlation over 41 models (target < 1 s),
// and `summarize` over 1,000,000 synthetic per-sample records (41 models x 7 benchmarks x 500
// items x 7 trials, written to a temp folder) with time and peak memory (target: seconds, bounded).
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapCorrelation } from '../../src/analysis/correlation-resampling.js';
import { fitLogistic } from '../../src/analysis/fits.js';
import { fitBand } from '../../src/analysis/bands.js';
import { summarizeResults, type BenchAdapterFactory } from '../../src/analysis/summarize-results.js';
import { groupScores } from '../../src/analysis/tables.js';
import type { Group } from '../../src/bench/types.js';
import { loadCatalog } from '../../src/core/catalog-load.js';
import { mulberry32 } from '../../src/core/rng.js';
import { writeSyntheticRuns } from '../../test/analysis/synthetic-runs.js';
import type { BenchSection } from '../bench.js';

const BENCHES: Array<[string, Group]> = [
  ['math500', 'SA'], ['humaneval', 'SA'], ['mmlu-pro', 'SA'], ['gpqa-diamond', 'SA'],
  ['tombench', 'MA-U'], ['emobench', 'MA-U'], ['coordinationqa', 'MA-P'],
];

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MB`;
}

async function bootstrapTiming(): Promise<void> {
  const rng = mulberry32(7);
  const n = 41;
  const x = Array.from({ length: n }, () => rng.next());
  const y = x.map((v) => 0.3 + 0.4 * v + 0.1 * rng.next());
  for (const method of ['pearson', 'spearman', 'kendall'] as const) {
    bootstrapCorrelation(method, x, y, { resamples: 200, seed: 1 }); // warm-up
    const t0 = performance.now();
    const r = bootstrapCorrelation(method, x, y, { resamples: 10000, seed: 1 });
    const ms = performance.now() - t0;
    process.stdout.write(
      `bootstrap ${method.padEnd(8)} 10,000 resamples x 41 models: ${ms.toFixed(0).padStart(5)} ms (target < 1000)  ` +
        `estimate ${r.estimate.toFixed(3)} BCa [${r.bca[0].toFixed(3)}, ${r.bca[1].toFixed(3)}] ${ms < 1000 ? 'ok' : 'SLOW'}\n`,
    );
  }
  const fit = fitLogistic(x, y, { floor: 0.25 });
  const t0 = performance.now();
  fitBand(fit, [0.1, 0.5, 0.9], { method: 'bootstrap', resamples: 1000, seed: 1 });
  process.stdout.write(`logistic-fit bootstrap band, 1,000 refits x 41 models: ${(performance.now() - t0).toFixed(0)} ms\n`);
}

async function summarizeTiming(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'masa-bench-summarize-'));
  try {
    const catalog = loadCatalog().slice(0, 41);
    const models = catalog.map((m) => `sim/${m.id}`);
    const t0 = performance.now();
    const written = writeSyntheticRuns(dir, {
      models,
      benches: BENCHES.map(([id]) => ({ id, items: 500, trials: 7, clusterSize: id === 'tombench' ? 5 : 1 })),
      p: (m, b) => 0.2 + 0.6 * ((m.length * 7 + b.length * 13) % 10) / 10,
      seed: 11,
      errorRate: 0.001,
    });
    process.stdout.write(`wrote ${written.toLocaleString('en')} synthetic records (${models.length} models x ${BENCHES.length} benchmarks x 500 items x 7 trials) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    // The registry's modules are not all present in every checkout and the synthetic item ids are
    // not real items, so the benchmark is folded with a mean-of-trials adapter per group.
    const groups = new Map(BENCHES);
    const adapters: BenchAdapterFactory = async (id) => ({
      group: groups.get(id)!,
      item: () => undefined,
      reduce: (_item, trials) => trials.filter((t) => t.correct).length / trials.length,
      chance: () => null,
    });
    global.gc?.();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    const res = await summarizeResults(dir, { catalog, adapters });
    const secs = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    clearInterval(timer);
    const g = groupScores(res.rows);
    process.stdout.write(
      `summarize ${res.records.toLocaleString('en')} records -> ${res.rows.length} rows, ${g.length} models: ${secs.toFixed(1)} s ` +
        `(${Math.round(res.records / secs).toLocaleString('en')} records/s; CPU ${cpuSecs.toFixed(1)} s, load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)\n` +
        `memory: rss ${mb(base.rss)} before, peak ${mb(peakRss)} (+${mb(peakRss - base.rss)}); heap peak ${mb(peakHeap)} (+${mb(peakHeap - base.heapUsed)}); process maxRSS ${mb(process.resourceUsage().maxRSS * 1024)}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const section: BenchSection = {
  name: 'analysis',
  title: 'Analysis: bootstrap speed and summarize over 1,000,000 records',
  async run() {
    await bootstrapTiming();
    await summarizeTiming();
  },
};
