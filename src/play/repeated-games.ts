/**
 * Repeated 2x2 games against partners who change: adaptation (group MA-A).
 *
 * Follows Akata et al., "Playing repeated games with Large Language Models" (arXiv 2305.16867;
 * Nat Hum Behav 2025), eliaka/repeatedgames@224a605 (files read at the stored version c1535fe):
 * pd/query_main.py, bos/query_main.py (payoffs, 10 rounds, prompt, partners act_j, act_f,
 * act_defect_once, act_jf, act_fj, the SCoT questions of act_gpt4reason), pd/tft/
 * pd_base_gpt4_tfts_query.py (act_tft) and all_games/144_games_info.csv (game 78, Stag Hunt:
 * 4/4, 1/3, 3/1, 2/2). Payoffs are in repeated-games/games.ts, partners in strategies.ts.
 *
 * Play. Each round is two turns, seat 0 (the model) then seat 1, and seat 1's observation never
 * shows seat 0's choice of the current round (nor seat 0's seat 1's): the moves are simultaneous.
 * Rewards are paid at seat 1's turn. A model's reply states a prediction of the other player's
 * move and its choice ("Prediction: Option F\nChoice: Option J"). An unreadable or missing
 * choice is invalid: one re-ask, then the forfeit, which is the option listed first in that
 * round's question, with no prediction. A missing prediction is recorded as null (scored wrong),
 * never invalid.
 *
 * Departures from upstream, on purpose:
 *  - Chat with reasoning instead of a one-token completion ("A: Option", max_tokens=1), so the
 *    reply ends with two labelled lines; upstream's two SCoT calls (predict, then "Given that you
 *    think the other player will choose Option X ...") are one turn here, asked every round.
 *  - The question's option order is shuffled per round (seeded, the same for both seats, as
 *    upstream's PD `qorder_indices`) in all three games; upstream's BoS always asked "Option J or
 *    Option F". The rules sentences keep upstream's fixed order.
 *  - The Stag Hunt uses Option J (stag) and Option F (hare) instead of all_games' random letters.
 *  - Prompt whitespace is normalised (upstream glues the history and "\nYou are currently ..."
 *    with stray blank lines and, in question_2, a double space).
 *  - Added partners: tit-for-tat (upstream's PD TFT study, 20 rounds there) and grim trigger in
 *    the 10-round games, and switchers that change strategy at a hidden round drawn uniformly
 *    from 4-7 per episode (SWITCH_ROUNDS). Upstream's alternating generators are module-level
 *    (their phase carries across pairings); here the phase is the round's parity.
 *
 * The panel (`partner=panel`, the default): every game x every strategy whose `games` lists it,
 * `repeats` episodes each, as `EpisodeSpec.partner = 'bot:<name>'`.
 *
 * Measures (repeated-games/measures.ts, each documented in MEASURES): payoff, partner_payoff,
 * payoff_vs_best (against the best response to the partner's actual strategy, hidden switch
 * included, by exact dynamic programming over the partner's automaton state), optimal_rate,
 * readapt_rounds, prediction_accuracy (all rounds; after the switch), prediction_missing,
 * cooperation_rate, coordination_rate, and the headline `adaptation`.
 *
 * Why the headline is built as it is. A constant policy is often lucky: always-J is the best
 * response to always-J in the Stag Hunt and BoS and nearly so to tit-for-tat in the PD, and
 * Llama-2 answered J in every round in upstream's data. Any score that rewards payoff or
 * per-round accuracy gives such a policy real credit against part of the panel, and no score
 * of one episode can tell it from an adaptive player where both make the same moves. So the
 * headline only credits discrimination: choice_youden is Youden's J (sensitivity + specificity
 * - 1) of the model's choices as a detector of the round's unique best move (rounds 2-10, given
 * the history so far), and prediction_youden the same of its predictions against the partner's
 * actual moves. A policy that always makes the same move, or always predicts the same move,
 * has J = 0 exactly, whatever the partner; random play has expectation J = 0 (flooring at 0
 * leaves it a small positive mean, about 0.1-0.2 on this panel, see the tests); the best
 * responder with correct predictions has J = 1. A part is null where it cannot discriminate
 * (only one move is ever best, or the partner made one move only), and `adaptation` is the mean
 * of the parts defined, null when neither is (e.g. against always-F in the PD, where there is
 * nothing to adapt to) and against partners whose strategy is not a known deterministic
 * automaton (self, another model, bot:adaptive, bot:random). Round 1 is left out of both parts:
 * nothing about the partner has been seen yet.
 */
import { MasaError } from '../core/errors.js';
import { hash32, permutation, rngFor, type Rng } from '../core/rng.js';
import type { EpisodeSpec, Game, Partner, Seat } from './types.js';
import { decideAdaptive } from './repeated-games/adaptive.js';
import { GAME_DEFS, GAME_KEYS, MOVES, payoffsFor, ROUNDS, type GameKey, type Move, type RGAction, type RGObs, type RGState } from './repeated-games/games.js';
import { MEASURES, scoreEpisode } from './repeated-games/measures.js';
import { adaptiveText, buildPrompt, isAction, parseReply, randomText, readPrompt, reaskMessages } from './repeated-games/prompt.js';
import { panelFor, stateAt, STRATEGY_DEFS, strategyDef, SWITCH_ROUNDS, type StrategyDef } from './repeated-games/strategies.js';

