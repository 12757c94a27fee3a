// Agents the repeated-games tests share (not a test file itself).
import { bestLine } from '../../src/play/repeated-games/best-response.js';
import { payoffsFor, type GameKey, type RGObs } from '../../src/play/repeated-games/games.js';
import { strategyDef } from '../../src/play/repeated-games/strategies.js';
import type { EpisodeSpec, Partner } from '../../src/play/types.js';

/** Seat 0 knowing seat 1's strategy and switch round: the best response, predicting exactly. */
export function oracle(spec: EpisodeSpec): Partner<unknown, unknown> {
  const d = strategyDef(spec.partner!.slice(4))!;
  const s = d.make(spec.config.switchRound as number);
  const line = bestLine(s, payoffsFor(spec.config.game as GameKey, 0), 10);
  return {
    name: 'oracle',
    description: 'best response',
    act: (o) => {
      const obs = o as RGObs;
      let st = s.init;
      obs.history.forEach((h, t) => (st = s.next(st, t + 1, h.me)));
      return { choice: line[obs.round - 1]!, prediction: s.move(st, obs.round) };
    },
  };
}

/** Always the same move and the same prediction (Llama-2 answered J in every round upstream). */
export function constant(choice: 'J' | 'F', prediction: 'J' | 'F' | null = choice): Partner<unknown, unknown> {
  return { name: `constant-${choice}`, description: 'constant', act: () => ({ choice, prediction }) };
}
