/** HLE's RandomAgent (agents/random_agent.py): a legal move uniformly at random. */
import type { Rng } from '../../../core/rng.js';
import type { HanabiAction } from '../moves.js';
import { type HanabiObs, obsLegal } from '../observation.js';

export function randomMove(obs: HanabiObs, rng: Rng): HanabiAction {
  const legal = obsLegal(obs);
  return legal[rng.int(legal.length)]!;
}