export interface RepeatedOptions {
  /** 'panel', 'bot:<name>', 'self' or another model (the runner resolves the last two). */
  partner: string;
  /** 'all' or a list of pd, bos, sh (an array or "pd,sh"). */
  games: string | string[];
  /** Episodes per (game, partner). */
  repeats: number;
}

export const REPEATED_DEFAULTS: RepeatedOptions = { partner: 'panel', games: 'all', repeats: 5 };

export function selectedGames(value: unknown): GameKey[] {
  const list = Array.isArray(value) ? value.map(String) : String(value).split(/[,+\s]+/).filter(Boolean);
  if (list.length === 1 && list[0] === 'all') return [...GAME_KEYS];
  const bad = list.filter((g) => !(GAME_KEYS as readonly string[]).includes(g));
  if (bad.length > 0 || list.length === 0) throw new MasaError(`repeated-games option games: '${String(value)}' is not 'all' or a list of ${GAME_KEYS.join(', ')}`, { exitCode: 2 });
  return GAME_KEYS.filter((g) => list.includes(g));
}

function repeatsOf(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new MasaError(`repeated-games option repeats: '${String(value)}' is not a positive whole number`, { exitCode: 2 });
  return n;
}

/** Scripted partners beside the panel strategies: they play every game. */
const EXTRA_BOTS = ['adaptive', 'random'];

function spec(runSeed: number, game: GameKey, partnerTag: string, rep: number, family: string, partner?: string): EpisodeSpec {
  const id = `${game}/${partnerTag}/${rep}`;
  const seed = hash32(`${runSeed}|repeated-games|${id}`);
  const switchRound = SWITCH_ROUNDS[rngFor(seed, 'switch').int(SWITCH_ROUNDS.length)]!;
  return { id, seed, config: { game, switchRound }, tags: { game, partner: partnerTag, family }, ...(partner ? { partner } : {}) };
}

export function repeatedEpisodes(options: RepeatedOptions, seed: number): EpisodeSpec[] {
  const games = selectedGames(options.games);
  const repeats = repeatsOf(options.repeats);
  const partner = String(options.partner);
  const out: EpisodeSpec[] = [];
  const each = (f: (rep: number) => void): void => {
    for (let rep = 0; rep < repeats; rep++) f(rep);
  };
  if (partner === 'panel') {
    for (const g of games) for (const d of panelFor(g)) each((rep) => out.push(spec(seed, g, d.name, rep, d.family, `bot:${d.name}`)));
    return out;
  }
  if (partner.startsWith('bot:')) {
    const name = partner.slice(4);
    const d = strategyDef(name);
    if (!d && !EXTRA_BOTS.includes(name)) {
      throw new MasaError(`repeated-games option partner: no scripted partner '${name}' (known: ${[...STRATEGY_DEFS.map((x) => x.name), ...EXTRA_BOTS].join(', ')})`, { exitCode: 2 });
    }
    const fit = d ? games.filter((g) => d.games.includes(g)) : games;
    if (fit.length === 0) throw new MasaError(`repeated-games option partner: '${name}' plays ${d!.games.join(', ')} only, not ${games.join(', ')}`, { exitCode: 2 });
    for (const g of fit) each((rep) => out.push(spec(seed, g, name, rep, d ? d.family : name)));
    return out;
  }
  for (const g of games) each((rep) => out.push(spec(seed, g, partner, rep, 'model')));
  return out;
}

export function initState(s: EpisodeSpec): RGState {
  const game = s.config.game;
  const switchRound = s.config.switchRound;
  if (!(GAME_KEYS as readonly unknown[]).includes(game)) throw new MasaError(`repeated-games episode ${s.id}: config.game '${String(game)}' is not one of ${GAME_KEYS.join(', ')}`);
  if (!Number.isInteger(switchRound) || (switchRound as number) < 1 || (switchRound as number) > ROUNDS) {
    throw new MasaError(`repeated-games episode ${s.id}: config.switchRound '${String(switchRound)}' is not a round 1-${ROUNDS}`);
  }
  const orders = Array.from({ length: ROUNDS }, (_, r) => permutation(2, rngFor(s.seed, 'order', r + 1)).map((i) => MOVES[i]!) as [Move, Move]);
  return { game: game as GameKey, rounds: ROUNDS, orders, switchRound: switchRound as number, history: [], pending: null };
}

export function observeState(state: RGState, seat: Seat): RGObs {
  const round = state.history.length + 1;
  return {
    game: state.game,
    payoffs: payoffsFor(state.game, seat),
    rounds: state.rounds,
    round,
    order: state.orders[Math.min(round, state.rounds) - 1]!,
    history: state.history.map((r) => (seat === 0 ? { me: r.a, other: r.b } : { me: r.b, other: r.a })),
    hidden: seat === 1 ? { switchRound: state.switchRound } : null,
  };
}

