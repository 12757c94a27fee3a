import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { issueLines, loadItems } from '../../bench/data.js';
import { getBenchmark } from '../../bench/registry.js';
import { parseExtraction, policiesDisagree } from '../../bench/policies.js';
import { parseBenchOptions, parseResponseLine, rescore, type ResponseLine } from '../../bench/rescore.js';
import { EXTRACTION_POLICIES, type ExtractionPolicy } from '../../bench/types.js';
import type { ScoreSummary } from '../../bench/summary.js';
import { MasaError } from '../../core/errors.js';
import { streamJsonl } from '../../core/jsonl.js';
import { bool, list, num, required, str } from '../args.js';
import type { Command } from '../command.js';

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function line(label: string, s: ScoreSummary): string {
  return `${label}: ${s.correct}/${s.n} = ${pct(s.accuracy)} ± ${pct(s.stderr)} (95% CI ${pct(s.ci_low)}–${pct(s.ci_high)})`;
}

/** accuracy_<policy>, stderr_<policy>, ci_low_<policy>, ci_high_<policy> for each policy. */
function policyFields(summaries: Record<ExtractionPolicy, ScoreSummary>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of EXTRACTION_POLICIES) {
    const s = summaries[p];
    Object.assign(out, { [`accuracy_${p}`]: s.accuracy, [`stderr_${p}`]: s.stderr, [`ci_low_${p}`]: s.ci_low, [`ci_high_${p}`]: s.ci_high, [`correct_${p}`]: s.correct });
  }
  return out;
}

function disagreements(verdicts: ReadonlyArray<{ policies: Parameters<typeof policiesDisagree>[0] }>): number {
  return verdicts.filter((v) => policiesDisagree(v.policies)).length;
}

