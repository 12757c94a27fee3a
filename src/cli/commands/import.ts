import { resolve } from 'node:path';
import { MasaError } from '../../core/errors.js';
import { getBenchmark } from '../../bench/registry.js';
import { importRuns, type ImportedRun } from '../../eval/import/importer.js';
import { IMPORT_FORMATS, type ImportFormat } from '../../eval/import/types.js';
import { optionsByBench, parseKeyValues } from '../../eval/plan.js';
import { bool, list, str } from '../args.js';
import type { Command } from '../command.js';

const pct = (x: number | undefined): string => (typeof x === 'number' && Number.isFinite(x) ? (100 * x).toFixed(2) : '-');

function line(r: ImportedRun): string {
  const own = r.harness.map((h) => `${r.format} ${h.scorer} ${pct(h.accuracy)}% (n=${h.n})`).join('; ') || `${r.format}: no verdicts recorded`;
  const rep = Object.entries(r.reported).map(([k, v]) => `${k}=${v}`).join(', ');
  const matched = Object.entries(r.matched).map(([k, v]) => `${v} by ${k}`).join(', ');
  return [
    `${r.run_id}: ${r.samples} samples (${r.imported} new, ${r.duplicates} already imported${r.errors ? `, ${r.errors} errored in the harness` : ''}), matched ${matched}${r.status ? `, harness status ${r.status}` : ''}`,
    `  masa ${pct(r.masa.accuracy)}% [${pct(r.masa.ci_low)}, ${pct(r.masa.ci_high)}] over ${r.masa.n} items; ${own}${rep ? `; reported: ${rep}` : ''}`,
    ...(r.differing ? [`  ${r.differing} items as the file holds them differ from masa's copy (order or text): scored against the file's`] : []),
  ].join('\n');
}

export const command: Command = {
  name: 'import',
  summary: "bring in other harnesses' per-sample logs (lm-eval, inspect_ai, OpenCompass, published result files) as masa runs",
  usage: ['masa import --format lm-eval|inspect|opencompass|emobench-results|mmlu-pro-results <path>... [--bench <id>] [--model <name>] [--out <dir>] [--data <dir>] [--option k=v] [--json]'],
  flags: {
    format: { type: 'string', arg: `<${IMPORT_FORMATS.join('|')}>`, description: 'which harness wrote the files' },
    bench: { type: 'string', arg: '<id>', description: "masa benchmark the files hold (default: read from the harness's task name)" },
    model: { type: 'string', arg: '<name>', description: 'model name to record (default: the one the harness recorded)' },
    out: { type: 'string', arg: '<dir>', description: 'results folder', default: 'data/runs' },
    data: { type: 'string', arg: '<dir>', description: "dataset root holding <dataset>/ folders (masa's items to match against)" },
    option: { type: 'list', arg: '<k=v,...>', description: 'benchmark option key=value, or bench.key=value (e.g. mmlu-pro.random_guess=true)' },
    password: { type: 'string', arg: '<pw>', description: "password of encrypted zip members (default: GPQA's published one)" },
    json: { type: 'boolean', description: 'print the result as one JSON object on the last line of stdout' },
  },
  details: `Paths may be files or folders (searched for the format's files). Each sample is matched to masa's
item by the harness's id where it is upstream's (MMLU-Pro question_id, GPQA Record ID), else by a
content hash of the question, else (EmoBench result rows) by the nearest item on its options. The
response is rescored by masa's scorer; the harness's own verdict is kept in the record's "harness"
field and the run's meta.json "source" names the harness, its version, the model and the settings it
recorded. Files of tasks masa does not have are listed and skipped. A sample that matches no item, a
file of an unknown format or version, or a truncated file is named (file and line) and nothing of
that run is written; runs already imported stay, and importing the same files again adds nothing.
Imported runs summarize, analyse and plot like any other; 'masa summarize' labels their source.
Exit status: 0 when every file was imported or skipped by name, 1 when any failed.`,
  async run(args) {
    const format = str(args, 'format');
    if (!format || !(IMPORT_FORMATS as readonly string[]).includes(format)) {
      throw new MasaError(`masa import: --format must be one of ${IMPORT_FORMATS.join(', ')}${format ? `, got '${format}'` : ''}`, { exitCode: 2 });
    }
    const bench = str(args, 'bench');
    if (bench) getBenchmark(bench);
    if (args._.length === 0) throw new MasaError('masa import: give the files or folders to import', { exitCode: 2 });
    const res = await importRuns({
      format: format as ImportFormat,
      paths: args._.map((p) => resolve(p)),
      bench,
      model: str(args, 'model'),
      out: str(args, 'out') ? resolve(str(args, 'out')!) : undefined,
      dataRoot: str(args, 'data') ? resolve(str(args, 'data')!) : undefined,
      options: optionsByBench(parseKeyValues(list(args, 'option') ?? [], '--option')),
      password: str(args, 'password'),
    });
    for (const s of res.skipped) process.stderr.write(`skipped ${s.file}: ${s.reason}\n`);
    for (const f of res.failed) process.stderr.write(`error: ${f.error}\n`);
    process.stdout.write(res.runs.map(line).join('\n') + (res.runs.length ? '\n' : ''));
    process.stdout.write(`${res.runs.length} run(s) imported, ${res.skipped.length} file(s) skipped (not masa benchmarks), ${res.failed.length} failed\n`);
    if (bool(args, 'json')) process.stdout.write(JSON.stringify(res) + '\n');
    if (res.failed.length > 0) return 1;
    return res.runs.length === 0 && res.skipped.length > 0 ? 1 : 0;
  },
};
