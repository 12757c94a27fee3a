/**
 * Cross-play in a sweep: after each model's own runs, the games it plays again with other
 * partners, each an ordinary resumable run (`--option <game>.partner=...`):
 *
 *   "crossplay": {
 *     "benches": ["hanabi"],                 games to cross-play (each must be a registered game)
 *     "bots": ["random", "simple", "smart"], scripted partners, every model with each
 *     "models": true,                        model pairs among the sweep's models (default false)
 *     "max_pairs": 12                        cap on ordered model pairs (default: all n(n-1))
 *   }
 *
 * Model pairs are taken in a fixed order that grows the matrix one model at a time
 * ((1,0), (0,1), (2,0), (0,2), (2,1), (1,2), ...), so a cap keeps a square corner of it: every
 * pair among the first models before any pair with a later one.
 */
import { MasaError } from '../core/errors.js';
import { getGame, isGame } from '../play/registry.js';

export interface CrossplayConfig {
  benches: string[];
  bots?: string[];
  models?: boolean;
  max_pairs?: number;
}

export interface CrossplayTask {
  /** Index of the model under evaluation in the sweep's models. */
  model: number;
  bench: string;
  /** The partner option value: 'bot:<name>' or 'model:<name>@<urls>'. */
  partner: string;
}

/** Checks the crossplay section of a sweep config, naming the field at fault. */
export function readCrossplay(file: string, raw: unknown): CrossplayConfig | undefined {
  if (raw === undefined) return undefined;
  const fail = (msg: string): never => {
    throw new MasaError(`${file}: crossplay${msg}`, { exitCode: 2 });
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail(': must be an object');
  const c = raw as Record<string, unknown>;
  for (const k of Object.keys(c)) if (!['benches', 'bots', 'models', 'max_pairs'].includes(k)) fail(`.${k}: unknown field (known: benches, bots, models, max_pairs)`);
  if (!Array.isArray(c.benches) || c.benches.length === 0) fail('.benches: must be a non-empty list of game ids');
  for (const b of c.benches as unknown[]) {
    if (typeof b !== 'string' || !isGame(b)) fail(`.benches: '${String(b)}' is not a game`);
  }
  const bots = c.bots === undefined ? [] : c.bots;
  if (!Array.isArray(bots) || bots.some((b) => typeof b !== 'string')) fail('.bots: must be a list of scripted partner names');
  for (const g of c.benches as string[]) {
    const game = getGame(g);
    for (const b of bots as string[]) if (!game.partners[b]) fail(`.bots: ${g} has no scripted partner '${b}' (known: ${Object.keys(game.partners).join(', ')})`);
  }
  if (c.models !== undefined && typeof c.models !== 'boolean') fail('.models: must be true or false');
  if (c.max_pairs !== undefined && !(Number.isInteger(c.max_pairs) && (c.max_pairs as number) >= 0)) fail('.max_pairs: must be a whole number >= 0');
  return { benches: c.benches as string[], bots: bots as string[], models: (c.models as boolean | undefined) ?? false, max_pairs: c.max_pairs as number | undefined };
}

/** Ordered model pairs (evaluated, partner) in the matrix-growing order, at most `cap`. */
export function modelPairs(n: number, cap = Infinity): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let k = 1; k < n && out.length < cap; k++) {
    for (let i = 0; i < k && out.length < cap; i++) {
      out.push([k, i]);
      if (out.length < cap) out.push([i, k]);
    }
  }
  return out;
}

/** Every cross-play run of a sweep, in order: bots per model, then the model pairs. */
export function crossplayTasks(cfg: CrossplayConfig, models: ReadonlyArray<{ model: string; endpoints: string[] }>): CrossplayTask[] {
  const tasks: CrossplayTask[] = [];
  for (const bench of cfg.benches) {
    models.forEach((_, i) => {
      for (const b of cfg.bots ?? []) tasks.push({ model: i, bench, partner: `bot:${b}` });
    });
    if (cfg.models) {
      for (const [i, j] of modelPairs(models.length, cfg.max_pairs ?? Infinity)) {
        const p = models[j]!;
        tasks.push({ model: i, bench, partner: `model:${p.model}@${p.endpoints.join(',')}` });
      }
    }
  }
  return tasks;
}
