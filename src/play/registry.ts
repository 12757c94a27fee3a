import { MasaError } from '../core/errors.js';
import type { AnyGame } from './types.js';
import { repeatedGames } from './repeated-games.js';

// One line per game module.
export const GAMES: readonly AnyGame[] = [repeatedGames];

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
