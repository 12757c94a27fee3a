// GPU work and start-up (issue 15). Against the simulator in its own process, on the real
// benchmarks (../shared/datasets), for the paper-scope models:
//  1. a full sweep (all items) versus `--target-ci 0.02`: requests and tokens (target >= 3x fewer
//     requests), the largest interval half-width, the change in the headline SA-MA correlations
//     (target: each within the other's interval);
//  1b. from the all-items sweep's records, what the stopping rule would spend at other targets, and
//     the reference no interval can beat by much: a fixed-n normal interval with the true
//     (within-category) variance and the finite-population correction, checked once at a planned n;
//  2. prompt tokens the server computed with masa's request order versus arrival (plan) order,
//     under a 200,000-token KV budget (target >= 25% fewer), records compared; offline, other
//     orders, and the least any order could compute (no KV limit);
//  3. `masa plan` against the run it planned (target: requests within 20%);
//  4. `masa --help` and `masa eval` start-up (target < 0.3 s) and the whole-process time of a
//     3,000-request run against a bare SDK loop at 50 ms latency (target within 10%).
// The full sweep takes a long time on a 2-core machine; `npm run bench -- cost --quick` runs
// parts 1-3 on 6 of the models (and parts 2's comparison on 2), everything else the same.
// Environment: MASA_BENCH_COST_PARTS=sweep,order,plan,startup (default all).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchSection } from '../bench.js';
import { analyzePair } from '../../src/analysis/analyze-pair.js';
import { planEstimates } from '../../src/analysis/plan-estimate.js';
import { summarizeResults, type SummarizeResult } from '../../src/analysis/summarize-results.js';
import { groupScores } from '../../src/analysis/tables.js';
import { BENCHMARKS } from '../../src/bench/registry.js';
import { loadCatalog, selectModels } from '../../src/core/catalog-load.js';
import { sharedDatasetsDir } from '../../src/core/paths.js';
import { runSweep, type SweepConfig } from '../../src/eval/sweep.js';
import { latestRecords, listRuns, readRecords, recordScore } from '../../src/eval/store.js';
import type { SampleRecord } from '../../src/eval/records.js';
import { loadItems, type DatasetLocation } from '../../src/bench/data.js';
import type { Item } from '../../src/bench/types.js';
import { findModel } from '../../src/core/catalog-load.js';
import { mulberry32 } from '../../src/core/rng.js';
import { presetFor } from '../../src/eval/catalog.js';
import { benchOptions, itemRequests, planFromItems } from '../../src/eval/plan.js';
import { groupTrials, itemsByPrefix } from '../../src/eval/sharing.js';
import { PrefixCache, chatTokens, pieces } from '../../src/sim/prefix-cache.js';
import { fixedSampleSize, withinStratumVariance } from '../../src/analysis/sample-size.js';
import { stratifiedOrder, stratumOf } from '../../src/eval/order.js';
import { stopsAtTargets } from '../../src/eval/precision.js';

const QUICK = process.argv.includes('--quick');
const PARTS = new Set((process.env.MASA_BENCH_COST_PARTS ?? 'sweep,order,plan,startup').split(','));
const KV = 200_000;
const say = (s: string): void => {
  process.stdout.write(s + '\n');
};
const int = (v: number): string => Math.round(v).toLocaleString('en-US');

interface Sim {
  url: string;
  child: ChildProcess;
  stats(): Promise<Record<string, number>>;
  stop(): void;
}

/** `masa sim` in its own process (its CPU is not the client's), with a stats file written on request. */
function startSim(extra: string[] = []): Promise<Sim> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['bin/masa.mjs', 'sim', '--port', '0', '--data', sharedDatasetsDir()!, '--kv-cache-tokens', String(KV), ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+\/v1)/.exec(out);
      if (m) {
        const url = m[1]!;
        res({
          url,
          child,
          // The simulator's own counters, from its Prometheus /metrics (vLLM's metric names).
          stats: async () => metrics(await (await fetch(url.replace(/\/v1$/, '/metrics'))).text()),
          stop: () => child.kill('SIGTERM'),
        });
      }
    });
    child.on('exit', (code) => rej(new Error(`masa sim exited (${code}): ${out}`)));
  });
}

