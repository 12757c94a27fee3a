import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { MasaError } from './errors.js';

export interface JsonlLine<T> {
  line: number;
  value: T;
}

/** Parses JSONL text; a bad line throws a MasaError naming `file:line`. Blank lines are skipped. */
export function parseJsonl<T = unknown>(text: string, file: string): Array<JsonlLine<T>> {
  const out: Array<JsonlLine<T>> = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '') continue;
    try {
      out.push({ line: i + 1, value: JSON.parse(raw) as T });
    } catch (e) {
      throw new MasaError(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`);
    }
  }
  return out;
}

export function readJsonlFile<T = unknown>(file: string): Array<JsonlLine<T>> {
  return parseJsonl<T>(readFileSync(file, 'utf8'), file);
}

/**
 * Streams a JSONL file line by line with bounded memory. A line that does not parse is
 * passed to `onBadLine` (default: throw a MasaError naming file:line).
 */
export async function* streamJsonl<T = unknown>(
  file: string,
  onBadLine?: (line: number, raw: string, error: Error) => void,
): AsyncGenerator<JsonlLine<T>> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const raw of rl) {
    n++;
    if (raw.trim() === '') continue;
    let value: T;
    try {
      value = JSON.parse(raw) as T;
    } catch (e) {
      if (onBadLine) {
        onBadLine(n, raw, e as Error);
        continue;
      }
      throw new MasaError(`${file}:${n}: not valid JSON (${(e as Error).message})`);
    }
    yield { line: n, value };
  }
}
