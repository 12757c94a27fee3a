import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  type CatalogModel,
  catalogPath,
  clearCatalogCache,
  filterModels,
  findModel,
  isSimulated,
  loadCatalog,
  samplingPreset,
  selectModels,
} from '../../src/core/catalog-load.js';
import { csvCell, parseCsvRows } from '../../src/core/csv.js';
import { MasaError } from '../../src/core/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'masa-catalog-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const catalog = loadCatalog();
const byId = (id: string): CatalogModel => {
  const m = catalog.find((x) => x.id === id);
  assert.ok(m, `catalog lacks ${id}`);
  return m;
};

test('the shipped catalog loads, is cached, and covers both families and every generation asked for', () => {
  assert.equal(loadCatalog(), catalog, 'second load returns the cached array');
  const gens = new Set(catalog.map((m) => m.generation));
  for (const g of ['Qwen1', 'Qwen1.5', 'Qwen2', 'Qwen2.5', 'Qwen3', 'Llama-2', 'Llama-3', 'Llama-3.1', 'Llama-3.2', 'Llama-3.3', 'Llama-4']) {
    assert.ok(gens.has(g), `no ${g} model`);
  }
  assert.deepEqual(new Set(catalog.map((m) => m.family)), new Set(['Qwen', 'Llama']));
  for (const id of ['qwen1.5-moe-a2.7b-chat', 'qwen1.5-110b-chat', 'qwen2-57b-a14b-instruct', 'qwen3-30b-a3b', 'qwen3-235b-a22b', 'llama-4-scout-17b-16e-instruct']) byId(id);
});

test('paper scope: 0.5B-235B Qwen1.5-3 and Llama 2-3.3 instruct models only', () => {
  const inScope = catalog.filter((m) => m.in_paper_scope);
  assert.equal(inScope.length, 39);
  for (const m of inScope) {
    assert.ok(m.params_b >= 0.49 && m.params_b <= 235, `${m.id} ${m.params_b}B`);
    assert.ok(!['Qwen1', 'Llama-4', 'Qwen3-2507'].includes(m.generation), m.id);
  }
  for (const id of ['llama-3.1-405b-instruct', 'llama-4-maverick-17b-128e-instruct', 'llama-4-scout-17b-16e-instruct', 'qwen-72b-chat']) {
    const m = byId(id);
    assert.equal(m.in_paper_scope, false, id);
    assert.ok(m.scope_note && m.scope_note.length > 10, `${id} explains its scope`);
  }
  assert.equal(Math.min(...inScope.map((m) => m.params_b)), 0.49);
  assert.equal(Math.max(...inScope.map((m) => m.params_b)), 235);
});

