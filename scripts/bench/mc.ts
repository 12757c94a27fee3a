// Multiple-choice scoring speed: inflating the 9 MMLU-Pro replay zips and extracting 108,288
// answers through masa's upstream chain, loading the 12,032-item test split, and decrypting
// GPQA Diamond in memory. Needs ../shared (skipped with a note otherwise).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gpqaDiamond } from '../../src/bench/gpqa-diamond.js';
import { extractMmluProRobust, extractMmluProUpstream, mmluPro } from '../../src/bench/mmlu-pro.js';
import { sharedDatasetsDir, sharedReplayDir } from '../../src/core/paths.js';
import { listZip, readZipEntry } from '../../src/core/zip.js';
import type { BenchSection } from '../bench.js';

function ms(t0: bigint): string {
  return `${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`;
}

export const section: BenchSection = {
  name: 'mc',
  title: 'MMLU-Pro and GPQA loading, decryption and extraction',
  async run() {
    const data = sharedDatasetsDir();
    const replay = sharedReplayDir();
    if (!data || !replay) {
      process.stdout.write('skipped: needs ../shared/datasets and ../shared/replay\n');
      return;
    }
    let t0 = process.hrtime.bigint();
    const items = await mmluPro.load(join(data, 'MMLU-Pro'), mmluPro.defaultOptions);
    process.stdout.write(`MMLU-Pro load (${items.length} items): ${ms(t0)}\n`);
    t0 = process.hrtime.bigint();
    const gpqa = await gpqaDiamond.load(join(data, 'GPQA'), gpqaDiamond.defaultOptions);
    process.stdout.write(`GPQA Diamond decrypt + parse (${gpqa.length} items): ${ms(t0)}\n`);
    const folder = join(replay, 'MMLU-Pro', 'TIGER-AI-Lab-MMLU-Pro-eval_results');
    let inflate = 0n;
    let extract = 0n;
    let robust = 0n;
    let n = 0;
    for (const z of readdirSync(folder).filter((f) => f.endsWith('.zip'))) {
      const a = process.hrtime.bigint();
      const buf = readFileSync(join(folder, z));
      const rows = JSON.parse(readZipEntry(buf, listZip(buf, z)[0]!, z).toString('utf8')) as Array<{ generated_text: string }>;
      const b = process.hrtime.bigint();
      for (const r of rows) extractMmluProUpstream(r.generated_text);
      const c = process.hrtime.bigint();
      for (const r of rows) extractMmluProRobust(r.generated_text, 'ABCDEFGHIJ'.split(''));
      extract += c - b;
      robust += process.hrtime.bigint() - c;
      inflate += b - a;
      n += rows.length;
    }
    process.stdout.write(`replay: ${n} responses; inflate + JSON.parse ${(Number(inflate) / 1e6).toFixed(0)} ms; extraction: upstream ${(Number(extract) / 1e6).toFixed(0)} ms (${((Number(extract) / 1e3) / n).toFixed(1)} us each), robust ${(Number(robust) / 1e6).toFixed(0)} ms (${((Number(robust) / 1e3) / n).toFixed(1)} us each)\n`);
    process.stdout.write(`peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB\n`);
  },
};
