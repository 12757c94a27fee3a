/**
 * Reading the model's reply: LLM-Coordination's "Action: <move>" (common.ts `chooseMove`, with
 * its departures: no fuzzy match and no random move when nothing matches), a letter or a move's
 * text from the lettered list. An unusable reply is re-asked once (text.ts `reaskText`), then
 * the forfeit is recorded: discard the oldest card, the move that risks least (no life, no
 * token); with all 8 tokens, where discarding is illegal, the first legal reveal instead.
 */
import { chooseMove } from '../common.js';
import type { Parsed } from '../types.js';
import type { HanabiAction } from './moves.js';
import { type HanabiObs, obsLegal } from './observation.js';
import { moveText } from './text.js';

export function parseReply(reply: string, obs: HanabiObs): Parsed<HanabiAction> {
  if (typeof reply !== 'string') return { ok: false, error: 'the reply is not text' };
  const legal = obsLegal(obs);
  const r = chooseMove(reply, legal.map((a) => moveText(a, obs.seat)));
  if (r.ok === false) return { ok: false, error: r.error };
  return { ok: true, action: legal[r.index]! };
}

export function forfeitMove(obs: HanabiObs): HanabiAction {
  const legal = obsLegal(obs);
  return legal.find((a) => a.type === 'discard' && a.index === 0) ?? legal.find((a) => a.type === 'reveal_color' || a.type === 'reveal_rank') ?? legal[0]!;
}
