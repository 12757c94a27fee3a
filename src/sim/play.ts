/**
 * The simulator at play. A request that matches no benchmark item is tried as a game turn: each
 * registered game reads its observation back from the conversation (`readPrompt`; for a re-ask,
 * from the conversation before the model's unusable reply), and the simulated model answers
 * with the game's `simAct` at its skill. The skill is the profile's ability for the game's group
 * (MA-C, MA-A, MA-P-play): 1 plays as the game's best scripted partner, 0 picks legal moves at
 * random. Like every simulated answer it is an assumption of the profile, never a finding.
 */
import type { ChatMessage } from '../bench/types.js';
import { GAMES } from '../play/registry.js';
import type { AnyGame } from '../play/types.js';
import type { ChatRequest } from './api.js';

export interface GameTurn {
  game: AnyGame;
  obs: unknown;
}

function conversation(req: ChatRequest): ChatMessage[] {
  return req.roles.map((role, i) => ({ role: role as ChatMessage['role'], content: req.contents[i]! }));
}

/** The game and observation a request asks about, or null. */
export function recognizeGame(req: ChatRequest, games: readonly AnyGame[] = GAMES): GameTurn | null {
  if (games.length === 0) return null;
  const messages = conversation(req);
  // A re-ask appends [assistant reply, user correction] to the turn's prompt.
  const candidates = messages.length > 2 && messages[messages.length - 2]!.role === 'assistant' ? [messages, messages.slice(0, -2)] : [messages];
  for (const g of games) {
    for (const m of candidates) {
      let obs: unknown = null;
      try {
        obs = g.readPrompt(m);
      } catch {
        obs = null;
      }
      if (obs !== null && obs !== undefined) return { game: g, obs };
    }
  }
  return null;
}