export const command: Command = {
  name: 'score',
  summary: 'score recorded responses (JSONL) against a benchmark, as its authors score them',
  usage: [
    'masa score --bench <id> --responses <file.jsonl> [--out <verdicts.jsonl>] [--json]',
    '           [--extraction upstream|robust] [--data <dataset root>] [--option k=v ...] [--unsafe-exec]',
  ],
  flags: {
    bench: { type: 'string', arg: '<id>', description: 'benchmark id (e.g. mmlu-pro, gpqa-diamond)' },
    responses: { type: 'string', arg: '<file.jsonl>', description: 'one {"id","response","trial"?,"permutation"?} per line' },
    out: { type: 'string', arg: '<file.jsonl>', description: 'write per-response verdicts here' },
    json: { type: 'boolean', description: 'print the summary as one JSON object (the last stdout line)' },
    data: { type: 'string', arg: '<dir>', description: "dataset root holding <dataset>/ (default: fetched data, else samples)" },
    option: { type: 'list', arg: '<k=v>', description: 'benchmark option, repeatable (see the benchmark module for choices)' },
    'unsafe-exec': { type: 'boolean', description: 'let code benchmarks execute without the sandbox (sets option unsafe_exec=true)' },
    concurrency: { type: 'number', arg: '<n>', description: 'responses scored at once (default: 2 x cores); output order is unaffected' },
    extraction: { type: 'string', arg: '<upstream|robust>', default: 'robust', description: "whose answer reading the verdicts' top level and `accuracy` report; both are always computed" },
  },
  details: [
    'Lines without "trial" and "permutation" are scored in upstream option order; a "trial" without',
    'a "permutation" uses the benchmark\'s own seeded order for that trial. Ids the benchmark does',
    'not have are listed (unknown_ids), never silently dropped.',
    'Each response is read under both extraction policies: upstream (the benchmark authors\' own code,',
    'named in each module) and robust (masa\'s reading); the summary gives both accuracies and each',
    'verdict line carries both ("policies"). --extraction picks the one reported as `accuracy`.',
  ].join('\n'),

  async run(args) {
    const bench = getBenchmark(required(args, 'bench', 'score'));
    const file = required(args, 'responses', 'score');
    const overrides = parseBenchOptions(bench, list(args, 'option') ?? []);
    if (bool(args, 'unsafe-exec')) {
      if (!('unsafe_exec' in (bench.defaultOptions as object))) {
        throw new MasaError(`masa score: --unsafe-exec does not apply to ${bench.id} (it runs no code)`, { exitCode: 2 });
      }
      overrides.unsafe_exec = true;
    }
    const options = { ...(bench.defaultOptions as Record<string, unknown>), ...overrides };
    const { items, location } = await loadItems(bench, options, str(args, 'data'));
    for (const line of issueLines(bench.id, items)) process.stderr.write(`upstream data issue (kept, scored as upstream): ${line}\n`);

    const lines: Array<{ where: string; line: ResponseLine }> = [];
    try {
      for await (const { line: n, value } of streamJsonl(file)) {
        lines.push({ where: `${file}:${n}`, line: parseResponseLine(value, `${file}:${n}`) });
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new MasaError(`${file}: no such file`);
      throw e;
    }
    const concurrency = num(args, 'concurrency');
    if (concurrency !== undefined && !(concurrency >= 1)) throw new MasaError(`masa score: --concurrency must be at least 1, got ${concurrency}`, { exitCode: 2 });
    const extraction = parseExtraction(str(args, 'extraction'), 'masa score --extraction');
    const result = await rescore(bench, items, lines, options, { concurrency, extraction });

    const out = str(args, 'out');
    if (out) {
      const ws = createWriteStream(out);
      for (const v of result.verdicts) {
        if (!ws.write(JSON.stringify(v) + '\n')) await once(ws, 'drain');
      }
      ws.end();
      await once(ws, 'finish');
    }

    const s = result.summary;
    if (bool(args, 'json')) {
      const obj = {
        bench: bench.id,
        n: s.n,
        correct: s.correct,
        accuracy: s.accuracy,
        stderr: s.stderr,
        ci_low: s.ci_low,
        ci_high: s.ci_high,
        clusters: s.clusters,
        extraction,
        ...policyFields(result.summaries),
        chance: result.chance,
        responses: result.verdicts.length,
        missing: result.missing,
        unknown_ids: result.unknownIds,
        unshuffled: result.unshuffled,
        subscores: s.subscores,
        options,
        data: location,
      };
      process.stdout.write(JSON.stringify(obj) + '\n');
    } else {
      const w = (t: string): boolean => process.stdout.write(t + '\n');
      w(`${bench.title} (${bench.id}), ${result.verdicts.length} responses, data: ${location.dir} (${location.origin})`);
      w(line(`accuracy (${extraction})`, s) + `; chance ${pct(result.chance)}`);
      const other = extraction === 'robust' ? 'upstream' : 'robust';
      w(line(`accuracy (${other})`, result.summaries[other]) + `; ${disagreements(result.verdicts)} response(s) read differently by the two policies`);
      for (const [tag, byValue] of Object.entries(s.subscores)) {
        const values = Object.entries(byValue);
        if (values.length > 40) {
          w(`  by ${tag}: ${values.length} groups (see --json)`);
          continue;
        }
        for (const [value, sub] of values) w(`  ${line(`${tag}=${value}`, sub)}`);
      }
      if (result.missing > 0) w(`${result.missing} of ${items.length} items had no response (not counted)`);
      if (out) w(`verdicts: ${out}`);
    }
    if (result.unknownIds.length > 0) {
      const shown = result.unknownIds.slice(0, 10).join(', ');
      process.stderr.write(
        `masa score: ${result.unknownIds.length} id(s) not in ${bench.id}: ${shown}${result.unknownIds.length > 10 ? ', ...' : ''}\n`,
      );
    }
    if (result.unshuffled > 0) {
      process.stderr.write(
        `masa score: ${result.unshuffled} line(s) had no "trial"/"permutation" and were scored in upstream option order (${bench.id} normally shuffles)\n`,
      );
    }
    return 0;
  },
};
