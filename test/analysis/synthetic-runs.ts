/**
 * Writes a results folder of synthetic per-sample logs (the layout of src/eval/records.ts),
 * for the summarize tests and the analysis benchmark. Correctness is drawn per (model,
 * benchmark, item, trial) from a seeded RNG with the given probability.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../../src/core/rng.js';
import { META_FILE, SAMPLES_FILE, modelSlug, type RunMeta, type SampleRecord } from '../../src/eval/records.js';

export interface SyntheticBench {
  id: string;
  items: number;
  trials: number;
  /** Items per cluster (stories); 1 = independent items. */
  clusterSize?: number;
}

export interface SyntheticWorld {
  models: string[];
  benches: SyntheticBench[];
  /** Probability a trial is correct. */
  p(model: string, bench: string): number;
  seed?: number;
  /** Share of trials recorded as a failed request (error set), default 0. */
  errorRate?: number;
}

export function runIdOf(model: string, bench: string): string {
  return `${modelSlug(model)}__${bench}__0123456789`;
}

/** Writes the world; returns the number of records written. */
export function writeSyntheticRuns(dir: string, world: SyntheticWorld): number {
  const rng = mulberry32(world.seed ?? 1);
  let count = 0;
  for (const model of world.models) {
    for (const b of world.benches) {
      const runId = runIdOf(model, b.id);
      const runDir = join(dir, runId);
      mkdirSync(runDir, { recursive: true });
      const meta: RunMeta = {
        v: 1, run_id: runId, model, catalog_id: null, served: null, bench: b.id, bench_options: {}, generation: {}, endpoints: ['http://127.0.0.1:1/v1'],
        seed: 0, limit: null, masa_version: '0.1.0', git_commit: null, dataset: { origin: 'samples', files: {} },
        started_at: '2026-01-01T00:00:00.000Z', finished_at: '2026-01-01T00:01:00.000Z',
      };
      writeFileSync(join(runDir, META_FILE), JSON.stringify(meta));
      const fd = openSync(join(runDir, SAMPLES_FILE), 'w');
      const p = world.p(model, b.id);
      let buf: string[] = [];
      for (let i = 0; i < b.items; i++) {
        for (let t = 0; t < b.trials; t++) {
          const failed = rng.next() < (world.errorRate ?? 0);
          const correct = rng.next() < p;
          const rec: SampleRecord = {
            v: 1, run_id: runId, model, bench: b.id, item_id: `${b.id}-${i}`, trial: t, permutation: null,
            request_key: `${runId}-${i}-${t}`, response: failed ? null : correct ? 'The answer is (A).' : 'The answer is (B).',
            reasoning: null, finish_reason: failed ? null : 'stop', truncated: false,
            usage: failed ? null : { prompt_tokens: 120, completion_tokens: 8 }, latency_ms: 12,
            extracted: failed ? null : correct ? 'A' : 'B', rule: failed ? null : 'answer-is', gold: 'A', correct: failed ? null : correct,
            status: null, error: failed ? 'HTTP 500' : null, attempts: 1, endpoint: 'http://127.0.0.1:1/v1',
            tags: { category: `c${i % 3}` }, cluster: `s${Math.floor(i / (b.clusterSize ?? 1))}`, time: '2026-01-01T00:00:30.000Z',
          };
          buf.push(JSON.stringify(rec));
          count++;
          if (buf.length >= 2000) {
            writeSync(fd, buf.join('\n') + '\n');
            buf = [];
          }
        }
      }
      if (buf.length > 0) writeSync(fd, buf.join('\n') + '\n');
      closeSync(fd);
    }
  }
  return count;
}
