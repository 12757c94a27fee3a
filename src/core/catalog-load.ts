import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelInfo, SamplingPreset } from './catalog.js';
import { parseCsv } from './csv.js';
import { MasaError } from './errors.js';
import { projectRoot } from './paths.js';

/**
 * A catalog row with the columns beyond ModelInfo: the second sampling preset of hybrid
 * thinking models, the architecture numbers the serve planner needs, and the provenance notes.
 * Every extra is optional so a plain ModelInfo (e.g. built by a test) is still accepted.
 */
export interface CatalogModel extends ModelInfo {
  /** Non-thinking preset of hybrid models (Qwen3 with enable_thinking=false); undefined otherwise. */
  sampling_nothink?: SamplingPreset;
  num_layers?: number;
  num_attention_heads?: number;
  num_kv_heads?: number;
  head_dim?: number;
  /** Needs `--trust-remote-code` in vLLM (Qwen1's custom modelling code). */
  trust_remote_code?: boolean;
  /** Why in_paper_scope is what it is. */
  scope_note?: string;
  /** 'verified' when every fact of the row was checked against the source; else 'unverified'. */
  fact_status?: 'verified' | 'unverified';
  /** Which facts were checked where, and which rest on general knowledge. */
  fact_note?: string;
}

/** Columns every catalog file must have, in file order. Extra columns are rejected (typos). */
export const CATALOG_COLUMNS = [
  'id',
  'family',
  'generation',
  'generation_rank',
  'params_b',
  'active_params_b',
  'is_moe',
  'release_date',
  'hf_id',
  'context_length',
  'thinking',
  'temperature',
  'top_p',
  'top_k',
  'min_p',
  'repetition_penalty',
  'presence_penalty',
  'sampling_nothink_temperature',
  'sampling_nothink_top_p',
  'sampling_nothink_top_k',
  'sampling_nothink_min_p',
  'num_layers',
  'num_attention_heads',
  'num_kv_heads',
  'head_dim',
  'trust_remote_code',
  'source',
  'in_paper_scope',
  'scope_note',
  'fact_status',
  'fact_note',
] as const;

export const FAMILIES = ['Qwen', 'Llama'] as const;

export const SIM_PREFIX = 'sim/';

const cache = new Map<string, CatalogModel[]>();

/** The default catalog file. */
export function catalogPath(): string {
  return join(projectRoot(), 'data', 'models.csv');
}

/**
 * Loads and validates the catalog (default data/models.csv). Any bad cell throws a MasaError
 * naming `file:line` and the column, so a typo in the catalog never reaches a request.
 * Results are cached per resolved path; the arrays returned are shared, do not mutate them.
 */
export function loadCatalog(file?: string): CatalogModel[] {
  const path = resolve(file ?? catalogPath());
  const hit = cache.get(path);
  if (hit) return hit;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new MasaError(`${path}: cannot read the model catalog (${(e as Error).message})`, { cause: e });
  }
  const models = parseCatalog(text, path);
  cache.set(path, models);
  return models;
}

/** Forgets cached catalogs (tests that rewrite a file). */
export function clearCatalogCache(): void {
  cache.clear();
}

/** Parses and validates catalog CSV text; `file` is used in error messages only. */
export function parseCatalog(text: string, file: string): CatalogModel[] {
  const rows = parseCsv(text, file);
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!.split(',');
  for (const col of CATALOG_COLUMNS) {
    if (!header.includes(col)) throw new MasaError(`${file}:1: missing column '${col}'`);
  }
  for (const col of header) {
    if (!(CATALOG_COLUMNS as readonly string[]).includes(col)) throw new MasaError(`${file}:1: unknown column '${col}'`);
  }
  const models: CatalogModel[] = [];
  const ids = new Map<string, number>();
  const hfIds = new Map<string, number>();
  for (const { line, record } of rows) {
    const m = parseRow(new Cell(file, line, record));
    const prevId = ids.get(m.id);
    if (prevId !== undefined) throw new MasaError(`${file}:${line}: column 'id': duplicate id '${m.id}' (first on line ${prevId})`);
    const hfKey = m.hf_id.toLowerCase();
    const prevHf = hfIds.get(hfKey);
    if (prevHf !== undefined) throw new MasaError(`${file}:${line}: column 'hf_id': duplicate '${m.hf_id}' (first on line ${prevHf})`);
    ids.set(m.id, line);
    hfIds.set(hfKey, line);
    models.push(m);
  }
  return models;
}

