/**
 * Ability profiles: how good each simulated model is at each benchmark. A profile is an
 * ASSUMPTION about the world the simulator plays, never a finding; the bundled ones
 * (data/profiles/paper.json, emergence.json) say so in their own `description`.
 *
 * Format (JSON; every field optional unless noted):
 *
 *   {
 *     "name": "paper",                       // required, a label recorded with runs
 *     "description": "...",                  // free text; say it is an assumption
 *     "notes": ["...", "..."],               // free text lines
 *     "item_correlation": 0.5,               // rho in [0, 1): share of the latent variance fixed per item
 *                                            // (how much "hard items are hard for every model"); 0 = iid
 *     "params": "geomean",                   // size used for MoE models: "total" | "active" | "geomean"
 *     "groups": {                            // one curve per group: "SA", "MA-U", "MA-P" (benchmarks),
 *                                            // "MA-C", "MA-A", "MA-P-play" (games: the players' skill)
 *       "SA": { "intercept": -3, "log2_params": 0.45, "generation": 0.5, "thinking": 1.0,
 *               "floor": 0, "ceiling": 0.95 }          // or { "fixed": 0.6 }
 *     },
 *     "families":   { "Qwen": { "SA": 0.1, "MA-U": 0 } },            // logit offsets per family and group
 *     "benchmarks": { "gpqa-diamond": { "offset": -1.2, "floor": 0.25, "ceiling": 0.8 } },  // or { "fixed": p }
 *     "models":     { "qwen3-8b": { "math500": 0.9, "*": 0.5 } }       // fixed abilities per catalog id
 *   }
 *
 * ability = floor + (ceiling - floor) * sigmoid(intercept + log2_params * log2(size in B)
 *           + generation * (generation_rank - 1) + thinking * [thinking on] + family offset + bench offset)
 * where floor/ceiling come from the benchmark entry when given, else from the group. A `fixed`
 * value anywhere replaces the curve (precedence: models > benchmarks > groups).
 * ability is the probability that one response is scored correct by the benchmark's own score();
 * for a game it is the simulated player's skill (src/sim/play.ts): 1 plays as the game's best
 * scripted partner, 0 picks legal moves at random. A group the profile leaves out gets the flat
 * default curve (0.5 for every model).
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelInfo } from '../core/catalog.js';
import { MasaError } from '../core/errors.js';
import { projectRoot } from '../core/paths.js';

/** The benchmark groups, and the groups the games feed (their simulated players' skill). */
export type GroupName = 'SA' | 'MA-U' | 'MA-P' | 'MA-C' | 'MA-A' | 'MA-P-play';
export const GROUP_NAMES: readonly GroupName[] = ['SA', 'MA-U', 'MA-P', 'MA-C', 'MA-A', 'MA-P-play'];

export interface Curve {
  intercept: number;
  log2_params: number;
  generation: number;
  thinking: number;
  floor: number;
  ceiling: number;
  fixed?: number;
}

export interface BenchAdjust {
  offset: number;
  floor?: number;
  ceiling?: number;
  fixed?: number;
}

export interface Profile {
  name: string;
  description: string;
  notes: string[];
  item_correlation: number;
  params: 'total' | 'active' | 'geomean';
  groups: Record<GroupName, Curve>;
  families: Record<string, Partial<Record<GroupName, number>>>;
  benchmarks: Record<string, BenchAdjust>;
  models: Record<string, Record<string, number>>;
}

