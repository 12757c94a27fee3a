/**
 * Hanabi's measures, per finished game (the runner adds the invalid-move rate; cross-play
 * retention, a self-play run's mean score over a cross-play run's, is computed at run level):
 *  - score: HLE's final score, 0-25, 0 when all lives are lost (the headline, planning in play);
 *  - fireworks: LLM-Coordination's score, the fireworks sum whether or not the lives ran out
 *    (also Quuxplusone's tally, the rules SmartBot's published mean was measured on);
 *  - points_per_hint: the partner's successful plays per hint seat 0 (the model) gave, null
 *    when it gave none: how many points each spent token of the model's bought;
 *  - hint_efficiency: points_per_hint over SmartBot's own in self-play (masa's measurement,
 *    SMARTBOT_POINTS_PER_HINT), capped at 1: the share of a strong convention player's hint
 *    efficiency the model reaches (efficient communication, MA-C). Points per hint has no useful
 *    upper bound of its own (one lucky hint before a reckless run is "25 per hint"), so the
 *    table score is anchored at the strongest scripted partner instead of the range's 25;
 *  - hints_given: hints seat 0 gave;
 *  - lives_lost: 0-3, the team's misplays;
 *  - bombed: 1 when all three lives were lost;
 *  - perfect: 1 at 25 points.
 */
import { MAX_LIVES, MAX_SCORE } from './cards.js';
import type { HanabiAction } from './moves.js';
import { type HanabiState, fireworksSum, hleScore } from './rules.js';
import type { EpisodeLog, MeasureDoc } from '../types.js';

/**
 * SmartBot's self-play points per hint, measured by masa: 1.017 (SE 0.005) over 1,000 seeded
 * deals (run seed 777); test/play/hanabi/measures.test.ts checks it on other deals.
 */
export const SMARTBOT_POINTS_PER_HINT = 1.02;

export const HANABI_MEASURES: MeasureDoc[] = [
  { id: 'score', description: "HLE's final score (0-25; 0 when all three lives are lost)", group: 'MA-P-play', range: [0, MAX_SCORE] },
  { id: 'fireworks', description: "LLM-Coordination's score: the fireworks sum at the end, lives lost or not (0-25)", range: [0, MAX_SCORE] },
  {
    id: 'points_per_hint',
    description: "the partner's successful plays per hint the model (seat 0) gave; null when it gave none",
    range: [0, MAX_SCORE],
  },
  {
    id: 'hint_efficiency',
    description: `points per hint over SmartBot's self-play points per hint (${SMARTBOT_POINTS_PER_HINT}), capped at 1; null when the model gave no hint`,
    group: 'MA-C',
    range: [0, 1],
  },
  { id: 'hints_given', description: 'hints the model (seat 0) gave', range: [0, 60] },
  { id: 'lives_lost', description: 'lives lost by the team (misplays), 0-3', range: [0, MAX_LIVES] },
  { id: 'bombed', description: '1 when all three lives were lost, else 0', range: [0, 1] },
  { id: 'perfect', description: '1 when the game reached 25 points, else 0', range: [0, 1] },
];

export function scoreGame(log: EpisodeLog<HanabiState, HanabiAction>): Record<string, number | null> {
  const s = log.final;
  let hints = 0;
  let partnerPoints = 0;
  for (const h of s.history) {
    if (h.seat === 0 && (h.type === 'reveal_color' || h.type === 'reveal_rank')) hints++;
    if (h.seat === 1 && h.type === 'play' && h.scored) partnerPoints++;
  }
  const sum = fireworksSum(s.fireworks);
  return {
    score: hleScore(s),
    fireworks: sum,
    points_per_hint: hints > 0 ? partnerPoints / hints : null,
    hint_efficiency: hints > 0 ? Math.min(1, partnerPoints / hints / SMARTBOT_POINTS_PER_HINT) : null,
    hints_given: hints,
    lives_lost: MAX_LIVES - s.lives,
    bombed: s.lives <= 0 ? 1 : 0,
    perfect: sum === MAX_SCORE ? 1 : 0,
  };
}
