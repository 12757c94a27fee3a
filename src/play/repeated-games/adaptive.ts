/**
 * The scripted adaptive player (the simulator's skill 1 and `bot:adaptive`). It knows the
 * game's panel of strategies (each with every hidden switch round it could have) and nothing
 * else: from the history it sees it keeps the strategies that would have played exactly what
 * the other player played, each strategy weighted equally (a switcher's weight split over its
 * switch rounds), predicts the move most of that weight expects, and chooses the move with the
 * best expected total over the rest of the game (the exact value under each strategy left,
 * averaged). When no panel strategy fits (a model partner), it predicts the other's last move
 * again and plays the best reply to that prediction for this round.
 */
import type { Rng } from '../../core/rng.js';
import { solver, type Solver } from './best-response.js';
import { points, type Move, type Payoffs, type RGObs } from './games.js';
import { movesAgainst, panelFor, stateAt, SWITCH_ROUNDS, type Strategy } from './strategies.js';

interface Hypothesis {
  name: string;
  switchRound: number | null;
  weight: number;
  strategy: Strategy;
  solver: Solver;
}

const CACHE = new Map<string, Hypothesis[]>();

function hypotheses(obs: RGObs): Hypothesis[] {
  const key = `${obs.game}|${JSON.stringify(obs.payoffs)}|${obs.rounds}`;
  let hs = CACHE.get(key);
  if (hs) return hs;
  hs = [];
  for (const d of panelFor(obs.game)) {
    const rounds = d.family === 'switching' ? SWITCH_ROUNDS : [null];
    for (const sr of rounds) {
      const strategy = d.make(sr ?? obs.rounds + 1);
      hs.push({ name: d.name, switchRound: sr, weight: 1 / rounds.length, strategy, solver: solver(strategy, obs.payoffs as Payoffs, obs.rounds) });
    }
  }
  CACHE.set(key, hs);
  return hs;
}

export interface Decision {
  choice: Move;
  prediction: Move;
  /** The panel strategy with most weight left (null when none fits the history). */
  belief: string | null;
  /** Share of the prior weight still consistent with the history. */
  fit: number;
  /** The round the believed strategy switched at, once the history shows it; else null. */
  switchedAt: number | null;
}

function pick(j: number, f: number, rng: Rng): Move {
  if (Math.abs(j - f) < 1e-9) return rng.next() < 0.5 ? 'J' : 'F';
  return j > f ? 'J' : 'F';
}

export function decideAdaptive(obs: RGObs, rng: Rng): Decision {
  const mine = obs.history.map((h) => h.me);
  const theirs = obs.history.map((h) => h.other);
  const fits = hypotheses(obs).filter((h) => movesAgainst(h.strategy, mine).every((m, t) => m === theirs[t]));
  if (fits.length === 0) {
    const prediction = theirs[theirs.length - 1] ?? 'J';
    const choice = pick(points(obs.payoffs, 'J', prediction)[0], points(obs.payoffs, 'F', prediction)[0], rng);
    return { choice, prediction, belief: null, fit: 0, switchedAt: null };
  }
  const mass = { J: 0, F: 0 };
  const value = { J: 0, F: 0 };
  const byName = new Map<string, number>();
  for (const h of fits) {
    const st = stateAt(h.strategy, mine);
    mass[h.strategy.move(st, obs.round)] += h.weight;
    value.J += h.weight * h.solver.q(obs.round, st, 'J');
    value.F += h.weight * h.solver.q(obs.round, st, 'F');
    byName.set(h.name, (byName.get(h.name) ?? 0) + h.weight);
  }
  const total = fits.reduce((s, h) => s + h.weight, 0);
  const belief = [...byName.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  const rounds = new Set(fits.filter((h) => h.name === belief).map((h) => h.switchRound));
  const only = rounds.size === 1 ? [...rounds][0]! : null;
  const switchedAt = only !== null && only <= obs.history.length ? only : null;
  return { prediction: pick(mass.J, mass.F, rng), choice: pick(value.J, value.F, rng), belief, fit: total / panelFor(obs.game).length, switchedAt };
}