const DEFAULT_CURVE: Curve = { intercept: 0, log2_params: 0, generation: 0, thinking: 0, floor: 0, ceiling: 1 };

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a parsed profile; every error names `file: field`. */
export function parseProfile(raw: unknown, file: string): Profile {
  const fail = (field: string, why: string): never => {
    throw new MasaError(`${file}: ${field}: ${why}`);
  };
  const num = (v: unknown, field: string, min = -Infinity, max = Infinity): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail(field, `must be a number, got ${JSON.stringify(v)}`);
    if (v < min || v > max) return fail(field, `must be in [${min}, ${max}], got ${v}`);
    return v;
  };
  const prob = (v: unknown, field: string): number => num(v, field, 0, 1);
  const keysOnly = (o: Json, allowed: readonly string[], field: string): void => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) fail(`${field}${field ? '.' : ''}${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
  };
  if (!isObj(raw)) return fail('(top level)', 'must be a JSON object');
  keysOnly(raw, ['name', 'description', 'notes', 'item_correlation', 'params', 'groups', 'families', 'benchmarks', 'models'], '');
  if (typeof raw.name !== 'string' || raw.name.trim() === '') fail('name', 'must be a non-empty string');
  const description = raw.description === undefined ? '' : raw.description;
  if (typeof description !== 'string') fail('description', 'must be a string');
  const notes = raw.notes === undefined ? [] : raw.notes;
  if (!Array.isArray(notes) || !notes.every((n) => typeof n === 'string')) fail('notes', 'must be an array of strings');
  const rho = raw.item_correlation === undefined ? 0.5 : num(raw.item_correlation, 'item_correlation', 0, 0.99);
  const params = raw.params === undefined ? 'geomean' : raw.params;
  if (params !== 'total' && params !== 'active' && params !== 'geomean') fail('params', `must be "total", "active" or "geomean", got ${JSON.stringify(params)}`);

  const groups = {} as Record<GroupName, Curve>;
  const rawGroups = raw.groups === undefined ? {} : raw.groups;
  if (!isObj(rawGroups)) fail('groups', `must be an object keyed by ${GROUP_NAMES.join(', ')}`);
  keysOnly(rawGroups as Json, GROUP_NAMES, 'groups');
  for (const g of GROUP_NAMES) {
    const c = (rawGroups as Json)[g];
    const field = `groups.${g}`;
    if (c === undefined) {
      groups[g] = { ...DEFAULT_CURVE };
      continue;
    }
    if (!isObj(c)) fail(field, 'must be an object');
    const co = c as Json;
    keysOnly(co, ['intercept', 'log2_params', 'generation', 'thinking', 'floor', 'ceiling', 'fixed'], field);
    const curve: Curve = { ...DEFAULT_CURVE };
    for (const k of ['intercept', 'log2_params', 'generation', 'thinking'] as const) {
      if (co[k] !== undefined) curve[k] = num(co[k], `${field}.${k}`);
    }
    if (co.floor !== undefined) curve.floor = prob(co.floor, `${field}.floor`);
    if (co.ceiling !== undefined) curve.ceiling = prob(co.ceiling, `${field}.ceiling`);
    if (curve.floor > curve.ceiling) fail(`${field}.floor`, `must not exceed ceiling (${curve.ceiling})`);
    if (co.fixed !== undefined) curve.fixed = prob(co.fixed, `${field}.fixed`);
    groups[g] = curve;
  }

  const families: Profile['families'] = {};
  const rawFam = raw.families === undefined ? {} : raw.families;
  if (!isObj(rawFam)) fail('families', 'must be an object keyed by family name');
  for (const [fam, offs] of Object.entries(rawFam as Json)) {
    if (!isObj(offs)) fail(`families.${fam}`, 'must be an object keyed by group');
    keysOnly(offs as Json, GROUP_NAMES, `families.${fam}`);
    families[fam] = {};
    for (const [g, v] of Object.entries(offs as Json)) families[fam]![g as GroupName] = num(v, `families.${fam}.${g}`);
  }

  const benchmarks: Profile['benchmarks'] = {};
  const rawBench = raw.benchmarks === undefined ? {} : raw.benchmarks;
  if (!isObj(rawBench)) fail('benchmarks', 'must be an object keyed by benchmark id');
  for (const [b, adj] of Object.entries(rawBench as Json)) {
    const field = `benchmarks.${b}`;
    if (!isObj(adj)) fail(field, 'must be an object');
    const a = adj as Json;
    keysOnly(a, ['offset', 'floor', 'ceiling', 'fixed'], field);
    const out: BenchAdjust = { offset: a.offset === undefined ? 0 : num(a.offset, `${field}.offset`) };
    if (a.floor !== undefined) out.floor = prob(a.floor, `${field}.floor`);
    if (a.ceiling !== undefined) out.ceiling = prob(a.ceiling, `${field}.ceiling`);
    if (a.fixed !== undefined) out.fixed = prob(a.fixed, `${field}.fixed`);
    benchmarks[b] = out;
  }

  const models: Profile['models'] = {};
  const rawModels = raw.models === undefined ? {} : raw.models;
  if (!isObj(rawModels)) fail('models', 'must be an object keyed by catalog id');
  for (const [m, byBench] of Object.entries(rawModels as Json)) {
    if (!isObj(byBench)) fail(`models.${m}`, 'must be an object keyed by benchmark id (or "*")');
    models[m] = {};
    for (const [b, v] of Object.entries(byBench as Json)) models[m]![b] = prob(v, `models.${m}.${b}`);
  }

  return {
    name: (raw.name as string).trim(),
    description: description as string,
    notes: notes as string[],
    item_correlation: rho,
    params: params as Profile['params'],
    groups,
    families,
    benchmarks,
    models,
  };
}

export const BUILTIN_PROFILES = ['paper', 'emergence'] as const;

export function profilesDir(): string {
  return join(projectRoot(), 'data', 'profiles');
}

/** Loads a bundled profile by name, or a user profile from a JSON file path. */
export function loadProfile(nameOrFile: string): Profile {
  const bundled = join(profilesDir(), `${nameOrFile}.json`);
  const file = /[\\/]|\.json$/i.test(nameOrFile) ? resolve(nameOrFile) : bundled;
  if (!existsSync(file)) {
    throw new MasaError(`unknown profile '${nameOrFile}' (bundled: ${BUILTIN_PROFILES.join(', ')}; or give a path to a JSON file)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new MasaError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return parseProfile(raw, file);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Size in billions used for the log-size term, per the profile's `params` rule. */
export function effectiveParams(model: ModelInfo, rule: Profile['params']): number {
  const total = model.params_b;
  const active = model.active_params_b || total;
  if (rule === 'total') return total;
  if (rule === 'active') return active;
  return Math.sqrt(total * active);
}

/**
 * Probability that one response of `model` to an item of benchmark `benchId` (in `group`)
 * scores correct. `thinking` is whether the model is thinking on this request.
 */
export function abilityOf(profile: Profile, model: ModelInfo, benchId: string, group: GroupName, thinking: boolean): number {
  const fixedModel = profile.models[model.id];
  if (fixedModel) {
    const v = fixedModel[benchId] ?? fixedModel['*'];
    if (v !== undefined) return v;
  }
  const adj = profile.benchmarks[benchId];
  if (adj?.fixed !== undefined) return adj.fixed;
  const curve = profile.groups[group];
  if (curve.fixed !== undefined) return curve.fixed;
  const size = Math.max(effectiveParams(model, profile.params), 0.01);
  const logit =
    curve.intercept +
    curve.log2_params * Math.log2(size) +
    curve.generation * (model.generation_rank - 1) +
    (thinking ? curve.thinking : 0) +
    (profile.families[model.family]?.[group] ?? 0) +
    (adj?.offset ?? 0);
  const floor = adj?.floor ?? curve.floor;
  const ceiling = adj?.ceiling ?? curve.ceiling;
  return floor + (Math.max(ceiling, floor) - floor) * sigmoid(logit);
}