test('rows are internally consistent', () => {
  for (const m of catalog) {
    assert.equal(m.is_moe, m.active_params_b < m.params_b, m.id);
    assert.match(m.source, /^https:\/\/huggingface\.co\//, m.id);
    assert.ok(m.fact_status === 'verified' || m.fact_status === 'unverified', m.id);
    assert.equal(m.thinking, m.sampling_nothink !== undefined, `${m.id}: a nothink preset exactly for thinking models`);
    if (m.family === 'Qwen') assert.match(m.hf_id, /^Qwen\//);
    else assert.match(m.hf_id, /^meta-llama\//);
  }
});

test('findModel matches the id, the hf id (any case), its last segment, and sim/ names', () => {
  const m = byId('qwen2.5-7b-instruct');
  assert.equal(findModel('qwen2.5-7b-instruct'), m);
  assert.equal(findModel('Qwen/Qwen2.5-7B-Instruct'), m);
  assert.equal(findModel('qwen/qwen2.5-7b-instruct'), m);
  assert.equal(findModel('Qwen2.5-7B-Instruct'), m);
  assert.equal(findModel('sim/qwen2.5-7b-instruct'), m);
  assert.equal(findModel('sim/Qwen/Qwen2.5-7B-Instruct'), m);
  assert.equal(findModel('Meta-Llama-3-8B-Instruct'), byId('llama-3-8b-instruct'));
  assert.equal(findModel('qwen2.5-7b'), undefined);
  assert.equal(findModel(''), undefined);
  assert.equal(findModel('sim/'), undefined);
  assert.equal(isSimulated('sim/qwen3-8b'), true);
  assert.equal(isSimulated('qwen3-8b'), false);
  const tiny = [{ ...m, id: 'x-1', hf_id: 'Org/X-1-Model' }];
  assert.equal(findModel('x-1', tiny)?.id, 'x-1');
  assert.equal(findModel('qwen2.5-7b-instruct', tiny), undefined);
  assert.equal(findModel('x-1-model', tiny)?.id, 'x-1');
});

test('samplingPreset: Qwen3 thinking vs non-thinking, HF top_k 0 dropped, copies not shared', () => {
  const q3 = byId('qwen3-8b');
  assert.deepEqual(samplingPreset(q3), { temperature: 0.6, top_p: 0.95, top_k: 20, min_p: 0 });
  assert.deepEqual(samplingPreset(q3, { thinking: true }), { temperature: 0.6, top_p: 0.95, top_k: 20, min_p: 0 });
  assert.deepEqual(samplingPreset(q3, { thinking: false }), { temperature: 0.7, top_p: 0.8, top_k: 20, min_p: 0 });
  const q25 = byId('qwen2.5-72b-instruct');
  assert.deepEqual(samplingPreset(q25, { thinking: false }), { temperature: 0.7, top_p: 0.8, top_k: 20, repetition_penalty: 1.05 });
  assert.deepEqual(samplingPreset(byId('llama-3.1-8b-instruct')), { temperature: 0.6, top_p: 0.9 });
  const q1 = byId('qwen-7b-chat');
  assert.equal(q1.sampling.top_k, 0);
  assert.equal('top_k' in samplingPreset(q1), false);
  const p = samplingPreset(q25);
  p.temperature = 0;
  assert.equal(q25.sampling.temperature, 0.7, 'mutating a preset leaves the catalog alone');
});

test('filterModels and selectModels', () => {
  const qwen25 = filterModels(catalog, { generation: 'qwen2.5' });
  assert.equal(qwen25.length, 7);
  assert.ok(filterModels(catalog, { family: 'llama', maxParams: 8 }).every((m) => m.family === 'Llama' && m.params_b <= 8));
  assert.deepEqual(
    filterModels(catalog, { thinking: true }).map((m) => m.generation),
    Array(8).fill('Qwen3'),
  );
  assert.ok(filterModels(catalog, { minParams: 100 }).every((m) => m.params_b >= 100));
  assert.equal(filterModels(catalog, { scope: 'paper' }).length, 39);
  assert.equal(selectModels('all', catalog).length, catalog.length);
  assert.equal(selectModels('paper', catalog).length, 39);
  assert.deepEqual(
    selectModels('llama-3.1-8b-instruct, Qwen2.5-0.5B-Instruct', catalog).map((m) => m.id),
    ['qwen2.5-0.5b-instruct', 'llama-3.1-8b-instruct'],
  );
  assert.equal(selectModels('Llama-3.2,llama-3.2-1b-instruct', catalog).length, 2, 'no duplicates');
  assert.equal(selectModels('qwen', catalog).length, catalog.filter((m) => m.family === 'Qwen').length);
  assert.throws(() => selectModels('qwen9', catalog), /unknown model, family or generation 'qwen9'/);
  assert.throws(() => selectModels(' , ', catalog), MasaError);
});

const text = readFileSync(catalogPath(), 'utf8');
const lines = text.trimEnd().split('\n');
const rows = parseCsvRows(text, 'models.csv');

/** Rewrites the catalog with one cell of one row changed; row 3 (file line 3) by default. */
function writeBad(name: string, edit: (cells: string[], header: string[]) => void, rowIndex = 2): string {
  const header = rows[0]!.cells;
  const out = rows.map((r) => [...r.cells]);
  edit(out[rowIndex]!, header);
  const file = join(tmp, name);
  writeFileSync(file, out.map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n');
  clearCatalogCache();
  return file;
}

function setCol(col: string, value: string) {
  return (cells: string[], header: string[]) => {
    const i = header.indexOf(col);
    assert.ok(i >= 0, col);
    cells[i] = value;
  };
}

test('a bad cell names file:line and the column', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['params_b', 'seven', /'seven' is not a number/],
    ['is_moe', 'yes', /'yes' is not true or false/],
    ['release_date', '2024-13-01', /not a valid date/],
    ['release_date', 'Feb 2024', /YYYY-MM-DD or YYYY-MM/],
    ['family', 'Mistral', /'Mistral' is not one of Qwen, Llama/],
    ['top_p', '1.5', /must be <= 1/],
    ['top_k', '2.5', /not an integer/],
    ['context_length', '', /is empty/],
    ['id', 'Qwen 7B', /lowercase id/],
    ['hf_id', 'no-owner', /owner\/name/],
    ['source', 'huggingface.co/x', /not an https URL/],
    ['fact_status', 'maybe', /verified or unverified/],
    ['active_params_b', '1', /dense model's active params/],
    ['sampling_nothink_temperature', '0.7', /only for thinking/],
    ['num_kv_heads', '3', /does not divide num_attention_heads/],
  ];
  for (const [col, value, why] of cases) {
    const file = writeBad(`bad-${col}.csv`, setCol(col, value));
    assert.throws(
      () => loadCatalog(file),
      (e: unknown) => {
        assert.ok(e instanceof MasaError, String(e));
        assert.ok(e.message.startsWith(`${file}:3: column '${col}': `), e.message);
        assert.match(e.message, why);
        return true;
      },
      `${col}=${value}`,
    );
  }
});

test('structural errors: duplicates, unknown or missing columns, short rows, missing file', () => {
  const dupFile = join(tmp, 'dup.csv');
  writeFileSync(dupFile, [...lines, lines[2]].join('\n') + '\n');
  assert.throws(() => loadCatalog(dupFile), new RegExp(`${dupFile}:${lines.length + 1}: column 'id': duplicate id .*first on line 3`));
  const extra = join(tmp, 'extra.csv');
  writeFileSync(extra, lines.map((l, i) => l + (i === 0 ? ',colour' : ',')).join('\n') + '\n');
  assert.throws(() => loadCatalog(extra), /extra\.csv:1: unknown column 'colour'/);
  const missing = join(tmp, 'missing.csv');
  writeFileSync(missing, lines.map((l) => l.split(',').slice(1).join(',')).slice(0, 1).join('\n') + '\n');
  assert.throws(() => loadCatalog(missing), /missing\.csv:1: missing column 'id'/);
  const short = join(tmp, 'short.csv');
  writeFileSync(short, [lines[0], lines[1], 'a,b'].join('\n') + '\n');
  assert.throws(() => loadCatalog(short), /short\.csv:3: expected \d+ columns, found 2/);
  assert.throws(() => loadCatalog(join(tmp, 'nope.csv')), /nope\.csv: cannot read the model catalog/);
});

test('a good copy in another place loads the same rows', () => {
  const file = join(tmp, 'copy.csv');
  writeFileSync(file, text.replace(/\n/g, '\r\n'));
  assert.deepEqual(loadCatalog(file), catalog);
});
