/**
 * Hanabi for two players (game id `hanabi`, group MA-P-play): the Hanabi Learning Environment's
 * rules, LLM-Coordination's prompt, HLE's and Quuxplusone's scripted partners. One concern a
 * file: cards.ts, deal.ts, rules.ts (the engine), knowledge.ts, moves.ts, observation.ts,
 * text.ts and read.ts (the prompt and its inverse), reply.ts (parse, re-ask, forfeit),
 * bots/ (random, simple, smart), sim.ts (the simulator's player), measures.ts, options.ts.
 * Each names the upstream it follows and its departures.
 */
import type { Game } from '../types.js';
import { HANABI_PARTNERS } from './bots/index.js';
import { HANABI_MEASURES, scoreGame } from './measures.js';
import type { HanabiAction } from './moves.js';
import { type HanabiObs, observeState } from './observation.js';
import { HANABI_DEFAULTS, HANABI_OPTION_DOCS, type HanabiOptions, hanabiEpisodes } from './options.js';
import { readHanabiPrompt } from './read.js';
import { forfeitMove, parseReply } from './reply.js';
import { type HanabiState, applyAction, dealGame, explainIllegal, hleScore, isOver } from './rules.js';
import { actionShapeError } from './moves.js';
import { simReply } from './sim.js';
import { promptMessages, reaskText } from './text.js';

export const hanabi: Game<HanabiState, HanabiObs, HanabiAction, HanabiOptions> = {
  id: 'hanabi',
  title: 'Hanabi (2 players)',
  group: 'MA-P-play',
  citation:
    'Agashe et al., LLM-Coordination (arXiv 2310.03903), agentic Hanabi; Bard et al., The Hanabi Challenge (arXiv 1902.00506), Hanabi Learning Environment rules and SimpleAgent; SmartBot from Quuxplusone/Hanabi',
  seats: 2,
  defaultOptions: HANABI_DEFAULTS,
  optionDocs: HANABI_OPTION_DOCS,
  episodes: hanabiEpisodes,
  init: (spec) => dealGame(spec.seed),
  toAct: (s) => (isOver(s) ? null : s.current),
  observe: observeState,
  validate(obs, action) {
    return actionShapeError(action) ?? explainIllegal(obs.info, obs.myKnowledge.length, obs.partnerHand, action);
  },
  step(state, seat, action) {
    const next = applyAction(state, seat, action);
    const r = hleScore(next) - hleScore(state);
    return { state: next, rewards: [r, r] };
  },
  prompt: (obs) => promptMessages(obs),
  parse: (reply, obs) => parseReply(reply, obs),
  reask: (error, obs) => [{ role: 'user', content: reaskText(error, obs) }],
  forfeit: (obs) => forfeitMove(obs),
  // LLM-Coordination's sampling; max_tokens is masa's (its code sets none): room for the explanation it asks for.
  generation: () => ({ temperature: 0.6, top_p: 1, max_tokens: 1024 }),
  crossPlay: { group: 'MA-A' },
  partners: HANABI_PARTNERS,
  measures: HANABI_MEASURES,
  score: (log) => scoreGame(log),
  readPrompt: readHanabiPrompt,
  simAct: (obs, skill, rng) => simReply(obs, skill, rng),
};
