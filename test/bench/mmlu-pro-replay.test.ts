// Replay of TIGER-AI-Lab/MMLU-Pro eval_results (../shared/replay/MMLU-Pro, README section 2):
// masa's extraction must give the stored `pred` for all 9 models x 12,032 items, and the
// Llama-3-70B accuracy the recomputation gives (52.01% raw), with gold from the files' own `answer`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { listZip, readZipEntry } from '../../src/core/zip.js';
import { extractMmluProUpstream, mmluProItemFromRecord, mmluPro } from '../../src/bench/mmlu-pro.js';
import { sharedReplay } from '../helpers.js';

const { dir, skip } = sharedReplay();
const folder = dir ? join(dir, 'MMLU-Pro', 'TIGER-AI-Lab-MMLU-Pro-eval_results') : '';

interface Row {
  question_id: number;
  options: string[];
  answer: string;
  answer_index: number;
  category: string;
  pred: string | null;
  generated_text: string;
}

function* rows(file: string): Generator<Row[]> {
  const buf = readFileSync(file);
  for (const e of listZip(buf, file)) {
    if (!e.name.endsWith('.json')) continue;
    yield JSON.parse(readZipEntry(buf, e, file).toString('utf8')) as Row[];
  }
}

test('MMLU-Pro replay (upstream policy): Llama-3-70B 52.01% raw and 52.78% (README) with random_guess, through masa scoring', { skip }, async () => {
  const file = join(folder, 'model_outputs_Meta-Llama-3-70B_5shots.zip');
  let correct = 0;
  let guessed = 0;
  let n = 0;
  const cat = new Map<string, [number, number]>();
  for (const arr of rows(file)) {
    for (const r of arr) {
      const item = mmluProItemFromRecord(r, `${file}:${r.question_id}`);
      const trial = { index: 0, permutation: null };
      const raw = await mmluPro.score(item, r.generated_text, trial, { shots: 5, fallbacks: false, random_guess: false, patches: 'none' }, 'upstream');
      const g = await mmluPro.score(item, r.generated_text, trial, { shots: 5, fallbacks: false, random_guess: true, patches: 'none' }, 'upstream');
      n++;
      if (raw.correct) correct++;
      if (g.correct) guessed++;
      const c = cat.get(item.category) ?? [0, 0];
      cat.set(item.category, [c[0] + (raw.correct ? 1 : 0), c[1] + 1]);
    }
  }
  assert.equal(n, 12032);
  assert.equal(correct, 6258);
  assert.equal((100 * correct / n).toFixed(2), '52.01');
  const published = JSON.parse(readFileSync(join(folder, 'recomputed_vs_published.json'), 'utf8')).models['Meta-Llama-3-70B'];
  for (const [k, [c, m]] of cat) assert.equal((100 * c / m).toFixed(2), published.per_category_raw_pct[k].toFixed(2), k);
  // Upstream's fallback re-seeds random.seed(12345) before every draw, so it is deterministic
  // after all, and reproduces the README mini-leaderboard number exactly.
  assert.equal((100 * guessed / n).toFixed(2), '52.78');
});

// The full upstream chain (with both fallbacks) run by CPython's `re` on the same texts: masa
// must agree on every answer and on which rule gave it. Python's `.*[aA]nswer:` search is
// quadratic on texts where it finds nothing, so by default those are limited to the first 40
// per model (all texts that rules 1 or 2 decide are checked: 94,000+); MASA_SLOW_TESTS=1 runs
// all 108,288 (about a minute of CPU; all agree).
const PY_CHAIN = `
import json, re, sys, zipfile
limit = int(sys.argv[1])
def ex(text):
    m = re.search(r"answer is \\(?([A-J])\\)?", text)
    if m: return [m.group(1), "answer-is"]
    m = re.search(r".*[aA]nswer:\\s*([A-J])", text)
    if m: return [m.group(1), "answer-colon"]
    m = re.search(r"\\b[A-J]\\b(?!.*\\b[A-J]\\b)", text, re.DOTALL)
    if m: return [m.group(0), "last-letter"]
    return [None, "none"]
out = {}
for z in sys.argv[2:]:
    zf = zipfile.ZipFile(z)
    res, hard = {}, 0
    for k, r in enumerate(json.loads(zf.read(zf.namelist()[0]))):
        t = r["generated_text"]
        easy = re.search(r"answer is \\(?([A-J])\\)?", t) or re.search(r"[aA]nswer:\\s*[A-J]", t)
        if not easy:
            hard += 1
            if limit and hard > limit: continue
        res[k] = ex(t)
    out[z] = res
json.dump(out, sys.stdout)
`;
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : undefined;
const slow = process.env.MASA_SLOW_TESTS === '1';

async function runPython(args: string[]): Promise<string> {
  const child = spawn(python!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const code = await new Promise<number | null>((ok) => child.on('close', ok));
  assert.equal(code, 0, Buffer.concat(err).toString());
  return Buffer.concat(out).toString('utf8');
}

test(`MMLU-Pro replay: stored pred reproduced for 9 models x 12,032 items; full chain agrees with CPython re (${slow ? 'all texts' : 'all but the slowest'})`, { skip }, async () => {
  const zips = readdirSync(folder).filter((f) => f.endsWith('.zip')).sort().map((z) => join(folder, z));
  assert.equal(zips.length, 9);
  // CPython works on the second core while masa checks the stored preds.
  const pyOut = python ? runPython(['-c', PY_CHAIN, slow ? '0' : '40', ...zips]) : undefined;
  const mine = new Map<string, Array<[string | null, string]>>();
  for (const z of zips) {
    let n = 0;
    let mismatches = 0;
    const full: Array<[string | null, string]> = [];
    for (const arr of rows(z)) {
      for (const r of arr) {
        n++;
        // The 2024 runs applied only the first rule ("answer is (X)").
        if (extractMmluProUpstream(r.generated_text, false).answer !== (r.pred ?? null)) mismatches++;
        const e = extractMmluProUpstream(r.generated_text, true);
        // With the current fallback chain, rule 1 still decides every stored pred.
        if (r.pred && (e.rule !== 'answer-is' || e.answer !== r.pred)) mismatches++;
        full.push([e.answer, e.rule]);
      }
    }
    assert.equal(n, 12032, z);
    assert.equal(mismatches, 0, z);
    mine.set(z, full);
  }
  if (!pyOut) return;
  const py = JSON.parse(await pyOut) as Record<string, Record<string, [string | null, string]>>;
  const rules = new Map<string, number>();
  let compared = 0;
  for (const z of zips) {
    for (const [k, want] of Object.entries(py[z]!)) {
      assert.deepEqual(mine.get(z)![Number(k)], want, `${z} item ${k}`);
      rules.set(want[1], (rules.get(want[1]) ?? 0) + 1);
      compared++;
    }
  }
  assert.ok(compared >= (slow ? 9 * 12032 : 95000), String(compared));
  // Every rule is exercised by real model text.
  for (const rule of ['answer-is', 'answer-colon', 'last-letter', 'none']) assert.ok((rules.get(rule) ?? 0) >= 5, `${rule}: ${rules.get(rule)}`);
});