/** Sums of the counters the simulator exports, as vLLM names them. */
function metrics(text: string): Record<string, number> {
  const sum = (name: string): number => {
    let t = 0;
    for (const line of text.split('\n')) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) t += Number(line.slice(line.lastIndexOf(' ') + 1));
    return t;
  };
  return { promptTokens: sum('vllm:prompt_tokens_total'), cachedTokens: sum('vllm:prefix_cache_hits_total'), completionTokens: sum('vllm:generation_tokens_total') };
}

function sweepConfig(models: string[], url: string, extra: Partial<SweepConfig> = {}): SweepConfig {
  return { benches: BENCHMARKS.map((b) => b.id), models: models.map((m) => ({ model: `sim/${m}`, endpoints: [url] })), data: sharedDatasetsDir(), concurrency: 64, parallel_models: 2, ...extra };
}

async function sweep(models: string[], url: string, out: string, extra: Partial<SweepConfig> = {}): Promise<{ seconds: number }> {
  const t0 = performance.now();
  const r = await runSweep(sweepConfig(models, url, extra), { out, progress: 'none', log: () => {} });
  const bad = r.rows.filter((x) => x.status !== 'done');
  if (bad.length > 0) throw new Error(`sweep not done: ${bad.map((b) => `${b.model} ${b.bench} ${b.status} ${b.reason ?? ''}`).join('; ')}`);
  return { seconds: (performance.now() - t0) / 1000 };
}

async function records(out: string): Promise<SampleRecord[]> {
  const all: SampleRecord[] = [];
  for (const run of listRuns(out)) for await (const r of readRecords(run.dir)) all.push(r);
  return all;
}

function totals(s: SummarizeResult): { requests: number; prompt: number; cached: number; completion: number } {
  return s.costs.reduce((t, c) => ({ requests: t.requests + c.requests, prompt: t.prompt + c.prompt_tokens, cached: t.cached + (c.cached_tokens ?? 0), completion: t.completion + c.completion_tokens }), { requests: 0, prompt: 0, cached: 0, completion: 0 });
}

function correlations(s: SummarizeResult): Record<string, { r: number; ci: [number, number] }> {
  const g = groupScores(s.rows);
  const out: Record<string, { r: number; ci: [number, number] }> = {};
  for (const y of ['ma_u', 'ma_p'] as const) {
    const a = analyzePair('sa', y, g.map((m) => m.sa), g.map((m) => m[y]), { seed: 0, resamples: 2000, permutations: 200 });
    out[`pearson SA-${y === 'ma_u' ? 'MA-U' : 'MA-P'}`] = { r: a.pearson.r, ci: a.pearson.ci };
    out[`spearman SA-${y === 'ma_u' ? 'MA-U' : 'MA-P'}`] = { r: a.spearman.rho, ci: a.spearman.ci };
  }
  return out;
}

