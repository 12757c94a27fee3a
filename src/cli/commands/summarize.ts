import { writeFileAtomic } from '../../core/atomic.js';
import { loadCatalog } from '../../core/catalog-load.js';
import { MasaError } from '../../core/errors.js';
import { groupsCsv, tidyCsv } from '../../analysis/load-scores.js';
import { costsCsv, type RunCostRow } from '../../analysis/run-costs.js';
import { summarizeResults } from '../../analysis/summarize-results.js';
import { groupScores, sourceLabel, type Weighting } from '../../analysis/tables.js';
import { parseExtraction } from '../../bench/policies.js';
import { bool, required, str } from '../args.js';
import type { Command } from '../command.js';

const fmt = (v: number | null | undefined, d = 3): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '-');

const int = (v: number | null): string => (v === null ? '-' : Math.round(v).toLocaleString('en-US'));

/** The cost table as text: one line per run. */
export function costLines(costs: readonly RunCostRow[]): string[] {
  const head = `${'model'.padEnd(34)} ${'benchmark'.padEnd(16)} ${'requests'.padStart(9)} ${'prompt'.padStart(12)} ${'cached'.padStart(12)} ${'computed'.padStart(12)} ${'completion'.padStart(12)} ${'reasoning'.padStart(12)} ${'wall s'.padStart(8)} ${'tok/s'.padStart(9)}`;
  const rows = costs.map(
    (c) =>
      `${c.model.padEnd(34)} ${c.benchmark.padEnd(16)} ${int(c.requests).padStart(9)} ${int(c.prompt_tokens).padStart(12)} ${int(c.cached_tokens).padStart(12)} ${int(c.computed_prompt_tokens).padStart(12)} ${int(c.completion_tokens).padStart(12)} ${(int(c.reasoning_tokens) + (c.reasoning_estimated ? '~' : '')).padStart(12)} ${(c.wall_s === null ? '-' : c.wall_s.toFixed(1)).padStart(8)} ${int(c.tokens_per_s).padStart(9)}`,
  );
  return [head, ...rows, ...(costs.some((c) => c.reasoning_estimated) ? ['(~ reasoning tokens estimated from the reasoning text\'s share of the answer)'] : [])];
}

