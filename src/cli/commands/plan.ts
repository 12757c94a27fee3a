import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCatalog, selectModels } from '../../core/catalog-load.js';
import { runsDir } from '../../core/paths.js';
import { MasaError } from '../../core/errors.js';
import { planEstimates, type PlanRow } from '../../analysis/plan-estimate.js';
import { resolveBench, optionsByBench, parseKeyValues } from '../../eval/plan.js';
import { bool, list, num, str } from '../args.js';
import type { Command } from '../command.js';
import { selectBenches } from './eval.js';

const int = (v: number): string => Math.round(v).toLocaleString('en-US');

/** Served names from --models: names as given; catalog ids, families, generations, 'paper' or 'all' expanded (with --prefix). */
function servedNames(spec: string, prefix: string): string[] {
  const catalog = loadCatalog();
  const out: string[] = [];
  for (const w of spec.split(',').map((x) => x.trim()).filter(Boolean)) {
    let models;
    try {
      models = selectModels(w.replace(/^sim\//, ''), catalog);
    } catch {
      models = null;
    }
    if (models && !w.startsWith('sim/')) out.push(...models.map((m) => `${prefix}${m.id}`));
    else out.push(w);
  }
  return [...new Set(out)];
}

function table(rows: PlanRow[]): string {
  const fixed = rows.some((r) => r.fixed_n_items !== null);
  const head = ['model', 'bench', 'items', 'of', ...(fixed ? ['fixed-n items'] : []), 'requests', 'prompt tokens', 'completion tokens', 'accuracy assumed', 'answer length'];
  const body = rows.map((r) => [
    r.model,
    r.bench,
    int(r.items),
    int(r.items_total),
    ...(fixed ? [r.fixed_n_items === null ? '-' : int(r.fixed_n_items)] : []),
    int(r.requests),
    int(r.prompt_tokens),
    int(r.completion_tokens),
    r.accuracy_basis === 'not needed' ? '-' : `${r.accuracy.toFixed(2)} (${r.accuracy_basis})`,
    `${int(r.completion_per_request)}/request (${r.tokens_basis})`,
  ]);
  const numeric = new Set(head.map((h, i) => (['items', 'of', 'fixed-n items', 'requests', 'prompt tokens', 'completion tokens'].includes(h) ? i : -1)));
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body].map((r) => r.map((c, i) => (numeric.has(i) ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd()).join('\n');
}

export const command: Command = {
  name: 'plan',
  summary: 'estimate items, requests and tokens per model and benchmark before running (with --target-ci: where it will stop)',
  usage: ['masa plan --models <names|paper|family,...> --bench <id,...> [--target-ci H] [--limit N] [--results <dir>] [--json]'],
  flags: {
    models: { type: 'string', description: "served model names, or catalog selections (ids, a family, a generation, 'paper', 'all') prefixed with --prefix", arg: '<list>' },
    prefix: { type: 'string', description: "served-name prefix for catalog selections (e.g. 'sim/' for the simulator)", default: '', arg: '<p>' },
    bench: { type: 'list', description: 'benchmark id(s)', arg: '<id,...>' },
    'bench-module': { type: 'string', description: 'also plan a benchmark defined in a module exporting `benchmark`', arg: '<file.ts>' },
    'target-ci': { type: 'number', description: 'precision target, as masa eval --target-ci', arg: '<h>' },
    'min-items': { type: 'number', description: 'as masa eval --min-items', default: 100, arg: '<n>' },
    limit: { type: 'number', description: 'as masa eval --limit', arg: '<n>' },
    seed: { type: 'number', description: 'run seed, as masa eval', default: 0, arg: '<s>' },
    data: { type: 'string', description: 'dataset root, as masa eval', arg: '<dir>' },
    option: { type: 'list', description: 'benchmark option key=value, as masa eval', arg: '<k=v,...>' },
    results: { type: 'string', description: 'earlier runs to learn accuracy and token counts from (default: data/runs when it exists)', arg: '<dir>' },
    'no-share-trials': { type: 'boolean', description: 'as masa eval: one request per trial' },
    json: { type: 'boolean', description: 'last stdout line: {"rows":[...],"totals":[...]}' },
  },
  details: [
    'Nothing is sent. Items: the benchmark (or --limit), or with --target-ci where the stopping rule is',
    "expected to stop at the accuracy of the model's earlier run on the benchmark, else other models' mean",
    'there, else 0.5 (the widest interval: an upper estimate). Requests: after trials that repeat a prompt',
    'share one. Tokens: per request as in earlier runs, else prompt = 4 characters a token, answers of an',
    'assumed typical length per benchmark (5x for thinking models, at most max_tokens; src/analysis/plan-estimate.ts).',
    'With --target-ci, "fixed-n items" is what a fixed-n 95% interval would need at the assumed accuracy, checked',
    'once at a planned n: the floor no interval goes much below. Stopping when the interval is narrow enough',
    '(anytime-valid) costs the items beyond it.',
  ].join('\n'),
  async run(args) {
    const spec = str(args, 'models');
    if (!spec) throw new MasaError("masa plan: --models is required (see 'masa plan --help')", { exitCode: 2 });
    const models = servedNames(spec, str(args, 'prefix', ''));
    // Games are estimated by their runs, not here: masa plan covers the single-turn benchmarks.
    const benches = (await selectBenches(args, 'plan')).map(resolveBench);
    const results = str(args, 'results') ?? (existsSync(runsDir()) ? runsDir() : undefined);
    const rows = await planEstimates({
      models,
      benches,
      targetCi: num(args, 'target-ci') ?? null,
      minItems: num(args, 'min-items'),
      limit: num(args, 'limit') ?? null,
      seed: num(args, 'seed', 0),
      dataRoot: str(args, 'data') ? resolve(str(args, 'data')!) : undefined,
      options: optionsByBench(parseKeyValues(list(args, 'option') ?? [], '--option')),
      results: results ? resolve(results) : undefined,
      shareTrials: !bool(args, 'no-share-trials'),
      catalog: loadCatalog(),
      onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
    });
    const totals = models.map((model) => {
      const mine = rows.filter((r) => r.model === model);
      return { model, items: mine.reduce((s, r) => s + r.items, 0), requests: mine.reduce((s, r) => s + r.requests, 0), prompt_tokens: mine.reduce((s, r) => s + r.prompt_tokens, 0), completion_tokens: mine.reduce((s, r) => s + r.completion_tokens, 0) };
    });
    const all = totals.reduce((s, t) => ({ requests: s.requests + t.requests, prompt: s.prompt + t.prompt_tokens, completion: s.completion + t.completion_tokens }), { requests: 0, prompt: 0, completion: 0 });
    process.stdout.write(`${table(rows)}\n\n${models.length} model(s): ${int(all.requests)} requests, ${int(all.prompt)} prompt tokens, ${int(all.completion)} completion tokens (estimates)\n`);
    if (bool(args, 'json')) process.stdout.write(JSON.stringify({ rows, totals }) + '\n');
    return 0;
  },
};
