/**
 * `masa data fetch`: brings each benchmark's upstream files into the data directory, from
 * their public sources (data/sources.json: URLs at pinned commits) or from a local copy laid
 * out like ../shared/datasets (`--from`). Both paths share one check (size + sha256, or the
 * member of an encrypted archive) and one atomic write, so a failed or interrupted fetch
 * never leaves a corrupt file where a good one was.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeFileAtomic } from '../core/atomic.js';
import { MasaError } from '../core/errors.js';
import { sha256 } from '../core/hash.js';
import { projectRoot } from '../core/paths.js';
import { readZipMember, writeEncryptedZip } from '../core/zip.js';

export type ConvertKind = 'gunzip' | 'zip-json-array-to-jsonl' | 'zipcrypto-wrap';

export interface SourceRef {
  url: string;
  repo?: string;
  commit?: string;
  path?: string;
  /** sha256 of the downloaded bytes, checked before any conversion (when given). */
  sha256?: string;
  convert?: { kind: ConvertKind; member?: string };
  note?: string;
}

/** A file whose own bytes may legitimately differ (an archive masa wrote) is checked by its member. */
export interface ContentCheck {
  member: string;
  password?: string;
  bytes: number;
  sha256: string;
}

export interface FileSpec {
  /** Relative to the dataset folder. */
  path: string;
  bytes: number;
  sha256: string;
  jsonl_lines?: number;
  content?: ContentCheck;
  sources: SourceRef[];
}

export interface DatasetSpec {
  benchmarks: string[];
  licence: string;
  citation: string;
  files: FileSpec[];
}

export interface SourcesFile {
  description?: string;
  datasets: Record<string, DatasetSpec>;
}

export function sourcesPath(): string {
  return join(projectRoot(), 'data', 'sources.json');
}

export function readSources(file = sourcesPath()): SourcesFile {
  let parsed: SourcesFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as SourcesFile;
  } catch (e) {
    throw new MasaError(`${file}: cannot read (${(e as Error).message})`);
  }
  if (!parsed || typeof parsed.datasets !== 'object') throw new MasaError(`${file}: no "datasets" object`);
  return parsed;
}

/** Dataset folder names for `--bench` values (benchmark ids or folder names, any case); all when none given. */
export function selectDatasets(sources: SourcesFile, wanted?: readonly string[]): string[] {
  const names = Object.keys(sources.datasets);
  if (!wanted || wanted.length === 0) return names;
  const out: string[] = [];
  for (const w of wanted) {
    const lw = w.toLowerCase();
    const hit = names.find((n) => n.toLowerCase() === lw || sources.datasets[n]!.benchmarks.some((b) => b.toLowerCase() === lw));
    if (!hit) {
      const known = names.flatMap((n) => sources.datasets[n]!.benchmarks);
      throw new MasaError(`--bench ${w}: no such benchmark (known: ${known.join(', ')})`, { exitCode: 2 });
    }
    if (!out.includes(hit)) out.push(hit);
  }
  return out;
}

/** What the bytes are: checked against the spec. Throws one MasaError naming `label` and the fault. */
export function checkBytes(spec: FileSpec, buf: Buffer, label: string): 'sha256' | 'content' {
  if (buf.length === spec.bytes && sha256(buf) === spec.sha256) return 'sha256';
  if (spec.content) {
    try {
      const member = readZipMember(buf, spec.content.member, label, spec.content.password);
      if (member.length === spec.content.bytes && sha256(member) === spec.content.sha256) return 'content';
      throw new MasaError(`${label}: altered: member ${spec.content.member} has sha256 ${sha256(member)} (${member.length} bytes), expected ${spec.content.sha256}`);
    } catch (e) {
      if (e instanceof MasaError) throw e;
      throw new MasaError(`${label}: unreadable archive (${(e as Error).message})`);
    }
  }
  throw new MasaError(describeMismatch(buf, spec.bytes, spec.sha256, label));
}

function describeMismatch(buf: Buffer, bytes: number, expected: string, label: string): string {
  if (isLfsPointer(buf)) return `${label}: got a Git LFS pointer (${buf.length} bytes), not the file itself`;
  if (buf.length < bytes) return `${label}: truncated: ${buf.length} of ${bytes} bytes`;
  if (buf.length > bytes) return `${label}: altered: ${buf.length} bytes, expected ${bytes}`;
  return `${label}: altered: sha256 ${sha256(buf)}, expected ${expected}`;
}

