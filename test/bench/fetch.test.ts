import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  checkBytes,
  datasetStatus,
  download,
  fetchDatasets,
  jsonArrayToJsonl,
  pythonJsonDumps,
  readSources,
  selectDatasets,
  type FileSpec,
  type SourcesFile,
} from '../../src/bench/fetch.js';
import { gpqaDiamond, GPQA_PASSWORD } from '../../src/bench/gpqa-diamond.js';
import { sha256 } from '../../src/core/hash.js';
import { readZipMember, writeZip } from '../../src/core/zip.js';
import { sharedDatasets } from '../helpers.js';

const shared = sharedDatasets();
const tmp = mkdtempSync(join(tmpdir(), 'masa-fetch-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const sources = readSources();

function masa(...args: string[]) {
  const r = spawnSync(process.execPath, [resolve('bin/masa.mjs'), ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('sources.json: all 7 datasets, each file with sha256, size, licence, citation and a pinned public URL', () => {
  assert.deepEqual(Object.keys(sources.datasets).sort(), ['CoordinationQA', 'EmoBench', 'GPQA', 'HumanEval', 'MATH-500', 'MMLU-Pro', 'ToMBench']);
  for (const [name, ds] of Object.entries(sources.datasets)) {
    assert.ok(ds.licence.length > 2 && ds.citation.length > 10, name);
    for (const f of ds.files) {
      assert.match(f.sha256, /^[0-9a-f]{64}$/, `${name}/${f.path}`);
      assert.ok(f.bytes > 0);
      assert.ok(f.sources.length > 0);
      for (const s of f.sources) assert.match(s.url, /^https:\/\//);
      // GitHub sources are pinned to a commit, never a branch.
      for (const s of f.sources.filter((x) => x.url.includes('github'))) assert.match(s.url, /\/[0-9a-f]{40}\//, s.url);
    }
  }
  assert.equal(sources.datasets.ToMBench!.files.length, 20);
  assert.deepEqual(selectDatasets(sources, ['mmlu-pro', 'GPQA', 'gpqa-diamond']), ['MMLU-Pro', 'GPQA']);
  assert.throws(() => selectDatasets(sources, ['mmlu']), /--bench mmlu: no such benchmark/);
});

test('sources.json agrees with ../shared/datasets/manifest.json', { skip: shared.skip }, () => {
  const manifest = JSON.parse(readFileSync(join(shared.dir!, 'manifest.json'), 'utf8')) as Record<string, Array<{ path: string; sha256: string; bytes: number }>>;
  for (const [name, ds] of Object.entries(sources.datasets)) {
    for (const f of ds.files) {
      const m = manifest[name]!.find((x) => x.path === `${name}/${f.path}`);
      assert.ok(m, `${name}/${f.path} in manifest`);
      assert.equal(f.sha256, m!.sha256);
      assert.equal(f.bytes, m!.bytes);
    }
  }
});

test('fetch --from copies, verifies and reports licences; a second run finds the files present', { skip: shared.skip }, async () => {
  const dir = join(tmp, 'from-ok');
  const lines: string[] = [];
  const first = await fetchDatasets({ datasets: ['GPQA', 'EmoBench'], sources, dir, from: shared.dir!, log: (l) => lines.push(l) });
  assert.deepEqual(first.map((f) => [f.path, f.action, f.check]), [
    ['gpqa_diamond.zip', 'written', 'sha256'],
    ['data/EA.jsonl', 'written', 'sha256'],
    ['data/EU.jsonl', 'written', 'sha256'],
  ]);
  assert.ok(lines.some((l) => l.startsWith('GPQA (gpqa-diamond): licence CC-BY-4.0')));
  assert.ok(lines.some((l) => l.startsWith('EmoBench (emobench): licence MIT')));
  assert.equal(sha256(readFileSync(join(dir, 'EmoBench', 'data', 'EA.jsonl'))), sources.datasets.EmoBench!.files[0]!.sha256);
  const second = await fetchDatasets({ datasets: ['GPQA'], sources, dir, from: shared.dir! });
  assert.equal(second[0]!.action, 'present');
  // Only the encrypted archive is on disk; the loader reads it in memory.
  assert.deepEqual(readdirSync(join(dir, 'GPQA')), ['gpqa_diamond.zip']);
  assert.equal((await gpqaDiamond.load(join(dir, 'GPQA'), gpqaDiamond.defaultOptions)).length, 198);
});

/** A --from folder holding one EmoBench file, damaged as asked. */
function fromWith(name: string, mutate: (b: Buffer) => Buffer | undefined): string {
  const from = join(tmp, name);
  mkdirSync(join(from, 'EmoBench', 'data'), { recursive: true });
  const good = readFileSync(join(shared.dir!, 'EmoBench', 'data', 'EA.jsonl'));
  const bad = mutate(Buffer.from(good));
  if (bad) writeFileSync(join(from, 'EmoBench', 'data', 'EA.jsonl'), bad);
  copyFileSync(join(shared.dir!, 'EmoBench', 'data', 'EU.jsonl'), join(from, 'EmoBench', 'data', 'EU.jsonl'));
  return from;
}

test('fetch --from: a missing, truncated or altered file is one clear error naming it; nothing bad is written', { skip: shared.skip }, async () => {
  const dir = join(tmp, 'from-bad');
  const run = (from: string) => fetchDatasets({ datasets: ['EmoBench'], sources, dir, from });
  await assert.rejects(run(fromWith('missing', () => undefined)), /\/missing\/EmoBench\/data\/EA\.jsonl: missing \(the --from folder/);
  await assert.rejects(run(fromWith('trunc', (b) => b.subarray(0, 1000))), /\/trunc\/EmoBench\/data\/EA\.jsonl: truncated: 1000 of 238628 bytes/);
  await assert.rejects(
    run(fromWith('altered', (b) => {
      b[500] = b[500]! ^ 1;
      return b;
    })),
    /altered\/EmoBench\/data\/EA\.jsonl: altered: sha256 [0-9a-f]{64}, expected 344c8491/,
  );
  await assert.rejects(run(fromWith('longer', (b) => Buffer.concat([b, Buffer.from('\n')]))), /EA\.jsonl: altered: 238629 bytes, expected 238628/);
  assert.equal(existsSync(join(dir, 'EmoBench', 'data', 'EA.jsonl')), false);
});

test('fetch replaces a damaged copy atomically; status reports missing / bad / verified', { skip: shared.skip }, async () => {
  const dir = join(tmp, 'repair');
  const ea = join(dir, 'EmoBench', 'data', 'EA.jsonl');
  mkdirSync(join(dir, 'EmoBench', 'data'), { recursive: true });
  writeFileSync(ea, 'half a file');
  let st = await datasetStatus(sources, ['EmoBench'], dir);
  assert.deepEqual(st.map((s) => s.state), ['bad', 'missing']);
  assert.match(st[0]!.detail, /EA\.jsonl: truncated: 11 of 238628 bytes/);
  // A bad source leaves the damaged copy as it was (no partial overwrite).
  await assert.rejects(fetchDatasets({ datasets: ['EmoBench'], sources, dir, from: fromWith('bad2', (b) => b.subarray(1)) }), /truncated/);
  assert.equal(readFileSync(ea, 'utf8'), 'half a file');
  const done = await fetchDatasets({ datasets: ['EmoBench'], sources, dir, from: shared.dir! });
  assert.deepEqual(done.map((d) => d.action), ['replaced', 'written']);
  st = await datasetStatus(sources, ['EmoBench'], dir);
  assert.deepEqual(st.map((s) => s.state), ['verified', 'verified']);
  assert.deepEqual(readdirSync(join(dir, 'EmoBench', 'data')).sort(), ['EA.jsonl', 'EU.jsonl']);
});

test('masa data fetch / status on the command line', { skip: shared.skip }, () => {
  const dir = join(tmp, 'cli');
  const f = masa('data', 'fetch', '--bench', 'mmlu-pro', '--from', shared.dir!, '--dir', dir);
  assert.equal(f.status, 0, f.stderr);
  assert.match(f.stdout, /MMLU-Pro \(mmlu-pro\): licence MIT/);
  assert.match(f.stdout, /8 file\(s\) verified/);
  const s = masa('data', 'status', '--bench', 'mmlu-pro,gpqa-diamond', '--dir', dir);
  assert.equal(s.status, 1);
  assert.match(s.stdout, /MMLU-Pro \(mmlu-pro\): 8\/8 verified/);
  assert.match(s.stdout, /GPQA \(gpqa-diamond\): 0\/1 verified/);
  const bad = masa('data', 'fetch', '--bench', 'emobench', '--from', join(tmp, 'nowhere'), '--dir', dir);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /nowhere\/EmoBench\/data\/EA\.jsonl: missing/);
});

test('MMLU-Pro conversion: the maintainers\' JSON arrays re-serialise to the exact JSONL bytes', { skip: shared.skip }, () => {
  for (const f of sources.datasets['MMLU-Pro']!.files.slice(0, 2)) {
    const jsonl = readFileSync(join(shared.dir!, 'MMLU-Pro', f.path), 'utf8');
    const array = `[\n${jsonl.trim().split('\n').map((l) => JSON.stringify(JSON.parse(l), null, 4)).join(',\n')}\n]`;
    const out = jsonArrayToJsonl(array, 'x.json');
    assert.equal(out.length, f.bytes);
    assert.equal(sha256(out), f.sha256);
  }
  assert.equal(pythonJsonDumps({ a: [1, 'é\n\u0001"'], b: null, c: true }), '{"a": [1, "é\\n\\u0001\\""], "b": null, "c": true}');
  assert.throws(() => pythonJsonDumps({ x: 0.5 }), /byte-exactly/);
});

// A loopback server standing in for GitHub, to exercise the real download path.
let server: Server;
let base = '';
const routes = new Map<string, () => { status: number; body?: Buffer; headers?: Record<string, string> }>();
before(async () => {
  server = createServer((req, res) => {
    const r = routes.get(req.url ?? '');
    if (!r) {
      res.writeHead(404).end('not found');
      return;
    }
    const out = r();
    if (out.status === 0) return; // never answer (timeout case); closed with the server
    res.writeHead(out.status, out.headers ?? {}).end(out.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test('download: redirects followed, HTTP errors and time limits reported with the URL', async () => {
  routes.set('/file', () => ({ status: 200, body: Buffer.from('hello') }));
  routes.set('/moved', () => ({ status: 302, headers: { location: '/file' } }));
  routes.set('/slow', () => ({ status: 0 }));
  assert.equal((await download(`${base}/moved`)).toString(), 'hello');
  await assert.rejects(download(`${base}/absent`), new RegExp(`${base}/absent: download failed \\(HTTP 404`));
  await assert.rejects(download(`${base}/slow`, { timeoutMs: 300 }), /\/slow: download failed \(no answer within 0\.3 s\)/);
  await assert.rejects(download(`${base}/file`, { maxBytes: 3 }), /over the 3-byte limit/);
});

test('network fetch: verbatim, gunzip, zip-of-JSON-array and encrypted-wrap sources, with fallback to the next URL', { skip: shared.skip }, async () => {
  const valSpec = sources.datasets['MMLU-Pro']!.files[1]!;
  const valJsonl = readFileSync(join(shared.dir!, 'MMLU-Pro', 'validation.jsonl'), 'utf8');
  const valArray = Buffer.from(JSON.stringify(valJsonl.trim().split('\n').map((l) => JSON.parse(l)), null, 4));
  const valZip = writeZip('local_250825/mmlu_pro_val_data.json', valArray);
  const ea = readFileSync(join(shared.dir!, 'EmoBench', 'data', 'EA.jsonl'));
  // GPQA plain text exists only in this process's memory, served over loopback.
  const gpqaCsv = readZipMember(readFileSync(join(shared.dir!, 'GPQA', 'gpqa_diamond.zip')), 'gpqa_diamond.csv', 'gpqa', GPQA_PASSWORD);
  routes.set('/val.zip', () => ({ status: 200, body: valZip }));
  routes.set('/ea.jsonl', () => ({ status: 200, body: ea }));
  routes.set('/ea.jsonl.gz', () => ({ status: 302, headers: { location: '/ea.gz' } }));
  routes.set('/ea.gz', () => ({ status: 200, body: gzipSync(ea) }));
  routes.set('/gpqa.csv', () => ({ status: 200, body: gpqaCsv }));
  routes.set('/lfs', () => ({ status: 200, body: Buffer.from('version https://git-lfs.github.com/spec/v1\noid sha256:35dc\nsize 446564\n') }));
  const eaSpec = sources.datasets.EmoBench!.files[0]!;
  const gpqaSpec = sources.datasets.GPQA!.files[0]!;
  const local: SourcesFile = {
    datasets: {
      'MMLU-Pro': { benchmarks: ['mmlu-pro'], licence: 'MIT', citation: 'c', files: [{ ...valSpec, sources: [{ url: `${base}/val.zip`, convert: { kind: 'zip-json-array-to-jsonl', member: 'local_250825/mmlu_pro_val_data.json' } }] }] },
      EmoBench: {
        benchmarks: ['emobench'],
        licence: 'MIT',
        citation: 'c',
        files: [{ ...eaSpec, sources: [{ url: `${base}/gone` }, { url: `${base}/lfs` }, { url: `${base}/ea.jsonl.gz`, convert: { kind: 'gunzip' } }] }],
      },
      GPQA: { benchmarks: ['gpqa-diamond'], licence: 'CC-BY-4.0', citation: 'c', files: [{ ...gpqaSpec, sources: [{ url: `${base}/gpqa.csv`, sha256: gpqaSpec.content!.sha256, convert: { kind: 'zipcrypto-wrap', member: 'gpqa_diamond.csv' } }] }] },
    },
  };
  const dir = join(tmp, 'net');
  const lines: string[] = [];
  const done = await fetchDatasets({ datasets: ['MMLU-Pro', 'EmoBench', 'GPQA'], sources: local, dir, log: (l) => lines.push(l) });
  assert.deepEqual(done.map((d) => [d.path, d.check]), [
    ['validation.jsonl', 'sha256'],
    ['data/EA.jsonl', 'sha256'],
    ['gpqa_diamond.zip', 'content'],
  ]);
  assert.ok(lines.some((l) => /gone: download failed \(HTTP 404/.test(l)));
  assert.ok(lines.some((l) => /Git LFS pointer/.test(l)));
  assert.equal(sha256(readFileSync(join(dir, 'MMLU-Pro', 'validation.jsonl'))), valSpec.sha256);
  // The stored GPQA file is encrypted (no plaintext on disk) and reads back as the 198 items.
  const stored = readFileSync(join(dir, 'GPQA', 'gpqa_diamond.zip'));
  assert.equal(stored.includes(gpqaCsv.subarray(0, 40)), false);
  assert.equal(checkBytes(gpqaSpec as FileSpec, stored, 'x'), 'content');
  assert.equal((await gpqaDiamond.load(join(dir, 'GPQA'), gpqaDiamond.defaultOptions)).length, 198);
  // A download that does not match is rejected before anything is written.
  routes.set('/gpqa.csv', () => ({ status: 200, body: gpqaCsv.subarray(0, 100) }));
  rmSync(join(dir, 'GPQA'), { recursive: true });
  await assert.rejects(fetchDatasets({ datasets: ['GPQA'], sources: local, dir }), /the download is sha256 [0-9a-f]{64} \(100 bytes\), expected 41d1213c/);
});
