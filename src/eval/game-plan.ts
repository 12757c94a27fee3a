/**
 * Preparing a game run, as plan.ts prepares a benchmark run: options (checked against the
 * game's documented ones), the episodes (a seeded, prefix-stable subset under --limit), the
 * generation settings, the run id and folder, who sits in each seat, and each model turn's
 * request body and key.
 *
 * Partners (`--option partner=...`, or the partner an episode itself names):
 *   self                        the model plays every seat (each seat its own conversation)
 *   bot:<name>                  a scripted partner of the game
 *   model:<served name>         another model at the run's endpoints
 *   model:<served name>@<url>[,<url>...]  another model at its own endpoints
 * The URL is not part of the run id: the same partner served elsewhere is the same run.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MasaError } from '../core/errors.js';
import type { ChatMessage } from '../bench/types.js';
import type { AnyGame, EpisodeSpec } from '../play/types.js';
import { buildBody, requestKey, requestSeed, resolveGeneration, runHash, type ChatBody, type ResolvedGeneration } from './generation.js';
import { benchOptions, hashedOptions, selectItems, type OptionOwner, type PlanConfig } from './plan.js';
import { modelSlug } from './records.js';

export type AgentSpec =
  | { kind: 'model'; model: string; /** null: the run's own endpoints. */ endpoints: string[] | null }
  | { kind: 'bot'; name: string };

export interface GamePlan {
  kind: 'game';
  game: AnyGame;
  options: Record<string, unknown>;
  episodes: EpisodeSpec[];
  generation: ResolvedGeneration;
  runId: string;
  dir: string;
  seed: number;
  model: string;
  /** The partner option as given. */
  partner: string;
  /** Episodes planned. */
  total: number;
}

/** The default when a game has no `partner` option of its own. */
export const DEFAULT_PARTNER = 'self';

/** Reads one partner value; null when it is none of the general forms (a game-specific value such as 'panel'). */
export function parsePartner(value: string, game: AnyGame, runModel: string): AgentSpec | null {
  if (value === 'self') return { kind: 'model', model: runModel, endpoints: null };
  if (value.startsWith('bot:')) {
    const name = value.slice(4);
    if (!game.partners[name]) throw new MasaError(`--option partner=${value}: ${game.id} has no scripted partner '${name}' (known: ${Object.keys(game.partners).map((n) => `bot:${n}`).join(', ')})`, { exitCode: 2 });
    return { kind: 'bot', name };
  }
  if (value.startsWith('model:')) {
    const rest = value.slice(6);
    const at = rest.indexOf('@');
    const model = at < 0 ? rest : rest.slice(0, at);
    if (model === '') throw new MasaError(`--option partner=${value}: expected model:<served name>[@<url>]`, { exitCode: 2 });
    const endpoints = at < 0 ? null : rest.slice(at + 1).split(',').map((u) => u.trim()).filter((u) => u !== '');
    if (endpoints !== null && endpoints.length === 0) throw new MasaError(`--option partner=${value}: no URL after '@'`, { exitCode: 2 });
    return { kind: 'model', model, endpoints };
  }
  return null;
}

/** Who sits in each seat of an episode: the run's model in seat 0, the partner elsewhere. */
export function seatAgents(plan: GamePlan, spec: EpisodeSpec): AgentSpec[] {
  const value = spec.partner ?? plan.partner;
  const partner = parsePartner(value, plan.game, plan.model);
  if (!partner) throw new MasaError(`${plan.game.id}: partner '${value}' is not self, bot:<name> or model:<name>[@<url>]`, { exitCode: 2 });
  const seats: AgentSpec[] = [{ kind: 'model', model: plan.model, endpoints: null }];
  for (let s = 1; s < plan.game.seats; s++) seats.push(partner);
  return seats;
}

/** 'model:<name>' or 'bot:<name>', as records name agents. */
export function agentName(a: AgentSpec): string {
  return a.kind === 'bot' ? `bot:${a.name}` : `model:${a.model}`;
}

function partnerForHash(options: Record<string, unknown>): Record<string, unknown> {
  const p = options.partner;
  if (typeof p !== 'string' || !p.startsWith('model:')) return options;
  const at = p.indexOf('@');
  return { ...options, partner: at < 0 ? p : p.slice(0, at) };
}

/** `create` false: only work out the plan (status readers), without making the run's folder. */
export function planGameRun(game: AnyGame, cfg: PlanConfig, known: readonly OptionOwner[], create = true): GamePlan {
  const options = benchOptions(game, cfg.options, known);
  const all = game.episodes(options, cfg.seed);
  if (all.length === 0) throw new MasaError(`${game.id}: the options give no episodes`);
  const ids = new Set<string>();
  for (const e of all) {
    if (ids.has(e.id)) throw new Error(`${game.id}: two episodes share the id '${e.id}'`);
    ids.add(e.id);
  }
  const episodes = selectItems(all, cfg.limit, cfg.seed);
  const generation = resolveGeneration(game.generation?.(options) ?? { max_tokens: 1024 }, cfg.preset, cfg.generation, cfg.greedy);
  const hash = runHash({ model: cfg.model, bench: game.id, bench_options: hashedOptions(partnerForHash(options)), generation: generation.settings, seed: cfg.seed });
  const runId = `${modelSlug(cfg.model)}__${game.id}__${hash.slice(0, 10)}`;
  const dir = join(cfg.out, runId);
  const partner = typeof options.partner === 'string' ? options.partner : DEFAULT_PARTNER;
  const plan: GamePlan = { kind: 'game', game, options, episodes, generation, runId, dir, seed: cfg.seed, model: cfg.model, partner, total: episodes.length };
  // Fail before any request when an episode's partner cannot be seated.
  for (const e of episodes) seatAgents(plan, e);
  if (create) mkdirSync(dir, { recursive: true });
  return plan;
}

/** The request for one model turn; the key is stable across reruns (same settings, same state, same ask). */
export function turnRequest(
  plan: GamePlan,
  model: string,
  generation: ResolvedGeneration,
  spec: EpisodeSpec,
  turn: number,
  ask: number,
  messages: ChatMessage[],
): { body: ChatBody; key: string } {
  const g = generation.settings;
  const seed = g.request_seed ? requestSeed(plan.seed, `${spec.id}#${turn}#${ask}`, 0) : null;
  const body = buildBody(model, messages, g, seed);
  return { body, key: requestKey(body, turn, null) };
}
