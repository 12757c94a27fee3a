/**
 * Reading other harnesses' files with errors that name the file and line: JSON lines (a torn
 * last line is a truncated file), whole JSON documents (a parse error is placed on its line),
 * and zip members (a zip cut short has no central directory). Pure apart from reading bytes.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MasaError } from '../../core/errors.js';
import { listZip, readZipEntry } from '../../core/zip.js';

export interface JsonLine {
  line: number;
  value: unknown;
}

/** JSON lines; a last line without its newline that does not parse means the file was cut short. */
export function parseJsonLines(text: string, file: string): JsonLine[] {
  const lines = text.split('\n');
  const out: JsonLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '') continue;
    try {
      out.push({ line: i + 1, value: JSON.parse(raw) });
    } catch (e) {
      const last = i === lines.length - 1;
      throw new MasaError(`${file}:${i + 1}: ${last ? 'truncated (the last line is cut short)' : `not valid JSON (${(e as Error).message})`}`);
    }
  }
  return out;
}

/** A whole JSON document; a syntax error names the line it is on ("truncated" when it is the end). */
export function parseJsonDocument(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const at = pos ? Number(pos[1]) : text.length;
    const line = text.slice(0, at).split('\n').length;
    const cut = at >= text.trimEnd().length || /Unexpected end/.test(msg);
    throw new MasaError(`${file}:${line}: ${cut ? 'truncated (the JSON ends before it closes)' : `not valid JSON (${msg})`}`);
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A zip's members by name, read lazily; a file that is not a whole zip gets one clear error. */
export class ZipFile {
  private readonly entries: ReturnType<typeof listZip>;
  constructor(
    readonly buf: Buffer,
    readonly file: string,
    private readonly password?: string,
  ) {
    try {
      this.entries = listZip(buf, file);
    } catch (e) {
      throw new MasaError(`${file}: not a complete zip archive (truncated or another format): ${(e as Error).message}`);
    }
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  read(name: string): Buffer {
    const e = this.entries.find((x) => x.name === name);
    if (!e) throw new MasaError(`${this.file}: no member '${name}'`);
    try {
      return readZipEntry(this.buf, e, this.file, e.encrypted ? this.password : undefined);
    } catch (err) {
      throw new MasaError(`${this.file}!${name}: cannot be read (${(err as Error).message})`);
    }
  }

  text(name: string): string {
    return this.read(name).toString('utf8');
  }
}

/** Files named on the command line, with folders expanded (sorted, recursively) to the files `keep` accepts. */
export function expandPaths(paths: readonly string[], keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (p: string, top: boolean): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new MasaError(`${p}: no such file or folder`);
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name), false);
    } else if (top || keep(p)) out.push(p);
  };
  for (const p of paths) walk(p, true);
  return out;
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}
