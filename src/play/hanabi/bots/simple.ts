/**
 * HLE's SimpleAgent (deepmind/hanabi-learning-environment@4210e0e:hanabi_learning_environment/agents/simple_agent.py),
 * in its rule order:
 *  1. play the first card a hint has named the colour or rank of (HLE's `card_knowledge`
 *     colour/rank are set only by a direct hint, never by inference);
 *  2. else, with a token, reveal the colour of the partner's first card that is playable and
 *     whose colour it has not been told;
 *  3. else discard card 0 if below the maximum of tokens;
 *  4. else play card 0.
 * No departures: HLE's `max_information_tokens` is the game's 8.
 */
import { MAX_INFO } from '../cards.js';
import type { HanabiAction } from '../moves.js';
import type { HanabiObs } from '../observation.js';

export function simpleMove(obs: HanabiObs): HanabiAction {
  const hinted = obs.myKnowledge.findIndex((k) => k.color !== null || k.rank !== null);
  if (hinted >= 0) return { type: 'play', index: hinted };
  if (obs.info > 0) {
    for (let i = 0; i < obs.partnerHand.length; i++) {
      const card = obs.partnerHand[i]!;
      if (card.rank === obs.fireworks[card.color]! + 1 && obs.partnerKnowledge[i]!.color === null) return { type: 'reveal_color', color: card.color };
    }
  }
  if (obs.info < MAX_INFO) return { type: 'discard', index: 0 };
  return { type: 'play', index: 0 };
}
