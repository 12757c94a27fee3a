/** Hanabi's scripted partners, by the name `--option partner=bot:<name>` takes. */
import type { Partner } from '../../types.js';
import type { HanabiAction } from '../moves.js';
import type { HanabiObs } from '../observation.js';
import { randomMove } from './random.js';
import { simpleMove } from './simple.js';
import { smartMove } from './smart.js';

export const HANABI_PARTNERS: Record<string, Partner<HanabiObs, HanabiAction>> = {
  random: { name: 'random', description: 'a legal move uniformly at random (HLE RandomAgent)', act: (o, rng) => randomMove(o, rng) },
  simple: {
    name: 'simple',
    description: 'HLE SimpleAgent: play a hinted card, else hint the colour of a playable card, else discard the oldest',
    act: (o) => simpleMove(o),
  },
  smart: {
    name: 'smart',
    description: "Quuxplusone SmartBot: play, save and discard-finesse conventions (published 2-player mean 23.09, points kept after bombing)",
    act: (o) => smartMove(o),
  },
};
