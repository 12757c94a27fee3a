import { runEval } from '../src/eval/runner.js';
import { mkdtempSync } from 'node:fs';
async function main() {
  const out = mkdtempSync('/tmp/occ-');
  const t0 = performance.now();
  await runEval({ endpoints: ['http://127.0.0.1:18555/v1'], model: 'sim/qwen2.5-72b-instruct', out, benches: ['hanabi'], options: { hanabi: { partner: 'self', episodes: 100 } }, concurrency: 32, progress: 'plain', progressIntervalMs: 1000 });
  console.log(((performance.now() - t0) / 1000).toFixed(1), 's');
}
void main();
