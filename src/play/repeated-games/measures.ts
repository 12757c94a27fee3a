/**
 * The per-episode measures (seat 0 is the model). Definitions are in MEASURES' descriptions and
 * in the header of src/play/repeated-games.ts, which says why the headline is built as it is.
 */
import type { MeasureDoc } from '../types.js';
import { solver, verdicts, type RoundVerdict } from './best-response.js';
import { payoffsFor, type Move, type RGState, type RoundRecord } from './games.js';
import { strategyDef, type Strategy } from './strategies.js';

export const MEASURES: MeasureDoc[] = [
  {
    id: 'adaptation',
    group: 'MA-A',
    range: [0, 1],
    description:
      'Headline. The mean of choice_youden and prediction_youden over those defined for the episode; null against a partner that is not a deterministic scripted strategy. A constant policy scores 0, a best responder with correct predictions 1.',
  },
  { id: 'payoff', range: [0, 100], description: "The model's total points over the 10 rounds." },
  { id: 'partner_payoff', range: [0, 100], description: "The partner's total points over the 10 rounds." },
  {
    id: 'payoff_vs_best',
    range: [0, 1],
    description: "payoff divided by the best response's total against the partner's actual strategy (switch round included), computed exactly by dynamic programming. Scripted strategies only.",
  },
  {
    id: 'optimal_rate',
    range: [0, 1],
    description: 'Share of rounds whose choice was a best response given the history so far (the move with the highest exact value of the rest of the game; ties count). Scripted strategies only.',
  },
  {
    id: 'readapt_rounds',
    range: [0, 10],
    description:
      'Against a switching partner: rounds from the hidden switch round until the model chooses best responses for the rest of the game (0 = already at the switch; 10 - s + 1 when the last round is still not a best response). Null otherwise.',
  },
  {
    id: 'prediction_accuracy',
    range: [0, 1],
    description: "Share of rounds whose stated prediction equals the partner's actual move; a missing prediction is wrong.",
  },
  {
    id: 'prediction_accuracy_after_switch',
    range: [0, 1],
    description: 'prediction_accuracy over the rounds from the hidden switch round on (belief updating); switching partners only.',
  },
  { id: 'prediction_missing', range: [0, 1], description: 'Share of rounds whose reply gave no readable prediction.' },
  { id: 'cooperation_rate', range: [0, 1], description: "Share of rounds the model chose Option J (cooperate, stag); Prisoner's Dilemma and Stag Hunt only." },
  { id: 'coordination_rate', range: [0, 1], description: 'Share of rounds both chose the same option; Battle of the Sexes and Stag Hunt only.' },
  {
    id: 'choice_youden',
    range: [0, 1],
    description:
      "Youden's J of the choices as a detector of the best response, over rounds 2-10 with a unique best move: (share of J-best rounds where the model chose J) + (share of F-best rounds where it chose F) - 1, floored at 0. Null when only one move is ever uniquely best.",
  },
  {
    id: 'prediction_youden',
    range: [0, 1],
    description:
      "Youden's J of the predictions, over rounds 2-10: (share of the partner's J rounds predicted J) + (share of its F rounds predicted F) - 1, floored at 0; missing predictions are wrong. Null when the partner made one move only.",
  },
];

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);
const share = (xs: readonly boolean[]): number | null => mean(xs.map((x) => (x ? 1 : 0)));

/** Youden's J of `said` against `truth` (null = wrong), floored at 0; null unless truth has both moves. */
export function youden(truth: readonly Move[], said: readonly (Move | null)[]): number | null {
  const rate = (m: Move): number | null => share(truth.flatMap((t, i) => (t === m ? [said[i] === m] : [])));
  const j = rate('J');
  const f = rate('F');
  return j === null || f === null ? null : Math.max(0, j + f - 1);
}

/** The partner's deterministic strategy, when seat 1 was a scripted panel strategy. */
export function partnerStrategy(agent: string | undefined, switchRound: number): { name: string; strategy: Strategy; switching: boolean } | null {
  if (!agent?.startsWith('bot:')) return null;
  const d = strategyDef(agent.slice(4));
  return d ? { name: d.name, strategy: d.make(switchRound), switching: d.family === 'switching' } : null;
}

function readapt(v: readonly RoundVerdict[], s: number): number {
  let from = v.length + 1;
  while (from - 1 >= s && v[from - 2]!.ok) from--;
  return from - s;
}

export function scoreEpisode(final: RGState, agents: readonly string[]): Record<string, number | null> {
  const h: RoundRecord[] = final.history;
  const p = payoffsFor(final.game, 0);
  const a = h.map((r) => r.a);
  const b = h.map((r) => r.b);
  const totals = playTotals(h, final);
  const later = h.slice(1);
  const predictionY = youden(
    later.map((r) => r.b),
    later.map((r) => r.pa),
  );
  const out: Record<string, number | null> = {
    payoff: totals[0],
    partner_payoff: totals[1],
    prediction_accuracy: share(h.map((r) => r.pa === r.b)),
    prediction_missing: share(h.map((r) => r.pa === null)),
    cooperation_rate: final.game === 'bos' ? null : share(a.map((m) => m === 'J')),
    coordination_rate: final.game === 'pd' ? null : share(h.map((r) => r.a === r.b)),
    prediction_youden: predictionY,
    payoff_vs_best: null,
    optimal_rate: null,
    readapt_rounds: null,
    prediction_accuracy_after_switch: null,
    choice_youden: null,
    adaptation: null,
  };
  const partner = partnerStrategy(agents[1], final.switchRound);
  if (!partner || h.length === 0) return out;
  const v = verdicts(partner.strategy, p, final.rounds, a, b);
  const best = solver(partner.strategy, p, final.rounds).best(1, partner.strategy.init);
  const rest = v.slice(1).filter((x) => x.optimal !== null);
  const choiceY = youden(
    rest.map((x) => x.optimal!),
    rest.map((x) => a[x.round - 1]!),
  );
  out.payoff_vs_best = best > 0 ? totals[0] / best : null;
  out.optimal_rate = share(v.map((x) => x.ok));
  out.choice_youden = choiceY;
  out.adaptation = mean([choiceY, predictionY].filter((x): x is number => x !== null));
  if (partner.switching && h.length === final.rounds) {
    out.readapt_rounds = readapt(v, final.switchRound);
    out.prediction_accuracy_after_switch = share(h.slice(final.switchRound - 1).map((r) => r.pa === r.b));
  }
  return out;
}

function playTotals(h: readonly RoundRecord[], final: RGState): [number, number] {
  const p = payoffsFor(final.game, 0);
  const t: [number, number] = [0, 0];
  for (const r of h) {
    t[0] += p[`${r.a}${r.b}`][0];
    t[1] += p[`${r.a}${r.b}`][1];
  }
  return t;
}
