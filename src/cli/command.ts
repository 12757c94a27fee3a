import type { FlagSpec, ParsedArgs } from './args.js';

export interface Command {
  name: string;
  /** One line for `masa --help`. */
  summary: string;
  /** Usage lines, e.g. 'masa score --bench <id> --responses <file.jsonl> [--json]'. */
  usage: string[];
  flags: Record<string, FlagSpec>;
  /** Extra help text (sub-commands, examples). */
  details?: string;
  /** Returns the exit code (default 0). */
  run(args: ParsedArgs): Promise<number | void>;
}

export function formatHelp(cmd: Command): string {
  const lines = [`masa ${cmd.name}: ${cmd.summary}`, '', 'Usage:', ...cmd.usage.map((u) => `  ${u}`)];
  const names = Object.keys(cmd.flags);
  if (names.length > 0) {
    lines.push('', 'Flags:');
    const left = names.map((n) => {
      const f = cmd.flags[n]!;
      return f.type === 'boolean' ? `--${n}` : `--${n} ${f.arg ?? `<${f.type === 'number' ? 'n' : 'value'}>`}`;
    });
    const width = Math.max(...left.map((l) => l.length)) + 2;
    names.forEach((n, i) => {
      const f = cmd.flags[n]!;
      const def = f.default !== undefined ? ` (default: ${f.default})` : '';
      lines.push(`  ${left[i]!.padEnd(width)}${f.description}${def}`);
    });
  }
  lines.push(`  ${'--help'.padEnd(2)}  show this help`);
  if (cmd.details) lines.push('', cmd.details.trimEnd());
  return lines.join('\n');
}