function validateAction(obs: RGObs, action: unknown): string | null {
  if (obs.round > obs.rounds) return 'the game is over';
  if (!isAction(action)) return 'the action must be { choice: "J" | "F", prediction: "J" | "F" | null }';
  return null;
}

function toActState(state: RGState): Seat | null {
  if (state.history.length >= state.rounds) return null;
  return state.pending === null ? 0 : 1;
}

function stepState(state: RGState, seat: Seat, action: RGAction): { state: RGState; rewards: number[] } {
  if (toActState(state) !== seat) throw new Error(`repeated-games: seat ${seat} cannot act now`);
  if (!isAction(action)) throw new Error(`repeated-games: illegal action ${JSON.stringify(action)}`);
  if (seat === 0) return { state: { ...state, pending: { choice: action.choice, prediction: action.prediction } }, rewards: [0, 0] };
  const a = state.pending!;
  const pts = payoffsFor(state.game, 0)[`${a.choice}${action.choice}`];
  const round = { a: a.choice, b: action.choice, pa: a.prediction, pb: action.prediction };
  return { state: { ...state, history: [...state.history, round], pending: null }, rewards: [pts[0], pts[1]] };
}

function strategyPartner(d: StrategyDef): Partner<RGObs, RGAction> {
  return {
    name: d.name,
    description: d.description,
    // A switcher learns its hidden round from seat 1's observation only.
    ...(d.family === 'switching' ? { seats: [1] as const } : {}),
    act(obs) {
      if (d.family === 'switching' && obs.hidden === null) throw new Error(`repeated-games: '${d.name}' needs seat 1's observation (its switch round)`);
      const s = d.make(obs.hidden?.switchRound ?? obs.rounds + 1);
      return { choice: s.move(stateAt(s, obs.history.map((h) => h.other)), obs.round), prediction: null };
    },
  };
}

function randomAction(rng: Rng): RGAction {
  return { choice: MOVES[rng.int(2)]!, prediction: MOVES[rng.int(2)]! };
}

const PARTNERS: Record<string, Partner<RGObs, RGAction>> = {
  ...Object.fromEntries(STRATEGY_DEFS.map((d) => [d.name, strategyPartner(d)])),
  adaptive: {
    name: 'adaptive',
    description: "Infers the other's strategy among the game's panel from the history, predicts from it and best-responds (the simulator's skill 1).",
    act: (obs, rng) => {
      const d = decideAdaptive(obs, rng);
      return { choice: d.choice, prediction: d.prediction };
    },
  },
  random: { name: 'random', description: 'A uniformly random choice and prediction each round.', act: (_obs, rng) => randomAction(rng) },
};

/** Skill 1 plays (and writes) as bot:adaptive; skill 0 at random; in between, each turn is one or the other. */
function simulatedReply(obs: RGObs, skill: number, rng: Rng): string {
  const adaptive = skill >= 1 || (skill > 0 && rng.next() < skill);
  if (adaptive) return adaptiveText(obs, decideAdaptive(obs, rng));
  return randomText(randomAction(rng), rng);
}

export const repeatedGames: Game<RGState, RGObs, RGAction, RepeatedOptions> = {
  id: 'repeated-games',
  title: "Repeated 2x2 games (Prisoner's Dilemma, Battle of the Sexes, Stag Hunt) against changing partners",
  group: 'MA-A',
  citation: 'Akata et al., Playing repeated games with Large Language Models (arXiv:2305.16867; Nat Hum Behav 2025), eliaka/repeatedgames@224a605',
  seats: 2,
  defaultOptions: REPEATED_DEFAULTS,
  optionDocs: {
    partner: {
      description:
        "'panel' (default): every game x every scripted strategy that fits it, as bot:<name> episodes; or one 'bot:<name>' (" +
        [...STRATEGY_DEFS.map((d) => d.name), ...EXTRA_BOTS].join(', ') +
        "); or 'self' / another served model.",
    },
    games: { description: `'all' (default) or a list of ${GAME_KEYS.map((g) => `${g} (${GAME_DEFS[g].title})`).join(', ')}, e.g. pd,sh.` },
    repeats: { description: 'Episodes per (game, partner); each has its own seed (option orders, hidden switch round). Default 5.' },
  },
  episodes: repeatedEpisodes,
  init: (s) => initState(s),
  toAct: toActState,
  observe: observeState,
  validate: validateAction,
  step: (state, seat, action) => stepState(state, seat, action),
  prompt: (obs) => buildPrompt(obs),
  parse: (reply) => parseReply(reply),
  reask: (error, obs) => reaskMessages(error, obs),
  forfeit: (obs) => ({ choice: obs.order[0], prediction: null }),
  partners: PARTNERS,
  measures: MEASURES,
  score: (log) => scoreEpisode(log.final, log.agents),
  readPrompt,
  simAct: (obs, skill, rng) => simulatedReply(obs, skill, rng),
};