/** Reads one typed cell of a row; every failure names file:line and the column. */
class Cell {
  constructor(
    private readonly file: string,
    private readonly line: number,
    private readonly record: Record<string, string>,
  ) {}

  fail(col: string, why: string): never {
    throw new MasaError(`${this.file}:${this.line}: column '${col}': ${why}`);
  }

  raw(col: string): string {
    return (this.record[col] ?? '').trim();
  }

  text(col: string, pattern?: RegExp, hint?: string): string {
    const v = this.raw(col);
    if (v === '') this.fail(col, 'is empty');
    if (pattern && !pattern.test(v)) this.fail(col, `'${v}' is not ${hint ?? `of the form ${pattern}`}`);
    return v;
  }

  optText(col: string): string | undefined {
    const v = this.raw(col);
    return v === '' ? undefined : v;
  }

  bool(col: string): boolean {
    const v = this.raw(col);
    if (v === 'true') return true;
    if (v === 'false') return false;
    return this.fail(col, `'${v}' is not true or false`);
  }

  optBool(col: string): boolean | undefined {
    return this.raw(col) === '' ? undefined : this.bool(col);
  }

  num(col: string, opts: { int?: boolean; min?: number; max?: number; minExclusive?: boolean } = {}): number {
    const v = this.raw(col);
    if (v === '') this.fail(col, 'is empty');
    return this.checkNum(col, v, opts);
  }

  optNum(col: string, opts: { int?: boolean; min?: number; max?: number; minExclusive?: boolean } = {}): number | undefined {
    const v = this.raw(col);
    return v === '' ? undefined : this.checkNum(col, v, opts);
  }

  private checkNum(col: string, v: string, opts: { int?: boolean; min?: number; max?: number; minExclusive?: boolean }): number {
    const n = Number(v);
    if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v) || !Number.isFinite(n)) this.fail(col, `'${v}' is not a number`);
    if (opts.int && !Number.isInteger(n)) this.fail(col, `'${v}' is not an integer`);
    if (opts.min !== undefined && (opts.minExclusive ? n <= opts.min : n < opts.min)) {
      this.fail(col, `${v} must be ${opts.minExclusive ? '>' : '>='} ${opts.min}`);
    }
    if (opts.max !== undefined && n > opts.max) this.fail(col, `${v} must be <= ${opts.max}`);
    return n;
  }
}

const ID_RE = /^[a-z0-9][a-z0-9._-]*$/;
const HF_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

