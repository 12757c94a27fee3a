import { MasaError } from '../core/errors.js';
import { refgame } from './refgame.js';
import type { AnyGame } from './types.js';
import { hanabi } from './hanabi/index.js';
import { repeatedGames } from './repeated-games.js';

// One line per game module.
export const GAMES: readonly AnyGame[] = [refgame, repeatedGames, hanabi];

export function gameIds(): string[] {
  return GAMES.map((g) => g.id);
}

export function isGame(id: string): boolean {
  return GAMES.some((g) => g.id === id);
}

export function getGame(id: string): AnyGame {
  const g = GAMES.find((x) => x.id === id);
  if (!g) throw new MasaError(`unknown game '${id}' (known: ${gameIds().join(', ') || 'none'})`);
  return g;
}
