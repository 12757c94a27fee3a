import { MasaError } from '../core/errors.js';
import { parseArgs } from './args.js';
import { formatHelp } from './command.js';
import { COMMANDS } from './commands/index.js';

const VERSION_HINT = "see 'masa --help'";

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'masa: Multi-Agent Scaling Analysis',
    '',
    'Usage: masa <command> [flags]    (masa <command> --help for its flags)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
  ].join('\n');
}

/** Runs the CLI and returns the exit code; never calls process.exit itself (tests call this). */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp() + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { projectRoot } = await import('../core/paths.js');
    process.stdout.write(JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')).version + '\n');
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`masa: unknown command '${name}' (${VERSION_HINT})\n`);
    return 2;
  }
  try {
    const cmd = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(formatHelp(cmd) + '\n');
      return 0;
    }
    const args = parseArgs(rest, cmd.flags, cmd.name);
    const code = await cmd.run(args);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    if (e instanceof MasaError) {
      process.stderr.write(`${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
