/**
 * The results store: one folder per run holding an append-only samples.jsonl and meta.json
 * (layout in records.ts). Records are written synchronously before the slot that fetched them
 * carries another request, so a kill -9 loses only the requests in flight; a torn
 * last line is cut off, set aside in samples.torn-<time>.jsonl and reported, never merged. Readers stream, so memory stays bounded.
 */
import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MasaError } from '../core/errors.js';
import { streamJsonl } from '../core/jsonl.js';
import { META_FILE, SAMPLES_FILE, type RunMeta, type SampleRecord } from './records.js';
import type { Redactor } from './redact.js';
import type { ExtractionPolicy, TrialScore } from '../bench/types.js';

export interface TornLine {
  /** Where the torn bytes were moved. */
  file: string;
  bytes: number;
}

/** Cuts an unterminated last line off `file` into a side file; returns what was moved, if anything. */
export function setAsideTornTail(file: string, now = new Date()): TornLine | null {
  if (!existsSync(file)) return null;
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return null;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return null;
    // Scan back in chunks for the last newline.
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    let cut = 0;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const n = readSync(fd, chunk, 0, end - start, start);
      const idx = chunk.subarray(0, n).lastIndexOf(0x0a);
      if (idx >= 0) {
        cut = start + idx + 1;
        break;
      }
      end = start;
    }
    const torn = Buffer.alloc(size - cut);
    readSync(fd, torn, 0, torn.length, cut);
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const side = join(file, '..', `${basename(file, '.jsonl')}.torn-${stamp}.jsonl`);
    writeFileSync(side, torn);
    ftruncateSync(fd, cut);
    return { file: side, bytes: torn.length };
  } finally {
    closeSync(fd);
  }
}

export interface ScanResult {
  /** Request keys that already have a successful record. */
  done: Set<string>;
  /** Request keys whose records are all errors (to retry). */
  failed: Set<string>;
  records: number;
  /** Complete lines that did not parse (reported and ignored). */
  badLines: number[];
  torn: TornLine | null;
}

/** Opens a run folder for appending: sets aside a torn tail, then indexes what is there. */
export async function scanRun(runDir: string): Promise<ScanResult> {
  const file = join(runDir, SAMPLES_FILE);
  const torn = setAsideTornTail(file);
  const done = new Set<string>();
  const failed = new Set<string>();
  const badLines: number[] = [];
  let records = 0;
  if (existsSync(file)) {
    for await (const { value } of streamJsonl<SampleRecord>(file, (line) => badLines.push(line))) {
      records++;
      if (!value || typeof value.request_key !== 'string') continue;
      if (value.error === null && value.response !== undefined) {
        done.add(value.request_key);
        failed.delete(value.request_key);
      } else if (!done.has(value.request_key)) failed.add(value.request_key);
    }
  }
  return { done, failed, records, badLines, torn };
}

/**
 * Appends records. Lines are gathered and written with one synchronous write by flush(), which
 * the online runner calls before a freed slot carries a new request (so a kill -9 loses only the
 * requests in flight), else at the end of the event-loop turn (setImmediate) or past 256 KiB;
 * close() writes what is left. Batch import appends many records a turn: one write for them all.
 */
export class SampleWriter {
  private fd: number | null;
  private pending: string[] = [];
  private pendingBytes = 0;
  private scheduled: NodeJS.Immediate | null = null;
  private static readonly MAX_PENDING_BYTES = 256 * 1024;

  constructor(
    readonly file: string,
    private readonly redactor: Redactor,
  ) {
    this.fd = openSync(file, 'a');
  }

  /** A SampleRecord, a game run's TurnRecord/EpisodeRecord, or any other JSON line of a run's log. */
  append(record: object): void {
    if (this.fd === null) throw new Error(`${this.file}: writer closed`);
    const line = this.redactor.text(JSON.stringify(record)) + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= SampleWriter.MAX_PENDING_BYTES) this.flush();
    else if (this.scheduled === null) this.scheduled = setImmediate(() => this.flush());
  }

  /** Writes the gathered lines now (synchronously). */
  flush(): void {
    if (this.scheduled !== null) clearImmediate(this.scheduled);
    this.scheduled = null;
    if (this.pending.length === 0 || this.fd === null) return;
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    writeSync(this.fd, text);
  }

  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

