import { join, resolve } from 'node:path';
import { auditResults, auditText } from '../../analysis/audit.js';
import { benchmarkIds } from '../../bench/registry.js';
import { MasaError } from '../../core/errors.js';
import { writeAuditPage } from '../../figures/audit-page.js';
import { bool, list, num, required, str } from '../args.js';
import type { Command } from '../command.js';

export const command: Command = {
  name: 'audit',
  summary: 'list the responses the two answer parsers read differently, with no answer found, or truncated (text and HTML)',
  usage: ['masa audit --results <dir> [--bench <id,...>] [--model <name,...>] [--html <file>] [--examples N] [--json]'],
  flags: {
    results: { type: 'string', arg: '<dir>', description: 'results folder of masa eval (<dir>/<run_id>/samples.jsonl)' },
    bench: { type: 'list', arg: '<id,...>', description: 'only these benchmarks' },
    model: { type: 'list', arg: '<name,...>', description: 'only these served model names' },
    html: { type: 'string', arg: '<file>', description: 'the HTML page to write', default: '<results>/audit.html' },
    examples: { type: 'number', arg: '<n>', description: 'examples shown per group', default: 3 },
    data: { type: 'string', arg: '<dir>', description: 'dataset root (to rescore records written before both verdicts were kept)' },
    json: { type: 'boolean', description: 'print the audit as one JSON object on the last line of stdout' },
  },
  details: [
    'Each response counts once (the record that counts per item and trial, as masa summarize takes it):',
    '"disagree" when the upstream policy (the benchmark authors\' own extraction) and the robust one',
    '(masa\'s) differ in the verdict or one finds an answer and the other none; "no answer" when neither',
    'finds one; "truncated" when the token limit cut the response (scored as no answer). Groups are by',
    'model, benchmark, kind and the rules that fired (upstream → robust).',
  ].join('\n'),
  async run(args) {
    const dir = resolve(required(args, 'results', 'audit'));
    const benches = list(args, 'bench');
    const known = benchmarkIds();
    for (const b of benches ?? []) if (!known.includes(b)) throw new MasaError(`masa audit: unknown benchmark '${b}' (known: ${known.join(', ')})`, { exitCode: 2 });
    const examples = num(args, 'examples', 3);
    if (!(Number.isInteger(examples) && examples >= 0)) throw new MasaError(`masa audit: --examples must be a non-negative integer, got ${examples}`, { exitCode: 2 });
    const res = await auditResults(dir, {
      benches,
      models: list(args, 'model'),
      examples,
      dataRoot: str(args, 'data') ? resolve(str(args, 'data')!) : undefined,
      onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
    });
    if (res.runs.length === 0) throw new MasaError(`masa audit: no run in ${dir} matches${benches ? ` --bench ${benches.join(',')}` : ''}${list(args, 'model') ? ` --model ${list(args, 'model')!.join(',')}` : ''}`, { exitCode: 2 });
    const synthetic = res.runs.some((r) => r.model.startsWith('sim/'));
    const html = resolve(str(args, 'html') ?? join(dir, 'audit.html'));
    writeAuditPage(html, res, { source: dir, synthetic });
    const lines = auditText(res, dir);
    if (synthetic) lines.splice(1, 0, 'note: simulated (sim/) models: synthetic responses, not measurements');
    lines.push('', `audit page: ${html}`);
    process.stdout.write(lines.join('\n') + '\n');
    if (bool(args, 'json')) process.stdout.write(JSON.stringify({ ...res, html }) + '\n');
    return 0;
  },
};
