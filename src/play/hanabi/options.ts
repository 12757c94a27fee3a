/**
 * Hanabi's run options and its episode list. Every game of a run is one deal; the deals come
 * from the run seed (so every model of a sweep, in self-play and in cross-play, plays the same
 * deals) unless `seeds` names them.
 */
import { hash32 } from '../../core/rng.js';
import { MasaError } from '../../core/errors.js';
import type { OptionDoc } from '../../bench/types.js';
import type { EpisodeSpec } from '../types.js';

export interface HanabiOptions {
  /** `self`, `bot:<name>`, or a model the runner resolves. */
  partner: string;
  /** Games per run (ignored when `seeds` is given). */
  episodes: number;
  /** Deal seeds: '' (from the run seed), '0-99', or '3,17,42'. */
  seeds: string | number;
}

export const HANABI_DEFAULTS: HanabiOptions = { partner: 'self', episodes: 20, seeds: '' };

export const HANABI_OPTION_DOCS: { [K in keyof HanabiOptions]: OptionDoc } = {
  partner: { description: "seat 1: 'self' (the model plays both seats), 'bot:random', 'bot:simple', 'bot:smart', or another model (model:<served name>@<endpoint>)" },
  episodes: { description: 'games per run, each a deal drawn from the run seed (default 20; LLM-Coordination played 3)' },
  seeds: { description: "deal seeds instead of drawing them from the run seed: a range '0-99' or a list '3,17,42' (masa's deals: HLE's seeds cannot be reproduced)" },
};

const MAX_EPISODES = 100_000;

function badSeeds(v: unknown): MasaError {
  return new MasaError(`hanabi: option seeds=${JSON.stringify(v)}: expected '' , a range like '0-99', or a list like '3,17,42' of integers >= 0`, { exitCode: 2 });
}

/** The deal seeds a run plays. */
export function dealSeeds(options: HanabiOptions, runSeed: number): number[] {
  const raw = options.seeds;
  if (raw === '' || raw === undefined || raw === null) {
    const n = options.episodes;
    if (!Number.isInteger(n) || n < 1 || n > MAX_EPISODES) {
      throw new MasaError(`hanabi: option episodes=${JSON.stringify(n)}: expected an integer from 1 to ${MAX_EPISODES}`, { exitCode: 2 });
    }
    return Array.from({ length: n }, (_, i) => hash32(`hanabi|${runSeed}|${i}`));
  }
  const text = String(raw).trim();
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(text);
  let out: number[];
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    if (b < a || b - a + 1 > MAX_EPISODES) throw badSeeds(raw);
    out = Array.from({ length: b - a + 1 }, (_, i) => a + i);
  } else {
    const parts = text.split(',').map((x) => x.trim());
    if (parts.some((x) => !/^\d+$/.test(x))) throw badSeeds(raw);
    out = parts.map(Number);
  }
  if (new Set(out).size !== out.length) throw new MasaError(`hanabi: option seeds=${JSON.stringify(raw)} repeats a seed`, { exitCode: 2 });
  return out;
}

export function hanabiEpisodes(options: HanabiOptions, runSeed: number): EpisodeSpec[] {
  return dealSeeds(options, runSeed).map((seed) => ({ id: `hanabi/${seed}`, seed, config: {}, tags: {} }));
}