export function writeMeta(runDir: string, meta: RunMeta, redactor: Redactor): void {
  const tmp = join(runDir, `${META_FILE}.tmp`);
  writeFileSync(tmp, redactor.text(JSON.stringify(meta, null, 2)) + '\n');
  renameSync(tmp, join(runDir, META_FILE));
}

export function readMeta(runDir: string): RunMeta | null {
  const file = join(runDir, META_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunMeta;
  } catch (e) {
    throw new MasaError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

export interface RunListing {
  run_id: string;
  dir: string;
  meta: RunMeta | null;
}

/** Every run folder under a results folder (one holding samples.jsonl or meta.json). */
export function listRuns(outDir: string): RunListing[] {
  if (!existsSync(outDir)) return [];
  const out: RunListing[] = [];
  for (const name of readdirSync(outDir).sort()) {
    const dir = join(outDir, name);
    if (!statSync(dir).isDirectory()) continue;
    if (!existsSync(join(dir, SAMPLES_FILE)) && !existsSync(join(dir, META_FILE))) continue;
    out.push({ run_id: name, dir, meta: readMeta(dir) });
  }
  return out;
}

export interface ReadOptions {
  /** Called for a line that does not parse (a torn last line, or a corrupt one). Default: ignore. */
  onBadLine?: (line: number, raw: string) => void;
}

/**
 * Streams a run's records in file order. A torn or corrupt line is skipped and reported through
 * onBadLine (readers never modify the file; `masa eval` sets torn tails aside when it resumes).
 */
export async function* readRecords(runDir: string, opts: ReadOptions = {}): AsyncGenerator<SampleRecord> {
  const file = join(runDir, SAMPLES_FILE);
  if (!existsSync(file)) return;
  for await (const { value } of streamJsonl<SampleRecord>(file, (line, raw) => opts.onBadLine?.(line, raw))) yield value;
}

/**
 * The rule for which record counts for an (item, trial) when a log holds several (retries,
 * resumed runs): the latest success, else the latest error. True when a record with outcome
 * `nextOk` replaces the one kept so far (`prevOk` undefined: none kept yet).
 */
export function replacesKept(prevOk: boolean | undefined, nextOk: boolean): boolean {
  return prevOk === undefined || nextOk || !prevOk;
}

/** The trial score a successful record carries, in the form a benchmark's reduce takes. */
export function recordScore(r: SampleRecord): TrialScore {
  return { extracted: r.extracted, rule: r.rule ?? 'none', gold: r.gold ?? '', correct: r.correct === true, ...(r.status ? { status: r.status } : {}) };
}

/** A policy's verdict from a record; null for a record written before both verdicts were kept. */
export function recordPolicyScore(r: SampleRecord, policy: ExtractionPolicy): TrialScore | null {
  const v = r.policies?.[policy];
  if (!v) return null;
  return { extracted: v.extracted, rule: v.rule, gold: r.gold ?? '', correct: v.correct === true, ...(v.status ? { status: v.status } : {}) };
}

/**
 * The record that counts for each (item, trial) (see replacesKept).
 * With `keys`, only records whose request_key is in it (the current plan of a run).
 */
export async function latestRecords(runDir: string, opts: ReadOptions & { keys?: Set<string> } = {}): Promise<Map<string, SampleRecord>> {
  const best = new Map<string, SampleRecord>();
  for await (const r of readRecords(runDir, opts)) {
    if (opts.keys && !opts.keys.has(r.request_key)) continue;
    const k = `${r.item_id}\u0000${r.trial}`;
    const prev = best.get(k);
    if (replacesKept(prev ? prev.error === null : undefined, r.error === null)) best.set(k, r);
  }
  return best;
}
