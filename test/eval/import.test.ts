/**
 * `masa import` on real files written by other harnesses (../shared/replay/harness-logs and the
 * result files under ../shared/replay): each reproduces the harness's own numbers, masa's
 * rescoring is checked against an independent reference where one exists, and bad input (a
 * truncated file, an unknown version, an unmatched sample) is named and leaves what was
 * imported before untouched.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseCsv } from '../../src/core/csv.js';
import { listZip, readZipEntry } from '../../src/core/zip.js';
import { GPQA_PASSWORD } from '../../src/bench/gpqa-diamond.js';
import { importRuns, type ImportedRun } from '../../src/eval/import/importer.js';
import { parseLmEvalSamples } from '../../src/eval/import/lm-eval.js';
import { readMeta, readRecords } from '../../src/eval/store.js';
import { summarizeResults } from '../../src/analysis/summarize-results.js';
import { loadCatalog } from '../../src/core/catalog-load.js';
import { sharedDatasets, sharedReplay } from '../helpers.js';

const replay = sharedReplay();
const datasets = sharedDatasets();
const skip = replay.skip || datasets.skip;
const H = replay.dir ? join(replay.dir, 'harness-logs') : '';
const LM = join(H, 'lm-eval', 'LambdaLabsML__lm-evaluation-harness');
const MMLU_SAMPLES = join(LM, 'samples_mmlu_pro_computer_science_2025-05-19T06-53-12.737541.jsonl');
const tmps: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'masa-import-'));
  tmps.push(d);
  return d;
};
after(() => {
  for (const d of tmps) rmSync(d, { recursive: true, force: true });
});

async function records(dir: string) {
  const out = [];
  for await (const r of readRecords(dir)) out.push(r);
  return out;
}

// CPython's `re` applying MMLU-Pro's current extraction chain (evaluate_from_local.py) to the
// same generations: an independent count of what masa's scorer must find right.
const PY_MMLU = `
import json, re, sys
right = 0
for line in open(sys.argv[1]):
    r = json.loads(line)
    t = r["resps"][0][0]
    m = re.search(r"answer is \\(?([A-J])\\)?", t) or re.search(r".*[aA]nswer:\\s*([A-J])", t)
    if m: p = m.group(1)
    else:
        m = re.search(r"\\b[A-J]\\b(?!.*\\b[A-J]\\b)", t, re.DOTALL)
        p = m.group(0) if m else None
    right += p == r["doc"]["answer"]
print(right)
`;

test('lm-eval 0.4.8 MMLU-Pro: its own accuracy with its own filter, and masa\'s on the same responses (CPython reference)', { skip }, async () => {
  const out = tmp();
  const res = await importRuns({ format: 'lm-eval', paths: [join(H, 'lm-eval')], out, dataRoot: datasets.dir });
  assert.deepEqual(res.failed, []);
  assert.equal(res.runs.length, 1);
  const run = res.runs[0]!;
  assert.equal(run.bench, 'mmlu-pro');
  assert.equal(run.model, 'meta-llama/Llama-3.3-70B-Instruct');
  assert.equal(run.samples, 410);
  assert.deepEqual(run.matched, { id: 410 });
  // The harness's verdicts reproduce its results file: exact_match,custom-extract.
  const own = run.harness.find((h) => h.scorer === 'custom-extract/exact_match')!;
  const reported = JSON.parse(readFileSync(join(LM, 'results_2025-05-19T06-53-12.737541.json'), 'utf8')).results.mmlu_pro_computer_science['exact_match,custom-extract'];
  assert.equal(own.n, 410);
  assert.equal(own.accuracy, reported);
  assert.equal(Math.round(own.accuracy * 410), 304);
  // masa's accuracy on the same generations, against CPython running the upstream chain.
  const py = spawnSync('/usr/bin/python3', ['-c', PY_MMLU, MMLU_SAMPLES], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  // Upstream's extraction chain is the upstream policy; the robust one is reported too.
  const up = run.policies.upstream;
  assert.equal(Math.round(up.accuracy * up.n), Number(py.stdout.trim()));
  assert.equal(run.masa.accuracy, run.policies.robust.accuracy, 'the reported policy is robust by default');
  // The off-list tasks are named, not imported; the old-format .json file is read as JSON lines.
  assert.deepEqual(res.skipped.map((s) => s.task).sort(), ['bias_classification', 'negotiationtom_belief', 'negotiationtom_intention']);
  // Records carry masa's verdict and the harness's; meta.json says where the run came from.
  const recs = await records(run.dir);
  assert.equal(recs.length, 410);
  assert.ok(recs.every((r) => r.harness?.name === 'lm-eval' && r.harness.verdicts.length === 1 && r.harness.match === 'id'));
  const meta = readMeta(run.dir)!;
  assert.equal(meta.source?.harness, 'lm-eval');
  assert.equal(meta.source?.version, '0.4.8');
  assert.equal((meta.source?.settings.gen_kwargs as { temperature: number }).temperature, 0);
  assert.equal(meta.catalog_id !== undefined, true);
  // Importing again adds nothing.
  const again = await importRuns({ format: 'lm-eval', paths: [MMLU_SAMPLES], out, dataRoot: datasets.dir });
  assert.equal(again.runs[0]!.imported, 0);
  assert.equal(again.runs[0]!.duplicates, 410);
  assert.equal((await records(run.dir)).length, 410);
  // Summaries label the source.
  const sum = await summarizeResults(out, { catalog: loadCatalog(), dataRoot: datasets.dir });
  assert.equal(sum.rows.length, 1);
  assert.equal(sum.rows[0]!.source, 'lm-eval');
  assert.equal(sum.rows[0]!.n, 410);
  // The CLI: summarize writes the source column, the report names the harness beside the model.
  const scores = join(out, 'scores.csv');
  const s = spawnSync(process.execPath, ['bin/masa.mjs', 'summarize', '--results', out, '--data', datasets.dir!, '--out', scores], { encoding: 'utf8' });
  assert.equal(s.status, 0, s.stderr);
  assert.match(s.stdout, /meta-llama\/Llama-3\.3-70B-Instruct \[lm-eval\] +mmlu-pro +410/);
  assert.match(readFileSync(scores, 'utf8').split('\n')[1]!, /,lm-eval,/);
  const report = join(out, 'report.html');
  const rep = spawnSync(process.execPath, ['bin/masa.mjs', 'report', '--scores', scores, '--out', report], { encoding: 'utf8' });
  assert.equal(rep.status, 0, rep.stderr);
  assert.ok(readFileSync(report, 'utf8').includes('Llama-3.3-70B-Instruct [lm-eval]'));
});

test('lm-eval: a log-likelihood task cannot be rescored, and says so with its file and line', { skip }, async () => {
  const res = await importRuns({
    format: 'lm-eval',
    paths: [join(H, 'lm-eval', 'EleutherAI__lm-evaluation-harness', 'samples_negotiationtom_belief_2026-07-08T18-15-33.115417.jsonl')],
    bench: 'mmlu-pro',
    out: tmp(),
    dataRoot: datasets.dir,
  });
  assert.equal(res.runs.length, 0);
  assert.equal(res.failed.length, 1);
  assert.match(res.failed[0]!.error, /samples_negotiationtom_belief_[^:]+\.jsonl:1: task negotiationtom_belief is scored by log-likelihood/);
  // The pre-0.4.3 file: a .json file holding JSON lines, no filter or metrics keys, read line by line.
  const old = await importRuns({
    format: 'lm-eval',
    paths: [join(H, 'lm-eval', 'EleutherAI__lm-evaluation-harness', 'samples_bias_classification_2024-06-17T16-06-39.458097.json')],
    bench: 'mmlu-pro',
    out: tmp(),
    dataRoot: datasets.dir,
  });
  assert.match(old.failed[0]!.error, /samples_bias_classification_[^:]+\.json:1: task bias_classification is scored by log-likelihood/);
});

function gpqaLogs(): Map<string, Buffer> {
  const file = join(H, 'gpqa-logs.zip');
  const buf = readFileSync(file);
  const out = new Map<string, Buffer>();
  for (const e of listZip(buf, file)) if (e.name.endsWith('.eval')) out.set(e.name, readZipEntry(buf, e, file, GPQA_PASSWORD));
  return out;
}

/** The per-sample scores inspect wrote in the log's summaries.json, folded per item (mean over epochs), then averaged. */
function summariesAccuracy(evalZip: Buffer, name: string): number {
  const e = listZip(evalZip, name).find((x) => x.name === 'summaries.json')!;
  const sums = JSON.parse(readZipEntry(evalZip, e, name).toString('utf8')) as Array<{ id: string; scores: { choice: { value: string } } }>;
  const per = new Map<string, number[]>();
  for (const s of Object.values(sums)) per.set(s.id, [...(per.get(s.id) ?? []), s.scores.choice.value === 'C' ? 1 : 0]);
  const means = [...per.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  return means.reduce((a, b) => a + b, 0) / means.length;
}

test('inspect_ai GPQA logs (password zip, read in memory): their own scores, epochs and cancelled runs', { skip }, async () => {
  const out = tmp();
  const res = await importRuns({ format: 'inspect', paths: [join(H, 'gpqa-logs.zip')], out, dataRoot: datasets.dir });
  assert.deepEqual(res.failed, []);
  // The simple-evals files in the same archive are named as not inspect logs.
  assert.equal(res.skipped.length, 2);
  const logs = gpqaLogs();
  const byModel = new Map<string, ImportedRun>(res.runs.map((r) => [r.model, r]));
  assert.deepEqual([...byModel.keys()].sort(), ['openai/gpt-4o', 'openai/gpt-4o-mini', 'openai/gpt-5']);
  for (const [name, buf] of logs) {
    const run = res.runs.find((r) => r.files[0]!.endsWith(name))!;
    const own = run.harness.find((h) => h.scorer === 'choice')!;
    // inspect's own per-sample verdicts, as its summaries.json holds them.
    assert.equal(own.accuracy, summariesAccuracy(buf, name), name);
    if (run.status === 'success') assert.equal(own.accuracy, run.reported['choice/accuracy']);
  }
  const gpt5 = byModel.get('openai/gpt-5')!;
  assert.equal(gpt5.status, 'success');
  assert.equal(gpt5.samples, 4); // one question, 4 epochs
  assert.equal(gpt5.reported['choice/accuracy'], 1);
  assert.equal(gpt5.masa.n, 1);
  assert.equal(gpt5.masa.accuracy, 1);
  assert.equal(byModel.get('openai/gpt-4o')!.status, 'cancelled');
  assert.equal(byModel.get('openai/gpt-4o')!.samples, 112);
  assert.equal(byModel.get('openai/gpt-4o-mini')!.samples, 134);
  // Every sample was matched by its Record ID and scored in the option order it was shown.
  for (const r of res.runs) assert.deepEqual(Object.keys(r.matched), ['id']);
  const recs = await records(gpt5.dir);
  assert.deepEqual(recs.map((r) => r.trial).sort(), [0, 1, 2, 3]);
  assert.ok(recs.every((r) => r.permutation !== null && r.extracted === 'A' && r.correct === true));
  const mini = await records(byModel.get('openai/gpt-4o-mini')!.dir);
  // The shuffled log (multiple_choice(shuffle=True)): masa agrees with inspect on every verdict.
  assert.ok(mini.every((r) => r.correct === r.harness!.verdicts[0]!.correct), 'masa and inspect disagree on a shuffled sample');
  assert.equal(readMeta(gpt5.dir)!.bench_options.repeats, 4);
  // No file under --out is a GPQA log or its plaintext CSV.
  for (const d of readdirSync(out)) assert.deepEqual(readdirSync(join(out, d)).sort(), ['meta.json', 'samples.jsonl']);
});

test('MMLU-Pro result files (TIGER-AI-Lab): Llama-3-70B 52.01% raw and 52.78% with the random-guess fallback', { skip }, async () => {
  const zip = join(replay.dir!, 'MMLU-Pro', 'TIGER-AI-Lab-MMLU-Pro-eval_results', 'model_outputs_Meta-Llama-3-70B_5shots.zip');
  const res = await importRuns({ format: 'mmlu-pro-results', paths: [zip], out: tmp(), dataRoot: datasets.dir });
  const run = res.runs[0]!;
  assert.equal(run.samples, 12032);
  // The published numbers are the authors' own reading: the upstream policy.
  assert.equal(Math.round(run.policies.upstream.accuracy * 12032), 6258);
  assert.equal((100 * run.policies.upstream.accuracy).toFixed(2), '52.01');
  assert.ok(Math.abs(run.policies.robust.accuracy - run.policies.upstream.accuracy) < 0.005, `robust ${run.policies.robust.accuracy}`);
  assert.equal((100 * run.harness[0]!.accuracy).toFixed(2), '52.01');
  // Later answer fixes changed some items: the file's own copy is scored.
  assert.ok(run.differing > 200);
  const guessed = await importRuns({ format: 'mmlu-pro-results', paths: [zip], out: tmp(), dataRoot: datasets.dir, options: { 'mmlu-pro': { random_guess: true } } });
  assert.equal((100 * guessed.runs[0]!.policies.upstream.accuracy).toFixed(2), '52.78');
});

test('EmoBench result files: the paper\'s Overall cells, from the raw responses through masa\'s import', { skip }, async () => {
  const ROOT = join(replay.dir!, 'EmoBench', 'Sahandfer-EmoBench-2024-results');
  const map = parseCsv(readFileSync(join(ROOT, 'file_map.csv'), 'utf8'), 'file_map.csv').map((r) => r.record).filter((r) => r.copied_here === 'True' && existsSync(join(ROOT, r.file!)));
  const res = await importRuns({ format: 'emobench-results', paths: [join(ROOT, 'results')], out: tmp(), dataRoot: datasets.dir });
  assert.deepEqual(res.failed, []);
  const byFile = new Map(res.runs.map((r) => [r.files[0]!, r]));
  const cells = new Map<string, { published: string; acc: number[] }>();
  for (const r of map) {
    const run = byFile.get(join(ROOT, r.file!))!;
    assert.ok(run, r.file);
    const key = `${r.task}|${r.model_dir}|${r.lang}|${r.cot}`;
    const c = cells.get(key) ?? { published: r.published_overall!, acc: [] };
    c.acc.push(100 * run.policies.upstream.accuracy);
    cells.set(key, c);
  }
  // The paper's EA row for Baichuan2-53B repeats its EU row (a copy error): the files' own values.
  const copyError: Record<string, string> = { 'EA|Baichuan2-53B|en|False': '65.38', 'EA|Baichuan2-53B|zh|False': '62.00' };
  const misses: string[] = [];
  let matched = 0;
  for (const [key, c] of cells) {
    const mean = c.acc.reduce((a, b) => a + b, 0) / c.acc.length;
    // Python's "{:0.2f}" of a multiple of 1/8: round half to even.
    const y = mean * 100;
    const f = Math.floor(y + 1e-9);
    const two = (Math.abs(y - f - 0.5) < 1e-9 ? (f % 2 === 0 ? f : f + 1) : Math.round(y)) / 100;
    const want = copyError[key] ?? (c.published === '' || key.includes('|random|') ? null : Number(c.published).toFixed(2));
    if (want === null) continue;
    if (two.toFixed(2) === want) matched++;
    else misses.push(`${key}: masa ${two.toFixed(2)} vs ${want}`);
  }
  assert.deepEqual(misses, []);
  assert.equal(matched, 12 * 4 + 4);
  // Rows whose options were edited after the runs are matched to the nearest item, all others exactly.
  const gpt4ea = res.runs.find((r) => r.files[0]!.endsWith('gpt-4-en.csv'))!;
  assert.deepEqual(gpt4ea.matched, { 'content-hash': 930, nearest: 70 });
});

test('a truncated file, an unknown log version and an unmatched sample are named; what was imported stays', { skip }, async () => {
  const out = tmp();
  const work = tmp();
  const first = await importRuns({ format: 'lm-eval', paths: [MMLU_SAMPLES], out, dataRoot: datasets.dir });
  const dir = first.runs[0]!.dir;
  const before = readFileSync(join(dir, 'samples.jsonl'));
  // Truncated: the same file cut in the middle of its last line.
  const lines = readFileSync(MMLU_SAMPLES, 'utf8').split('\n').filter((l) => l !== '');
  const cut = join(work, 'samples_mmlu_pro_computer_science_2025-05-19T06-53-12.737541.jsonl');
  writeFileSync(cut, lines.slice(0, -1).join('\n') + '\n' + lines[lines.length - 1]!.slice(0, 500));
  copyFileSync(join(LM, 'results_2025-05-19T06-53-12.737541.json'), join(work, 'results_2025-05-19T06-53-12.737541.json'));
  const t = await importRuns({ format: 'lm-eval', paths: [cut], out, dataRoot: datasets.dir });
  assert.equal(t.runs.length, 0);
  assert.match(t.failed[0]!.error, new RegExp(`${cut.replace(/[.+]/g, '\\$&')}:410: truncated`));
  // Unmatched: one document's id and question changed.
  const bad = JSON.parse(lines[6]!);
  bad.doc.question_id = 99999999;
  bad.doc.question = 'A question no benchmark has.';
  writeFileSync(cut, [...lines.slice(0, 6), JSON.stringify(bad), ...lines.slice(7)].join('\n') + '\n');
  const u = await importRuns({ format: 'lm-eval', paths: [cut], out, dataRoot: datasets.dir });
  assert.match(u.failed[0]!.error, /:7: sample not matched to a masa item: no mmlu-pro item has this question text or id 99999999/);
  // Unknown version: an inspect JSON log claiming a format version masa does not know.
  const log = JSON.parse(readFileSync(join(H, 'inspect_ai', 'evaleval__every_eval_ever', 'data_arc_qwen.json'), 'utf8'));
  log.version = 99;
  const v99 = join(work, 'log-v99.json');
  writeFileSync(v99, JSON.stringify(log));
  const v = await importRuns({ format: 'inspect', paths: [v99], out, dataRoot: datasets.dir });
  assert.match(v.failed[0]!.error, /log-v99\.json: inspect_ai log format version 99 is not one masa reads/);
  // Nothing of the earlier run changed.
  assert.deepEqual(readFileSync(join(dir, 'samples.jsonl')), before);
  // The CLI exits non-zero and prints the one line.
  const cli = spawnSync(process.execPath, ['bin/masa.mjs', 'import', '--format', 'inspect', v99, '--out', out, '--data', datasets.dir!], { encoding: 'utf8' });
  assert.equal(cli.status, 1);
  assert.match(cli.stderr, /^error: .*log-v99\.json: inspect_ai log format version 99/m);
});

test('lm-eval: one line per document and filter becomes one sample with one verdict per filter', { skip }, () => {
  const first = readFileSync(MMLU_SAMPLES, 'utf8').split('\n')[0]!;
  const row = JSON.parse(first);
  const other = { ...row, filter: 'strict-match', filtered_resps: ['[invalid]'], exact_match: 0 };
  const samples = parseLmEvalSamples(`${first}\n${JSON.stringify(other)}\n`, 'two-filters.jsonl', 'mmlu_pro_computer_science', 'mmlu-pro');
  assert.equal(samples.length, 1);
  assert.deepEqual(samples[0]!.verdicts, [
    { scorer: 'custom-extract/exact_match', extracted: 'B', correct: true },
    { scorer: 'strict-match/exact_match', extracted: '[invalid]', correct: false },
  ]);
  assert.equal(samples[0]!.key.id, String(row.doc.question_id));
});

test('OpenCompass predictions: parsed from the real file; forced onto a benchmark they are not, every sample is unmatched', { skip }, async () => {
  const file = join(H, 'opencompass', 'open-compass__LawBench', 'lawbench_JEC-KD.json');
  const res = await importRuns({ format: 'opencompass', paths: [file], bench: 'mmlu-pro', out: tmp(), dataRoot: datasets.dir });
  assert.equal(res.runs.length, 0);
  assert.match(res.failed[0]!.error, /lawbench_JEC-KD\.json#0: sample not matched to a masa item: no mmlu-pro question appears in the prompt/);
});