function parseRow(c: Cell): CatalogModel {
  const id = c.text('id', ID_RE, 'a lowercase id (a-z, 0-9, . _ -)');
  const family = c.text('family');
  if (!(FAMILIES as readonly string[]).includes(family)) c.fail('family', `'${family}' is not one of ${FAMILIES.join(', ')}`);
  const params_b = c.num('params_b', { min: 0, minExclusive: true });
  const active_params_b = c.num('active_params_b', { min: 0, minExclusive: true });
  const is_moe = c.bool('is_moe');
  if (active_params_b > params_b) c.fail('active_params_b', `${active_params_b} exceeds params_b ${params_b}`);
  if (!is_moe && active_params_b !== params_b) c.fail('active_params_b', `a dense model's active params must equal params_b (${params_b})`);
  if (is_moe && active_params_b === params_b) c.fail('active_params_b', 'an MoE model activates fewer params than its total');
  const release_date = c.text('release_date', /^\d{4}-\d{2}(-\d{2})?$/, 'YYYY-MM-DD or YYYY-MM');
  checkDate(c, release_date);
  const thinking = c.bool('thinking');
  const sampling = preset(c, '');
  const nothink = preset(c, 'sampling_nothink_');
  if (!thinking && Object.keys(nothink).length > 0) {
    c.fail('sampling_nothink_temperature', 'a non-thinking preset is only for thinking (hybrid) models');
  }
  const source = c.text('source');
  for (const url of source.split(/\s+/)) {
    if (!/^https:\/\/\S+$/.test(url)) c.fail('source', `'${url}' is not an https URL (separate several with spaces)`);
  }
  const fact_status = c.text('fact_status');
  if (fact_status !== 'verified' && fact_status !== 'unverified') c.fail('fact_status', `'${fact_status}' is not verified or unverified`);
  const heads = c.optNum('num_attention_heads', { int: true, min: 1 });
  const kvHeads = c.optNum('num_kv_heads', { int: true, min: 1 });
  if (heads !== undefined && kvHeads !== undefined && heads % kvHeads !== 0) {
    c.fail('num_kv_heads', `${kvHeads} does not divide num_attention_heads ${heads}`);
  }
  const m: CatalogModel = {
    id,
    family,
    generation: c.text('generation'),
    generation_rank: c.num('generation_rank', { int: true, min: 1 }),
    params_b,
    active_params_b,
    is_moe,
    release_date,
    hf_id: c.text('hf_id', HF_RE, 'an owner/name Hugging Face id'),
    context_length: c.num('context_length', { int: true, min: 1 }),
    thinking,
    sampling,
    source,
    in_paper_scope: c.bool('in_paper_scope'),
    fact_status,
  };
  if (thinking) m.sampling_nothink = nothink;
  const opt = {
    scope_note: c.optText('scope_note'),
    fact_note: c.optText('fact_note'),
    num_layers: c.optNum('num_layers', { int: true, min: 1 }),
    num_attention_heads: heads,
    num_kv_heads: kvHeads,
    head_dim: c.optNum('head_dim', { int: true, min: 1 }),
    trust_remote_code: c.optBool('trust_remote_code'),
  };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined) (m as unknown as Record<string, unknown>)[k] = v;
  return m;
}

function checkDate(c: Cell, date: string): void {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number | undefined];
  if (y < 2000 || y > 2100 || mo < 1 || mo > 12) c.fail('release_date', `'${date}' is not a valid date`);
  if (d !== undefined) {
    const dt = new Date(Date.UTC(y, mo - 1, d));
    if (dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) c.fail('release_date', `'${date}' is not a valid date`);
  }
}

function preset(c: Cell, prefix: string): SamplingPreset {
  const p: SamplingPreset = {};
  const set = <K extends keyof SamplingPreset>(k: K, v: number | undefined): void => {
    if (v !== undefined) p[k] = v;
  };
  set('temperature', c.optNum(`${prefix}temperature`, { min: 0, max: 2 }));
  set('top_p', c.optNum(`${prefix}top_p`, { min: 0, minExclusive: true, max: 1 }));
  // HF's top_k 0 means "disabled" (Qwen1's generation_config); vLLM's disabled value is -1.
  set('top_k', c.optNum(`${prefix}top_k`, { int: true, min: -1 }));
  set('min_p', c.optNum(`${prefix}min_p`, { min: 0, max: 1 }));
  if (prefix === '') {
    set('repetition_penalty', c.optNum('repetition_penalty', { min: 0, minExclusive: true, max: 2 }));
    set('presence_penalty', c.optNum('presence_penalty', { min: -2, max: 2 }));
  }
  return p;
}

/** True for a `sim/`-prefixed model name (served by masa's simulator, not a real endpoint). */
export function isSimulated(name: string): boolean {
  return name.startsWith(SIM_PREFIX);
}

/**
 * Finds a model by catalog id, Hugging Face id (case-insensitive), the last segment of the
 * Hugging Face id (what vLLM serves by default under a local path), or any of these behind
 * the `sim/` prefix.
 */