function isLfsPointer(buf: Buffer): boolean {
  return buf.length < 1024 && buf.subarray(0, 40).toString('latin1').startsWith('version https://git-lfs.github.com/spec/');
}

/**
 * Python's json.dumps(value, ensure_ascii=False): ", " and ": " separators, non-ASCII kept
 * as is. Used to rebuild the MMLU-Pro JSONL byte for byte from the maintainers' JSON arrays.
 * JSON.stringify escapes strings exactly as Python does (", \\, \b \f \n \r \t, other
 * control characters as lowercase \u00XX), so only the layout differs.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    // JSON.parse cannot tell 1 from 1.0, so only integers can be re-serialised faithfully.
    if (!Number.isSafeInteger(value)) throw new MasaError(`cannot re-serialise the number ${value} byte-exactly`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
  throw new MasaError(`cannot serialise a ${typeof value}`);
}

export function jsonArrayToJsonl(text: string, label: string): Buffer {
  let arr: unknown;
  try {
    arr = JSON.parse(text);
  } catch (e) {
    throw new MasaError(`${label}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(arr)) throw new MasaError(`${label}: expected a JSON array`);
  return Buffer.from(arr.map((r) => pythonJsonDumps(r) + '\n').join(''), 'utf8');
}

/** Turns downloaded bytes into the file masa stores (in memory; nothing plain touches the disk). */
export function convertSource(src: SourceRef, body: Buffer, spec: FileSpec, label: string): Buffer {
  if (src.sha256 && sha256(body) !== src.sha256) {
    const what = isLfsPointer(body) ? 'a Git LFS pointer, not the file itself' : `sha256 ${sha256(body)} (${body.length} bytes), expected ${src.sha256}`;
    throw new MasaError(`${label}: the download is ${what}`);
  }
  const kind = src.convert?.kind;
  if (!kind) return body;
  if (kind === 'gunzip') {
    try {
      return gunzipSync(body);
    } catch (e) {
      throw new MasaError(`${label}: cannot gunzip the download (${(e as Error).message})`);
    }
  }
  if (kind === 'zip-json-array-to-jsonl') {
    const member = src.convert!.member;
    if (!member) throw new MasaError(`${label}: sources.json names no member to convert`);
    return jsonArrayToJsonl(readZipMember(body, member, label).toString('utf8'), `${label}!${member}`);
  }
  if (kind === 'zipcrypto-wrap') {
    const c = spec.content;
    if (!c) throw new MasaError(`${label}: sources.json gives no "content" for an encrypted archive`);
    // Check the plain bytes before wrapping, so a bad download is reported as such.
    if (body.length !== c.bytes || sha256(body) !== c.sha256) throw new MasaError(describeMismatch(body, c.bytes, c.sha256, `${label} (download)`));
    return writeEncryptedZip(src.convert!.member ?? c.member, body, c.password ?? '', Buffer.from(c.sha256, 'hex'));
  }
  throw new MasaError(`${label}: unknown conversion '${String(kind)}' in sources.json`);
}

export interface DownloadOptions {
  timeoutMs?: number;
  maxBytes?: number;
}

