import { resolve } from 'node:path';
import { MasaError } from '../../core/errors.js';
import { parseExtraction } from '../../bench/policies.js';
import { exportBatch, importBatch } from '../../eval/batch.js';
import { bool, num, str } from '../args.js';
import type { Command } from '../command.js';
import { resolveBench } from '../../eval/plan.js';
import { benchOptionFlags, GENERATION_FLAGS, generationOverrides, runJson, selectBenches, summaryTable } from './eval.js';

export const command: Command = {
  name: 'batch',
  summary: 'offline batch: export OpenAI Batch JSONL requests, import the outputs as run records',
  usage: [
    'masa batch export --model <served name> --bench <id>[,<id>...] --output <requests.jsonl> [--limit N] [--seed S] [--out <dir>] [generation flags]',
    'masa batch import --input <outputs.jsonl> [--out <dir>] [--data <dir>] [--json]',
  ],
  flags: {
    model: { type: 'string', description: 'served model name (the `model` of every request)', arg: '<name>' },
    bench: { type: 'list', description: 'benchmark id(s)', arg: '<id,...>' },
    'bench-module': { type: 'string', description: 'a benchmark module exporting `benchmark`', arg: '<file.ts>' },
    output: { type: 'string', description: 'export: the requests file to write', arg: '<file>' },
    input: { type: 'string', description: 'import: the outputs file (vllm run-batch / OpenAI Batch output)', arg: '<file>' },
    all: { type: 'boolean', description: 'export: every request, also those the run already has answers for' },
    limit: { type: 'number', description: 'at most N items per benchmark (seeded subset)', arg: '<n>' },
    seed: { type: 'number', description: 'run seed', default: 0, arg: '<s>' },
    out: { type: 'string', description: 'results folder', default: 'data/runs', arg: '<dir>' },
    data: { type: 'string', description: 'dataset root holding <dataset>/ folders', arg: '<dir>' },
    option: { type: 'list', description: 'benchmark option key=value, or bench.key=value', arg: '<k=v,...>' },
    'unsafe-exec': { type: 'boolean', description: 'allow benchmarks that run model-written code to execute it' },
    json: { type: 'boolean', description: 'import: last stdout line is JSON (as masa eval --json)' },
    extraction: { type: 'string', description: "import: whose answer reading the records' top level reports (both are recorded)", default: 'robust', arg: '<upstream|robust>' },
    ...GENERATION_FLAGS,
  },
  details: `export writes one line per request not yet answered in the run:
  {"custom_id":"masa|<run_id>|<trial>|<key>|<item_id>","method":"POST","url":"/v1/chat/completions","body":{...}}
and creates the run folder (meta.json) under --out. Run it with
  vllm run-batch -i requests.jsonl -o outputs.jsonl --model <hf id> --served-model-name <served name>
then import the outputs into the same --out: the records are those an online 'masa eval' writes,
with the same request keys, so the runs resume and summarize alike. Failed lines are recorded as
errors; export again to retry them.`,
  async run(args) {
    const sub = args._[0];
    const out = str(args, 'out') ? resolve(str(args, 'out')!) : undefined;
    const dataRoot = str(args, 'data') ? resolve(str(args, 'data')!) : undefined;
    if (sub === 'export') {
      const model = str(args, 'model');
      const output = str(args, 'output');
      if (!model) throw new MasaError('masa batch export: --model is required', { exitCode: 2 });
      if (!output) throw new MasaError('masa batch export: --output is required', { exitCode: 2 });
      const benches = await selectBenches(args, 'batch export');
      const res = await exportBatch({
        model,
        benches,
        output: resolve(output),
        seed: num(args, 'seed', 0),
        limit: num(args, 'limit') ?? null,
        out,
        dataRoot,
        options: benchOptionFlags(args, benches, (m) => process.stderr.write(m + '\n')),
        generation: generationOverrides(args),
        greedy: bool(args, 'greedy'),
        preset: bool(args, 'no-preset') ? null : undefined,
        all: bool(args, 'all'),
      });
      for (const r of res.runs) process.stdout.write(`${r.run_id}: ${r.exported} of ${r.planned} requests exported (${r.dir})\n`);
      process.stdout.write(`${res.requests} requests written to ${res.file}\n`);
      return 0;
    }
    if (sub === 'import') {
      const input = str(args, 'input');
      if (!input) throw new MasaError('masa batch import: --input is required', { exitCode: 2 });
      const benches = str(args, 'bench-module') ? (await selectBenches(args, 'batch import')).map(resolveBench) : [];
      const extraction = parseExtraction(str(args, 'extraction'), 'masa batch import --extraction');
      const res = await importBatch({ input: resolve(input), out, dataRoot, benches, extraction });
      for (const r of res.rejected.slice(0, 20)) process.stderr.write(`${input}:${r.line}: not imported: ${r.reason}\n`);
      if (res.rejected.length > 20) process.stderr.write(`... and ${res.rejected.length - 20} more lines not imported\n`);
      process.stderr.write(`${res.imported} records imported from ${res.lines} lines (${res.duplicates} already answered, ${res.rejected.length} rejected)\n`);
      process.stdout.write(summaryTable(res.runs) + '\n');
      if (bool(args, 'json')) {
        const objs = res.runs.map(runJson);
        process.stdout.write(JSON.stringify(objs.length === 1 ? { ...objs[0]!, runs: objs } : { runs: objs }) + '\n');
      }
      return res.rejected.length > 0 ? 3 : 0;
    }
    throw new MasaError(`masa batch: expected 'export' or 'import', got '${sub ?? ''}' (see 'masa batch --help')`, { exitCode: 2 });
  },
};