export function findModel<M extends ModelInfo = CatalogModel>(name: string, catalog?: readonly M[]): M | undefined {
  const models = (catalog ?? (loadCatalog() as unknown as M[])) as readonly M[];
  const bare = (isSimulated(name) ? name.slice(SIM_PREFIX.length) : name).trim().toLowerCase();
  if (bare === '') return undefined;
  return (
    models.find((m) => m.id.toLowerCase() === bare) ??
    models.find((m) => m.hf_id.toLowerCase() === bare) ??
    models.find((m) => lastSegment(m.hf_id).toLowerCase() === bare)
  );
}

function lastSegment(hfId: string): string {
  const i = hfId.lastIndexOf('/');
  return i >= 0 ? hfId.slice(i + 1) : hfId;
}

/**
 * The sampling settings to send for a model. Hybrid thinking models (Qwen3) have one preset
 * per mode; `thinking` defaults to the model's own default (on for thinking models, as their
 * chat template is). A top_k of 0 (HF's "disabled") is left out, since older vLLM rejects 0.
 */
export function samplingPreset(model: ModelInfo & { sampling_nothink?: SamplingPreset }, opts: { thinking?: boolean } = {}): SamplingPreset {
  const thinking = opts.thinking ?? model.thinking;
  const chosen = model.thinking && !thinking && model.sampling_nothink ? model.sampling_nothink : model.sampling;
  const out: SamplingPreset = { ...chosen };
  if (out.top_k === 0) delete out.top_k;
  return out;
}

export interface CatalogFilter {
  family?: string;
  /** One or more generation labels (case-insensitive). */
  generation?: string | readonly string[];
  /** Bounds on total params, in billions (inclusive). */
  minParams?: number;
  maxParams?: number;
  /** 'paper' keeps in_paper_scope models; 'all' (default) keeps every model. */
  scope?: 'paper' | 'all';
  /** Keep only models with a thinking mode. */
  thinking?: boolean;
}

/** The catalog rows matching every given criterion, in catalog order. */
export function filterModels<M extends ModelInfo>(models: readonly M[], f: CatalogFilter): M[] {
  const gens = f.generation === undefined ? undefined : (typeof f.generation === 'string' ? [f.generation] : f.generation).map((g) => g.toLowerCase());
  return models.filter(
    (m) =>
      (f.family === undefined || m.family.toLowerCase() === f.family.toLowerCase()) &&
      (gens === undefined || gens.includes(m.generation.toLowerCase())) &&
      (f.minParams === undefined || m.params_b >= f.minParams) &&
      (f.maxParams === undefined || m.params_b <= f.maxParams) &&
      (f.scope !== 'paper' || m.in_paper_scope) &&
      (!f.thinking || m.thinking),
  );
}

/**
 * Resolves a model selection such as `paper`, `all`, `Qwen`, `Qwen2.5,llama-3.1-8b-instruct`:
 * a comma-separated union of `all`, `paper` (in_paper_scope), family names, generation labels
 * and model names (anything findModel accepts). Catalog order, no duplicates; an unknown word
 * throws naming it.
 */
export function selectModels<M extends ModelInfo>(spec: string, catalog: readonly M[]): M[] {
  const words = spec.split(',').map((w) => w.trim()).filter((w) => w !== '');
  if (words.length === 0) throw new MasaError('model selection is empty (use ids, a family, a generation, paper or all)');
  const chosen = new Set<M>();
  for (const w of words) {
    const lw = w.toLowerCase();
    let hits: readonly M[];
    if (lw === 'all') hits = catalog;
    else if (lw === 'paper') hits = catalog.filter((m) => m.in_paper_scope);
    else {
      const byFamily = catalog.filter((m) => m.family.toLowerCase() === lw);
      const byGen = catalog.filter((m) => m.generation.toLowerCase() === lw);
      const one = findModel(w, catalog);
      hits = byFamily.length > 0 ? byFamily : byGen.length > 0 ? byGen : one ? [one] : [];
    }
    if (hits.length === 0) {
      const gens = [...new Set(catalog.map((m) => m.generation))].join(', ');
      throw new MasaError(`unknown model, family or generation '${w}' (families: ${FAMILIES.join(', ')}; generations: ${gens}; see 'masa models')`);
    }
    for (const m of hits) chosen.add(m);
  }
  return catalog.filter((m) => chosen.has(m));
}