export const command: Command = {
  name: 'summarize',
  summary: 'fold per-sample logs into a tidy scores table (model x benchmark) and per-model group scores',
  usage: ['masa summarize --results <dir> [--out <scores.csv>] [--groups-out <groups.csv>] [--costs-out <costs.csv>] [--weighting unweighted|items] [--extraction upstream|robust] [--json]'],
  flags: {
    results: { type: 'string', arg: '<dir>', description: 'results folder of `masa eval` (<dir>/<run_id>/samples.jsonl + meta.json)' },
    out: { type: 'string', arg: '<scores.csv>', description: 'write the tidy table (one row per model x benchmark) here' },
    'groups-out': { type: 'string', arg: '<groups.csv>', description: 'write the wide table (one row per model: sa, ma_u, ma_p and SEs) here' },
    'costs-out': { type: 'string', arg: '<costs.csv>', description: 'write the cost table (one row per run: requests, prompt tokens computed and cached, completion and reasoning tokens, wall time, tokens/s) here' },
    weighting: { type: 'string', arg: '<unweighted|items>', description: 'group score: mean of benchmarks, or weighted by items', default: 'unweighted' },
    catalog: { type: 'string', arg: '<models.csv>', description: 'model catalog for the family/size join', default: 'data/models.csv' },
    data: { type: 'string', arg: '<dir>', description: 'dataset root holding <dataset>/ folders (for items and chance levels); default: fetched data, else the samples' },
    json: { type: 'boolean', description: 'print the tables as one JSON object on the last line of stdout' },
    extraction: { type: 'string', arg: '<upstream|robust>', description: "the answer reading `accuracy` (and the group scores) follow; both policies' accuracies are always written", default: 'robust' },
  },
  details: [
    'Each item\'s trials are folded with its benchmark\'s own rule (mean, majority vote, pass@k); accuracy,',
    'its (clustered) standard error and a 95% Wilson interval come from src/bench/summary.ts. Items whose',
    'request still failed are left out and counted in `errors`. A `sim/<id>` model joins catalog id <id>;',
    'its rows are marked synthetic=true. A run made with --target-ci is summarized over the longest complete',
    'prefix of its stratified order, with its confidence sequence as the interval (column interval names it).',
    'The cost table counts what the server did: a request shared by several trials once, prompt tokens',
    'computed and cached (cached only when the server reports usage.prompt_tokens_details), reasoning tokens',
    'as reported or estimated from the text (reasoning_estimated), wall time from first request to last record.',
    'Every row has accuracy_upstream and accuracy_robust (each with stderr_, ci_low_, ci_high_): the',
    'accuracy under the benchmark authors\' own answer parser and under masa\'s. Records written before',
    'both verdicts were kept are rescored from their stored responses (no request; said in a warning).',
  ].join('\n'),
  async run(args) {
    const dir = required(args, 'results', 'summarize');
    const weighting = str(args, 'weighting', 'unweighted');
    if (weighting !== 'unweighted' && weighting !== 'items') throw new MasaError(`masa summarize: --weighting must be unweighted or items, got '${weighting}'`, { exitCode: 2 });
    const catalog = loadCatalog(str(args, 'catalog'));
    const t0 = Date.now();
    const extraction = parseExtraction(str(args, 'extraction'), 'masa summarize --extraction');
    const res = await summarizeResults(dir, {
      catalog,
      extraction,
      dataRoot: str(args, 'data'),
      onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
    });
    const groups = groupScores(res.rows, weighting as Weighting);
    const write = (file: string | undefined, text: string): void => {
      if (file) writeFileAtomic(file, text);
    };
    write(str(args, 'out'), tidyCsv(res.rows));
    write(str(args, 'groups-out'), groupsCsv(groups));
    write(str(args, 'costs-out'), costsCsv(res.costs));
    const out: string[] = [];
    out.push(`${res.records} records in ${res.runs} runs -> ${res.rows.length} (model, benchmark) rows, ${groups.length} models (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    if (res.rows.some((r) => r.synthetic)) out.push('note: rows from simulated (sim/) models are synthetic data, not measurements');
    const imported = [...new Set(res.rows.map((r) => r.source).filter((s) => s && s !== 'masa'))];
    if (imported.length > 0) out.push(`note: rows marked [${imported.join('], [')}] were imported from that harness's logs and rescored by masa (column 'source')`);
    out.push('', `accuracy under the ${extraction} extraction policy; upstream and robust side by side:`);
    out.push(`${'model'.padEnd(34)} ${'benchmark'.padEnd(16)} ${'n'.padStart(6)}  accuracy  stderr   95% CI          upstream  robust`);
    for (const r of res.rows) {
      const differs = r.accuracy_upstream !== undefined && r.accuracy_robust !== undefined && Math.abs(r.accuracy_upstream - r.accuracy_robust) > 1e-12 ? ' *' : '';
      const bench = r.partner && r.partner !== 'self' && r.partner !== 'panel' ? `${r.benchmark} w/ ${r.partner.replace(/^model:/, '')}` : r.benchmark;
      out.push(`${sourceLabel(r.model, r.source).padEnd(34)} ${bench.padEnd(16)} ${String(r.n).padStart(6)}  ${fmt(r.accuracy).padStart(8)}  ${fmt(r.stderr)}  [${fmt(r.ci_low)}, ${fmt(r.ci_high)}]  ${fmt(r.accuracy_upstream).padStart(8)}  ${fmt(r.accuracy_robust).padStart(6)}${differs}${r.errors ? `  errors ${r.errors}` : ''}`);
    }
    out.push('(* = the two answer parsers give different accuracies; see masa audit)');
    // The games' groups (MA-C, MA-A, MA-P in play) are shown when any model has them.
    const cols = (['sa', 'ma_u', 'ma_p', 'ma_c', 'ma_a', 'ma_p_play'] as const).filter((c, i) => i < 3 || groups.some((g) => g[c] !== null));
    out.push('', `group scores (${weighting}):`, `${'model'.padEnd(34)} ${cols.map((c) => c.padStart(9)).join(' ')}`);
    for (const g of groups) out.push(`${sourceLabel(g.model, g.source).padEnd(34)} ${cols.map((c) => fmt(g[c]).padStart(9)).join(' ')}`);
    out.push('', 'what the server spent (per run):', ...costLines(res.costs));
    if (str(args, 'out')) out.push('', `tidy table: ${str(args, 'out')}`);
    if (str(args, 'groups-out')) out.push(`group table: ${str(args, 'groups-out')}`);
    if (str(args, 'costs-out')) out.push(`cost table: ${str(args, 'costs-out')}`);
    process.stdout.write(out.join('\n') + '\n');
    if (bool(args, 'json')) process.stdout.write(JSON.stringify({ records: res.records, runs: res.runs, rows: res.rows, groups, costs: res.costs, warnings: res.warnings }) + '\n');
    return 0;
  },
};