/** GET with redirects followed, a time limit and a size limit. */
export async function download(url: string, opts: DownloadOptions = {}): Promise<Buffer> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const maxBytes = opts.maxBytes ?? 512 * 1024 * 1024;
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'masa-data-fetch' } });
  } catch (e) {
    const err = e as Error & { cause?: { message?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (err.cause?.message ?? err.message);
    throw new MasaError(`${url}: download failed (${why})`);
  }
  if (!res.ok) throw new MasaError(`${url}: download failed (HTTP ${res.status} ${res.statusText})`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw new MasaError(`${url}: ${declared} bytes is over the ${maxBytes}-byte limit`);
  const chunks: Buffer[] = [];
  let total = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > maxBytes) throw new MasaError(`${url}: over the ${maxBytes}-byte limit`);
      chunks.push(Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

export interface FetchOptions {
  /** Dataset folder names (see selectDatasets). */
  datasets: readonly string[];
  sources: SourcesFile;
  /** Destination data directory. */
  dir: string;
  /** A local copy laid out like ../shared/datasets; when absent, download. */
  from?: string;
  download?: DownloadOptions;
  log?: (line: string) => void;
}

export interface FetchedFile {
  dataset: string;
  path: string;
  action: 'present' | 'written' | 'replaced';
  check: 'sha256' | 'content';
  origin: string;
}

async function readIfPresent(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MasaError(`${file}: cannot read (${(e as Error).message})`);
  }
}

export async function fetchDatasets(opts: FetchOptions): Promise<FetchedFile[]> {
  const log = opts.log ?? (() => undefined);
  const done: FetchedFile[] = [];
  const cache = new Map<string, Buffer>();
  for (const name of opts.datasets) {
    const ds = opts.sources.datasets[name];
    if (!ds) throw new MasaError(`no dataset '${name}' in sources.json`);
    log(`${name} (${ds.benchmarks.join(', ')}): licence ${ds.licence}`);
    for (const spec of ds.files) {
      const dest = join(opts.dir, name, spec.path);
      const existing = await readIfPresent(dest);
      let wasBad: string | undefined;
      if (existing) {
        try {
          const check = checkBytes(spec, existing, dest);
          done.push({ dataset: name, path: spec.path, action: 'present', check, origin: dest });
          log(`  ${spec.path}: present, verified`);
          continue;
        } catch (e) {
          wasBad = (e as Error).message;
        }
      }
      let data: Buffer;
      let origin: string;
      if (opts.from) {
        origin = join(opts.from, name, spec.path);
        if (!existsSync(origin)) throw new MasaError(`${origin}: missing (the --from folder should be laid out like ../shared/datasets)`);
        data = await readFile(origin);
      } else {
        let lastError: Error | undefined;
        let got: { data: Buffer; url: string } | undefined;
        for (const src of spec.sources) {
          try {
            let body = cache.get(src.url);
            if (!body) {
              log(`  ${spec.path}: downloading ${src.url}`);
              body = await download(src.url, opts.download);
              cache.set(src.url, body);
            }
            const converted = convertSource(src, body, spec, `${name}/${spec.path} from ${src.url}`);
            checkBytes(spec, converted, `${name}/${spec.path} from ${src.url}`);
            got = { data: converted, url: src.url };
            break;
          } catch (e) {
            lastError = e as Error;
            log(`  ${spec.path}: ${(e as Error).message}`);
          }
        }
        if (!got) throw lastError instanceof MasaError ? lastError : new MasaError(`${name}/${spec.path}: no source could be fetched (${lastError?.message ?? 'no sources listed'})`);
        data = got.data;
        origin = got.url;
      }
      const check = checkBytes(spec, data, origin);
      writeFileAtomic(dest, data);
      done.push({ dataset: name, path: spec.path, action: existing ? 'replaced' : 'written', check, origin });
      log(`  ${spec.path}: ${existing ? `replaced (was ${wasBad})` : 'written'}, verified by ${check === 'sha256' ? 'sha256' : `the sha256 of ${spec.content!.member}`}`);
    }
  }
  return done;
}

export interface FileStatus {
  dataset: string;
  path: string;
  state: 'verified' | 'missing' | 'bad';
  detail: string;
}

/** What is in the data directory, each file checked. */
export async function datasetStatus(sources: SourcesFile, datasets: readonly string[], dir: string): Promise<FileStatus[]> {
  const out: FileStatus[] = [];
  for (const name of datasets) {
    for (const spec of sources.datasets[name]!.files) {
      const file = join(dir, name, spec.path);
      const buf = await readIfPresent(file);
      if (!buf) {
        out.push({ dataset: name, path: spec.path, state: 'missing', detail: file });
        continue;
      }
      try {
        const how = checkBytes(spec, buf, file);
        out.push({ dataset: name, path: spec.path, state: 'verified', detail: how === 'sha256' ? 'sha256' : `sha256 of ${spec.content!.member}` });
      } catch (e) {
        out.push({ dataset: name, path: spec.path, state: 'bad', detail: (e as Error).message });
      }
    }
  }
  return out;
}
