// `masa import` speed on the largest real files under ../shared/replay: MMLU-Pro's 12,032-record
// result file and the EmoBench authors' 224 result CSVs (1,000 responses each), with records per
// second and peak memory (target: a 12k-sample file in a few seconds, memory bounded by one run).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDatasetsDir, sharedReplayDir } from '../../src/core/paths.js';
import { importRuns } from '../../src/eval/import/importer.js';
import type { ImportFormat } from '../../src/eval/import/types.js';
import type { BenchSection } from '../bench.js';

async function timed(label: string, format: ImportFormat, path: string, dataRoot: string): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'masa-bench-import-'));
  try {
    const before = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = await importRuns({ format, paths: [path], out, dataRoot });
    const s = (performance.now() - t0) / 1000;
    const n = r.runs.reduce((a, x) => a + x.samples, 0);
    process.stdout.write(`${label.padEnd(34)} ${String(r.runs.length).padStart(4)} runs ${String(n).padStart(7)} samples in ${s.toFixed(1).padStart(5)} s (${Math.round(n / s)} samples/s), rss +${Math.round((process.memoryUsage().rss - before) / 2 ** 20)} MB\n`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export const section: BenchSection = {
  name: 'import',
  title: 'masa import on real result files',
  async run() {
    const replay = sharedReplayDir();
    const data = sharedDatasetsDir();
    if (!replay || !data) {
      process.stdout.write('skipped: needs ../shared/replay and ../shared/datasets\n');
      return;
    }
    const zip = join(replay, 'MMLU-Pro', 'TIGER-AI-Lab-MMLU-Pro-eval_results', 'model_outputs_Meta-Llama-3-70B_5shots.zip');
    if (existsSync(zip)) await timed('mmlu-pro-results (Llama-3-70B)', 'mmlu-pro-results', zip, data);
    await timed('emobench-results (all 224 files)', 'emobench-results', join(replay, 'EmoBench', 'Sahandfer-EmoBench-2024-results', 'results'), data);
    await timed('inspect (GPQA logs, password zip)', 'inspect', join(replay, 'harness-logs', 'gpqa-logs.zip'), data);
  },
};
