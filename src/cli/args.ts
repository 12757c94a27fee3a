import { MasaError } from '../core/errors.js';

export type FlagType = 'string' | 'number' | 'boolean' | 'list';

export interface FlagSpec {
  type: FlagType;
  description: string;
  /** Shown in help; the command applies defaults itself so they stay next to their meaning. */
  default?: string | number | boolean;
  /** Placeholder shown in help, e.g. '<url>'. */
  arg?: string;
}

export interface ParsedArgs {
  /** Positional words after the command (e.g. 'fetch' in `masa data fetch`). */
  _: string[];
  flags: Record<string, string | number | boolean | string[]>;
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name`. Unknown flags and missing or
 * malformed values throw a MasaError naming the flag, so a typo never runs a job with defaults.
 */
export function parseArgs(argv: readonly string[], specs: Record<string, FlagSpec>, command: string): ParsedArgs {
  const out: ParsedArgs = { _: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      out._.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('--') || word === '--') {
      if (word.startsWith('-') && word.length > 1 && !/^-\d/.test(word)) {
        throw new MasaError(`masa ${command}: unknown option '${word}' (see 'masa ${command} --help')`, { exitCode: 2 });
      }
      out._.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq >= 0 ? word.slice(2, eq) : word.slice(2);
    const spec = specs[name];
    if (!spec) throw new MasaError(`masa ${command}: unknown flag '--${name}' (see 'masa ${command} --help')`, { exitCode: 2 });
    let value: string | undefined = eq >= 0 ? word.slice(eq + 1) : undefined;
    if (spec.type === 'boolean') {
      if (value === undefined) out.flags[name] = true;
      else if (value === 'true' || value === 'false') out.flags[name] = value === 'true';
      else throw new MasaError(`masa ${command}: --${name} takes no value or true/false, got '${value}'`, { exitCode: 2 });
      continue;
    }
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) {
        throw new MasaError(`masa ${command}: --${name} needs a value`, { exitCode: 2 });
      }
      i++;
    }
    if (spec.type === 'number') {
      const num = Number(value);
      if (value.trim() === '' || !Number.isFinite(num)) {
        throw new MasaError(`masa ${command}: --${name} must be a number, got '${value}'`, { exitCode: 2 });
      }
      out.flags[name] = num;
    } else if (spec.type === 'list') {
      const prev = (out.flags[name] as string[] | undefined) ?? [];
      out.flags[name] = [...prev, ...value.split(',').map((s) => s.trim()).filter((s) => s !== '')];
    } else {
      out.flags[name] = value;
    }
  }
  return out;
}

/** Typed accessors so commands read flags without casts. */
export function str(args: ParsedArgs, name: string): string | undefined;
export function str(args: ParsedArgs, name: string, fallback: string): string;
export function str(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : fallback;
}

export function num(args: ParsedArgs, name: string): number | undefined;
export function num(args: ParsedArgs, name: string, fallback: number): number;
export function num(args: ParsedArgs, name: string, fallback?: number): number | undefined {
  const v = args.flags[name];
  return typeof v === 'number' ? v : fallback;
}

export function bool(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

export function list(args: ParsedArgs, name: string): string[] | undefined {
  const v = args.flags[name];
  return Array.isArray(v) ? v : undefined;
}

/** A required flag: throws naming it when absent. */
export function required(args: ParsedArgs, name: string, command: string): string {
  const v = args.flags[name];
  if (v === undefined || v === '') throw new MasaError(`masa ${command}: --${name} is required (see 'masa ${command} --help')`, { exitCode: 2 });
  return Array.isArray(v) ? v.join(',') : String(v);
}