async function partSweep(models: string[], dirs: { full: string; target: string }): Promise<{ full: SummarizeResult; target: SummarizeResult }> {
  const sim = await startSim();
  try {
    say(`full sweep: ${models.length} models x ${BENCHMARKS.length} benchmarks, all items (real data, simulator in its own process)`);
    const a = await sweep(models, sim.url, dirs.full);
    say(`  took ${a.seconds.toFixed(0)} s`);
    say('the same with --target-ci 0.02');
    const b = await sweep(models, sim.url, dirs.target, { target_ci: 0.02 });
    say(`  took ${b.seconds.toFixed(0)} s`);
  } finally {
    sim.stop();
  }
  const catalog = loadCatalog();
  const data = sharedDatasetsDir();
  const full = await summarizeResults(dirs.full, { catalog, dataRoot: data });
  const target = await summarizeResults(dirs.target, { catalog, dataRoot: data });
  const f = totals(full);
  const t = totals(target);
  say(`requests: all items ${int(f.requests)}, --target-ci 0.02 ${int(t.requests)}: ${(f.requests / t.requests).toFixed(2)}x fewer (target >= 3x)`);
  say(`prompt tokens: ${int(f.prompt)} vs ${int(t.prompt)} (${(f.prompt / t.prompt).toFixed(2)}x); completion tokens: ${int(f.completion)} vs ${int(t.completion)} (${(f.completion / t.completion).toFixed(2)}x)`);
  const perBench = new Map<string, [number, number]>();
  for (const c of full.costs) perBench.set(c.benchmark, [(perBench.get(c.benchmark)?.[0] ?? 0) + c.requests, perBench.get(c.benchmark)?.[1] ?? 0]);
  for (const c of target.costs) perBench.set(c.benchmark, [perBench.get(c.benchmark)?.[0] ?? 0, (perBench.get(c.benchmark)?.[1] ?? 0) + c.requests]);
  say(`  requests by benchmark (all items -> target): ${[...perBench].map(([b, [x, y]]) => `${b} ${int(x)} -> ${int(y)}`).join(', ')}`);
  let largest = 0;
  let largestReported = 0;
  let stopped = 0;
  for (const run of listRuns(dirs.target)) {
    const p = run.meta?.precision;
    if (!p || p.cs_low === null || p.cs_high === null) continue;
    largest = Math.max(largest, (p.cs_high - p.cs_low) / 2);
    if (p.stopped && p.items < p.population) stopped++;
  }
  for (const r of target.rows) largestReported = Math.max(largestReported, (r.ci_high - r.ci_low) / 2);
  say(`largest confidence-sequence half-width: ${largest.toFixed(4)} (${stopped} of ${target.rows.length} runs stopped before their last item); largest reported half-width (widened to the items' Wilson interval): ${largestReported.toFixed(4)}`);
  const cf = correlations(full);
  const ct = correlations(target);
  for (const k of Object.keys(cf)) {
    const a = cf[k]!;
    const b = ct[k]!;
    const within = b.r >= a.ci[0] && b.r <= a.ci[1] && a.r >= b.ci[0] && a.r <= b.ci[1];
    say(`  ${k}: all items ${a.r.toFixed(3)} [${a.ci[0].toFixed(3)}, ${a.ci[1].toFixed(3)}], target ${b.r.toFixed(3)} [${b.ci[0].toFixed(3)}, ${b.ci[1].toFixed(3)}], change ${(b.r - a.r).toFixed(3)} ${within ? 'within both intervals' : 'OUTSIDE an interval'}`);
  }
  return { full, target };
}

/**
 * The same sweep twice on fresh servers, in masa's order and in plan order (`--order arrival`):
 * prompt tokens the server computed, records compared. Then, with the simulator's own cache model
 * (src/sim/prefix-cache.ts) fed the same prompts and the answers the run produced, the orders a
 * harness without ordering would send: trial by trial (every item's first trial, then every
 * item's second, as when a benchmark is repeated per trial or epoch) and shuffled.
 */
async function partOrder(models: string[], extra: Partial<SweepConfig>, label: string): Promise<void> {
  const out: Record<string, { computed: number; prompt: number; recs: Map<string, SampleRecord> }> = {};
  for (const order of ['prefix', 'arrival'] as const) {
    const sim = await startSim();
    const dir = mkdtempSync(join(tmpdir(), `masa-bench-order-${order}-`));
    try {
      await sweep(models, sim.url, dir, { ...extra, order, parallel_models: 1 });
      const s = await sim.stats();
      out[order] = { computed: s.promptTokens! - s.cachedTokens!, prompt: s.promptTokens!, recs: new Map((await records(dir)).map((r) => [r.request_key, r])) };
    } finally {
      sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const a = out.prefix!;
  const b = out.arrival!;
  const text = (r: SampleRecord | undefined): string => (r ? `${r.response}|${r.reasoning}|${r.correct}` : 'none');
  let common = 0;
  let differ = 0;
  for (const [k, r] of a.recs) {
    if (!b.recs.has(k)) continue;
    common++;
    if (text(r) !== text(b.recs.get(k))) differ++;
  }
  const sameSet = common === a.recs.size && common === b.recs.size;
  say(`${label}: prompt tokens computed ${int(a.computed)} (masa order) vs ${int(b.computed)} (plan order, --order arrival) of ${int(a.prompt)}: ${(100 * (1 - a.computed / b.computed)).toFixed(1)}% fewer; records: ${int(common)} in both, ${differ === 0 ? 'identical' : `${differ} DIFFER`}${sameSet ? '' : ` (runs stopped at different items: ${int(a.recs.size)} vs ${int(b.recs.size)})`}`);
  offlineOrders(models, a.recs);
}

/** What the simulator's cache model computes for the same requests and answers in other arrival orders. */
function offlineOrders(models: string[], recs: Map<string, SampleRecord>): void {
  // 'plan, a request per trial' and 'masa, a request per trial' separate what the order saves from
  // what sending shared trials as one request saves; 'unbounded cache' (masa's requests with no
  // KV limit, where every distinct prompt block is computed once whatever the order) is the least
  // any order could compute with this KV budget.
  const totals: Record<string, number> = { masa: 0, plan: 0, 'masa, a request per trial': 0, 'plan, a request per trial': 0, 'trial by trial': 0, shuffled: 0, 'unbounded cache': 0 };
  for (const model of models) {
    type Req = { messages: Array<{ role: string; content: string }>; outputs: string[][] };
    const streams: Record<string, Req[]> = { masa: [], plan: [], 'masa, a request per trial': [], 'plan, a request per trial': [], 'trial by trial': [], shuffled: [] };
    for (const bench of BENCHMARKS) {
      const options = benchOptions(bench, {}, BENCHMARKS);
      const { items, location } = loadedItems.get(bench.id)!;
      const info = findModel(model, loadCatalog());
      const plan = planFromItems(bench, options, items, location, { model: `sim/${model}`, seed: 0, limit: null, options: {}, generation: {}, greedy: false, preset: presetFor(info, undefined), out: '', precision: null });
      const answer = (key: string): string[] => {
        const r = recs.get(key);
        return pieces(`${r?.reasoning ?? ''}${r?.response ?? ''}`);
      };
      const perItem = (its: readonly Item[], share: boolean): Req[] =>
        its.flatMap((it) => groupTrials(itemRequests(plan, it), share).map((g) => ({ messages: g.body.messages, outputs: g.members.map((m) => answer(m.key)) })));
      const sorted = itemsByPrefix(plan.items, (it) => bench.messages(it, bench.trials(it, options)[0]!, options));
      streams.plan!.push(...perItem(plan.items, true));
      streams.masa!.push(...perItem(sorted, true));
      streams['plan, a request per trial']!.push(...perItem(plan.items, false));
      streams['masa, a request per trial']!.push(...perItem(sorted, false));
      const singles = plan.items.map((it) => itemRequests(plan, it));
      const most = Math.max(...singles.map((x) => x.length));
      for (let t = 0; t < most; t++) for (const list of singles) if (list[t]) streams['trial by trial']!.push({ messages: list[t]!.body.messages, outputs: [answer(list[t]!.key)] });
      streams.shuffled!.push(...singles.flat().map((r) => ({ messages: r.body.messages, outputs: [answer(r.key)] })));
    }
    const rng = mulberry32(7);
    const sh = streams.shuffled!;
    for (let i = sh.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [sh[i], sh[j]] = [sh[j]!, sh[i]!];
    }
    const computed = (list: readonly Req[], budgetTokens: number): number => {
      const cache = new PrefixCache({ budgetTokens });
      const salt = `sim/${model}`;
      for (const r of list) cache.release(cache.admit(chatTokens(r.messages.map((m) => m.role), r.messages.map((m) => m.content)), salt), salt, r.outputs);
      const s = cache.snapshot();
      return s.promptTokens - s.cachedTokens;
    };
    for (const [name, list] of Object.entries(streams)) totals[name]! += computed(list, KV);
    totals['unbounded cache']! += computed(streams.masa!, Infinity);
  }
  const m = totals.masa!;
  say(`  the simulator's cache model, same prompts and answers: computed ${int(m)} in masa's order; ${Object.entries(totals).filter(([k]) => k !== 'masa').map(([k, v]) => `${k} ${int(v)} (masa ${m <= v ? `${(100 * (1 - m / v)).toFixed(1)}% fewer` : `${(100 * (m / v - 1)).toFixed(3)}% more`})`).join(', ')}`);
  const p = totals.plan!;
  const floor = totals['unbounded cache']!;
  say(`  plan order computes ${int(p - floor)} tokens more than the least any order could (${int(floor)}): at most ${(100 * (1 - floor / p)).toFixed(1)}% fewer is possible against it`);
}

const FRONTIER = [0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05];

/** One all-items run: its item scores in the stratified order, and the requests each item took. */
interface OrderedRun {
  bench: string;
  scores: number[];
  requests: number[];
  strata: number[][];
}

/** Every run in `dir`, from the record that counts for each (item, trial) (store.latestRecords). */
async function orderedRuns(dir: string): Promise<OrderedRun[]> {
  const out: OrderedRun[] = [];
  for (const run of listRuns(dir)) {
    const meta = run.meta!;
    const bench = BENCHMARKS.find((b) => b.id === meta.bench)!;
    const options = benchOptions(bench, {}, BENCHMARKS);
    const byItem = new Map<string, SampleRecord[]>();
    for (const r of (await latestRecords(run.dir)).values()) {
      if (r.error !== null) continue;
      let l = byItem.get(r.item_id);
      if (!l) byItem.set(r.item_id, (l = []));
      l.push(r);
    }
    const scores: number[] = [];
    const requests: number[] = [];
    const strata = new Map<string, number[]>();
    for (const it of stratifiedOrder(loadedItems.get(bench.id)!.items, meta.seed)) {
      const rs = (byItem.get(it.id) ?? []).sort((a, b) => a.trial - b.trial);
      const planned = bench.trials(it, options).length;
      if (rs.length !== planned) throw new Error(`${run.run_id} ${it.id}: ${rs.length} answered trials, ${planned} planned`);
      const x = bench.reduce(it, rs.map(recordScore), options);
      scores.push(x);
      requests.push(rs.filter((r) => !r.shared || r.shared.index === 0).length);
      const k = stratumOf(it);
      let st = strata.get(k);
      if (!st) strata.set(k, (st = []));
      st.push(x);
    }
    out.push({ bench: bench.id, scores, requests, strata: [...strata.values()] });
  }
  return out;
}

/**
 * What precision-targeted runs would have spent at each target, replayed over the all-items
 * sweep's records (the stopping rule of src/eval/precision.ts on the stratified order; greedy
 * records are the same whichever run asks), against the fixed-n reference (src/analysis/sample-size.ts).
 */
async function partFrontier(dir: string): Promise<void> {
  await loadAll();
  const runs = await orderedRuns(dir);
  const all = runs.reduce((t, r) => t + r.requests.reduce((a, b) => a + b, 0), 0);
  const perTarget = FRONTIER.map(() => ({ cs: 0, fixed: 0 }));
  const at02 = new Map<string, { all: number; cs: number; fixed: number }>();
  for (const run of runs) {
    const N = run.scores.length;
    const perItem = run.requests.reduce((a, b) => a + b, 0) / N;
    const stops = stopsAtTargets(run.scores, N, FRONTIER);
    const variance = withinStratumVariance(run.strata);
    FRONTIER.forEach((h, k) => {
      const cs = run.requests.slice(0, stops[k] ?? N).reduce((a, b) => a + b, 0);
      const fixed = fixedSampleSize({ variance, population: N, halfWidth: h }) * perItem;
      perTarget[k]!.cs += cs;
      perTarget[k]!.fixed += fixed;
      if (h === 0.02) {
        const b = at02.get(run.bench) ?? { all: 0, cs: 0, fixed: 0 };
        at02.set(run.bench, { all: b.all + N * perItem, cs: b.cs + cs, fixed: b.fixed + fixed });
      }
    });
  }
  say(`the stopping rule replayed on the all-items records (${runs.length} runs, ${int(all)} requests), and the fixed-n reference (true within-category variance, finite-population correction, one planned n: no optional stopping):`);
  FRONTIER.forEach((h, k) => {
    const t = perTarget[k]!;
    say(`  target ${h.toFixed(3)}: confidence sequence ${int(t.cs)} requests (${(all / t.cs).toFixed(2)}x fewer); fixed-n reference ${int(t.fixed)} (${(all / t.fixed).toFixed(2)}x)`);
  });
  say(`  at 0.02 by benchmark (all items / confidence sequence / fixed-n reference): ${[...at02].map(([b, v]) => `${b} ${int(v.all)}/${int(v.cs)}/${int(v.fixed)}`).join(', ')}`);
  const k02 = FRONTIER.indexOf(0.02);
  const first3x = FRONTIER.find((_h, k) => all / perTarget[k]!.cs >= 3);
  say(`  at 0.02 stopping when the interval is narrow enough (anytime-valid) costs ${(perTarget[k02]!.cs / perTarget[k02]!.fixed).toFixed(2)}x the fixed-n requests; 3x fewer requests than all items is first reached at target ${first3x?.toFixed(3) ?? 'none of these'}`);
}

const loadedItems = new Map<string, { items: Item[]; location: DatasetLocation }>();
async function loadAll(): Promise<void> {
  for (const bench of BENCHMARKS) {
    if (loadedItems.has(bench.id)) continue;
    const r = await loadItems(bench, benchOptions(bench, {}, BENCHMARKS), sharedDatasetsDir());
    loadedItems.set(bench.id, { items: r.items as Item[], location: r.location });
  }
}

async function partPlan(models: string[], target: SummarizeResult | null, dirs: { full: string; target: string }): Promise<void> {
  const catalog = loadCatalog();
  const benches = [...BENCHMARKS];
  const served = models.map((m) => `sim/${m}`);
  const made = target ?? (await summarizeResults(dirs.target, { catalog, dataRoot: sharedDatasetsDir() }));
  const actual = new Map(made.costs.map((c) => [`${c.model}|${c.benchmark}`, c.requests]));
  for (const [label, results] of [['no earlier runs (accuracy 0.5 assumed)', undefined], ['with the all-items sweep as earlier runs', dirs.full]] as const) {
    const rows = await planEstimates({ models: served, benches, targetCi: 0.02, dataRoot: sharedDatasetsDir(), results, catalog });
    let est = 0;
    let act = 0;
    let worst = 0;
    for (const r of rows) {
      const a = actual.get(`${r.model}|${r.bench}`) ?? 0;
      est += r.requests;
      act += a;
      if (a > 0) worst = Math.max(worst, Math.abs(r.requests - a) / a);
    }
    say(`masa plan --target-ci 0.02, ${label}: ${int(est)} requests planned, ${int(act)} made: ${((100 * (est - act)) / act).toFixed(1)}% (target within 20%); largest per-run deviation ${(100 * worst).toFixed(1)}%`);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const t0 = performance.now();
  await new Promise<void>((res, rej) => {
    const c = spawn(process.execPath, args, { stdio: 'ignore', env: { ...process.env, ...env } });
    c.on('exit', (code) => (code === 0 ? res() : rej(new Error(`${args.join(' ')} exited ${code}`))));
  });
  return (performance.now() - t0) / 1000;
}

/** Seconds from spawning `masa eval` until its first request reaches a server. */
async function toFirstRequest(env: NodeJS.ProcessEnv = {}): Promise<number> {
  const { startFakeServer } = await import('../../test/eval/fake-server.js');
  let first = 0;
  const server = await startFakeServer({ fault: () => ((first ||= performance.now()), null) });
  const out = mkdtempSync(join(tmpdir(), 'masa-bench-start-'));
  try {
    const t0 = performance.now();
    await new Promise<void>((res) => {
      const c = spawn(process.execPath, ['bin/masa.mjs', 'eval', '--endpoint', server.url, '--model', 'm', '--bench', 'mmlu-pro', '--limit', '1', '--out', out, '--quiet', '--no-preset'], { stdio: 'ignore', env: { ...process.env, ...env, MASA_DATA_DIR: resolve('data/samples') } });
      c.on('exit', () => res());
    });
    return (first - t0) / 1000;
  } finally {
    await server.close();
    rmSync(out, { recursive: true, force: true });
  }
}

async function partStartup(): Promise<void> {
  await timed(['bin/masa.mjs', '--help']); // builds the bundle if the sources changed
  for (const [label, env] of [['compiled (.tsbuild)', {}], ['through tsx (no cache)', { MASA_NO_BUILD_CACHE: '1' }]] as const) {
    const helps: number[] = [];
    for (let i = 0; i < 7; i++) helps.push(await timed(['bin/masa.mjs', '--help'], env));
    const help = median(helps);
    const xs: number[] = [];
    for (let i = 0; i < 7; i++) xs.push(await toFirstRequest(env));
    say(`start-up, ${label}: masa --help ${help.toFixed(3)} s, masa eval to its first request ${median(xs).toFixed(3)} s (median of 7; target < 0.3 s)`);
  }
  // 3,000 requests at 50 ms, 32 in flight: the whole process, masa against a bare SDK loop.
  const fake = spawn(process.execPath, ['--import', 'tsx', 'test/eval/serve-fake.ts', JSON.stringify({ latencyMs: 50 })], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((res) => fake.stdout!.once('data', (d: Buffer) => res(d.toString().trim().split('\n')[0]!)));
  const out = mkdtempSync(join(tmpdir(), 'masa-bench-3000-'));
  try {
    const bare: number[] = [];
    const masa: number[] = [];
    for (let i = 0; i < 3; i++) {
      bare.push(await timed(['scripts/bench/bare-sdk-loop.mjs', url, '3000', '32']));
      rmSync(out, { recursive: true, force: true });
      masa.push(await timed(['bin/masa.mjs', 'eval', '--endpoint', url, '--model', 'm', '--bench-module', 'test/eval/arith-bench.ts', '--option', 'n=3000', '--concurrency', '32', '--out', out, '--quiet', '--no-preset']));
    }
    const b = median(bare);
    const m = median(masa);
    say(`3,000 requests at 50 ms latency, 32 in flight, whole process: bare SDK loop ${b.toFixed(2)} s, masa eval ${m.toFixed(2)} s: ${((100 * (m - b)) / b).toFixed(1)}% (target within 10%)`);
  } finally {
    fake.kill('SIGTERM');
    rmSync(out, { recursive: true, force: true });
  }
}

export const section: BenchSection = {
  name: 'cost',
  title: 'GPU work (precision targets, prefix-aware order, masa plan) and start-up',
  async run() {
    const t0 = performance.now();
    if (!sharedDatasetsDir() && (PARTS.has('sweep') || PARTS.has('order') || PARTS.has('plan'))) say('skipped parts 1-3: they need ../shared/datasets');
    const paper = selectModels('paper', loadCatalog()).map((m) => m.id);
    // --quick: six models across families, sizes and thinking (every benchmark, every item).
    const models = QUICK ? ['qwen2.5-0.5b-instruct', 'qwen2.5-7b-instruct', 'qwen2.5-72b-instruct', 'qwen3-8b', 'llama-3.1-8b-instruct', 'llama-3.3-70b-instruct'] : paper;
    const dirs = { full: mkdtempSync(join(tmpdir(), 'masa-bench-full-')), target: mkdtempSync(join(tmpdir(), 'masa-bench-target-')) };
    try {
      let target: SummarizeResult | null = null;
      if (sharedDatasetsDir()) {
        if (PARTS.has('sweep')) {
          target = (await partSweep(models, dirs)).target;
          await partFrontier(dirs.full);
        }
        if (PARTS.has('plan') && PARTS.has('sweep')) await partPlan(models, target, dirs);
        if (PARTS.has('order')) {
          await loadAll();
          const few = QUICK ? ['qwen2.5-7b-instruct', 'qwen3-8b'] : ['qwen2.5-7b-instruct', 'qwen3-8b', 'llama-3.1-8b-instruct', 'qwen3-32b'];
          await partOrder(few, {}, `all items, ${few.length} models, KV budget ${int(KV)} tokens`);
        }
      }
      if (PARTS.has('startup')) await partStartup();
    } finally {
      rmSync(dirs.full, { recursive: true, force: true });
      rmSync(dirs.target, { recursive: true, force: true });
    }
    say(`(cost bench: ${((performance.now() - t0) / 1000).toFixed(0)} s${QUICK ? ', --quick' : ''})`);
  },
};
