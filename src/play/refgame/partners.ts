/**
 * Scripted speakers and listeners, and the simulator's replies. Each is a pure function of its
 * observation (whatever it "remembers" is the history the observation carries) and a seeded rng.
 *
 * Listeners:
 *  - literal: picks a referent for which every attribute word said holds ("not"/"no"/"without"
 *    deny the next one), random among ties; with no such referent, one that fits the most words.
 *    It needs every distinguishing attribute.
 *  - learning: also reads the speaker's shorthand from its past rounds' feedback: a message said
 *    before stands for the referent it named then, and among the literal candidates it prefers
 *    the one that the message's words were only ever used for.
 * Speakers:
 *  - full: all four attributes; minimal: the shortest distinguishing description;
 *  - convention: the minimal description until the current listener has succeeded with this
 *    target, then a one-word label from it (a word no other target's minimal description has);
 *    back to the minimal description after a failure, and for a new listener after a swap.
 */
import type { Rng } from '../../core/rng.js';
import { moveLabel } from '../common.js';
import type { Partner } from '../types.js';
import { ATTRIBUTES, describe, literalCandidates, minimalWords, readMessage, sameReferent, tokens, type Referent } from './referents.js';
import type { ListenerObs, RefAction, RefObs, SpeakerObs } from './rules.js';

function pickFrom(xs: readonly number[], rng: Rng): number {
  return xs[rng.int(xs.length)]!;
}

export function literalPick(obs: ListenerObs, rng: Rng): number {
  return pickFrom(literalCandidates(obs.objects, readMessage(obs.message)), rng);
}

/** Words that carry no reference of their own, so they never become anyone's shorthand. */
const STOPWORDS = new Set(
  'a an the one ones this that it its is are of with and or in on to for object objects thing shape shapes pattern colour color size i you target pick choose look'.split(' '),
);

/** For each word the listener has seen, the referents it was said for (by the feedback's target). */
function lexicon(obs: ListenerObs): Map<string, Referent[]> {
  const lex = new Map<string, Referent[]>();
  for (const h of obs.history) {
    const target = h.objects[h.target]!;
    for (const w of new Set(tokens(h.message))) {
      if (STOPWORDS.has(w)) continue;
      const rs = lex.get(w) ?? [];
      if (!rs.some((r) => sameReferent(r, target))) rs.push(target);
      lex.set(w, rs);
    }
  }
  return lex;
}

export function learningPick(obs: ListenerObs, rng: Rng): number {
  const phrase = tokens(obs.message).join(' ');
  if (phrase !== '') {
    for (let i = obs.history.length - 1; i >= 0; i--) {
      const h = obs.history[i]!;
      if (tokens(h.message).join(' ') !== phrase) continue;
      const at = obs.objects.findIndex((r) => sameReferent(r, h.objects[h.target]!));
      if (at >= 0) return at;
    }
  }
  const cands = literalCandidates(obs.objects, readMessage(obs.message));
  if (cands.length === 1) return cands[0]!;
  const lex = lexicon(obs);
  const words = [...new Set(tokens(obs.message))].filter((w) => !STOPWORDS.has(w));
  const standsFor = (i: number): number => words.filter((w) => {
    const rs = lex.get(w);
    return rs !== undefined && rs.length === 1 && sameReferent(rs[0]!, obs.objects[i]!);
  }).length;
  const scores = cands.map(standsFor);
  const best = Math.max(...scores);
  return pickFrom(cands.filter((_, k) => scores[k] === best), rng);
}

export function fullMessage(obs: SpeakerObs): string {
  return describe(obs.objects[obs.target]!);
}

export function minimalMessage(obs: SpeakerObs): string {
  return minimalWords(obs.objects, obs.target).join(' ');
}

/**
 * The one-word label for target `i`: a word of its minimal description that no other target's
 * minimal description contains (so a listener that learns from feedback can only read it as
 * `i`), the one the fewest objects share; null when every word is shared.
 */
export function conventionLabel(objects: readonly Referent[], i: number): string | null {
  const others = new Set(objects.flatMap((_, j) => (j === i ? [] : minimalWords(objects, j))));
  const own = minimalWords(objects, i).filter((w) => !others.has(w));
  const shared = (w: string): number => objects.filter((r) => ATTRIBUTES.some((a) => r[a] === w)).length;
  own.sort((a, b) => shared(a) - shared(b));
  return own[0] ?? null;
}

export function conventionMessage(obs: SpeakerObs): string {
  const since = obs.history.slice(obs.newListenerAt ?? 0).filter((h) => h.target === obs.target);
  const last = since[since.length - 1];
  if (last === undefined || last.picked !== obs.target) return minimalMessage(obs);
  return conventionLabel(obs.objects, obs.target) ?? minimalMessage(obs);
}

const OPENERS = ['The', 'It is the', 'Pick the', 'Look for the', 'Choose the', 'This is the'];
const NOUNS = ['one', 'object', 'shape', 'figure'];
const LINKS = ['next to the', 'like the', 'similar to the', 'and not the', 'rather than the'];

function pickWord<T>(xs: readonly T[], rng: Rng): T {
  return xs[rng.int(xs.length)]!;
}

/** Some attribute words of a random object, with a noun when the shape is not among them. */
function phrase(obs: SpeakerObs, rng: Rng): string {
  const r = obs.objects[rng.int(obs.objects.length)]!;
  let words = ATTRIBUTES.filter(() => rng.next() < 0.6).map((a) => r[a]);
  if (words.length === 0) words = [r[pickWord(ATTRIBUTES, rng)]];
  if (!words.includes(r.shape)) words.push(pickWord(NOUNS, rng));
  return words.join(' ');
}

/**
 * Skill 0's message: attribute words of random objects (the target among them only by chance),
 * in a sentence of 3 to 16 words (7 on average), as an unadapted model writes.
 */
export function randomMessage(obs: SpeakerObs, rng: Rng): string {
  const first = `${pickWord(OPENERS, rng)} ${phrase(obs, rng)}`;
  return rng.next() < 0.5 ? `${first} ${pickWord(LINKS, rng)} ${phrase(obs, rng)}` : first;
}

function speakerOnly(name: string, description: string, say: (obs: SpeakerObs, rng: Rng) => string): Partner<RefObs, RefAction> {
  return {
    name,
    description,
    seats: [0],
    act: (obs, rng) => {
      if (obs.role !== 'speaker') throw new Error(`refgame: bot:${name} is a speaker, not a listener`);
      return { message: say(obs, rng) };
    },
  };
}

function listenerOnly(name: string, description: string, pick: (obs: ListenerObs, rng: Rng) => number): Partner<RefObs, RefAction> {
  return {
    name,
    description,
    seats: [1],
    act: (obs, rng) => {
      if (obs.role !== 'listener') throw new Error(`refgame: bot:${name} is a listener, not a speaker`);
      return { pick: pick(obs, rng) };
    },
  };
}

export const PARTNERS: Record<string, Partner<RefObs, RefAction>> = {
  literal: listenerOnly('literal', 'listener that picks an object matching every attribute word said, at random among ties', literalPick),
  learning: listenerOnly('learning', "listener that also learns the speaker's shorthand from past rounds' feedback", learningPick),
  full: speakerOnly('full', 'speaker that names all four attributes of the target', fullMessage),
  minimal: speakerOnly('minimal', "speaker that says the target's shortest distinguishing description", minimalMessage),
  convention: speakerOnly('convention', 'speaker that shortens to a one-word label once the listener has succeeded, and re-expands for a new listener', conventionMessage),
  random: {
    name: 'random',
    description: 'either seat at random: attribute words of random objects, or a random letter',
    act: (obs, rng) => (obs.role === 'speaker' ? { message: randomMessage(obs, rng) } : { pick: rng.int(obs.objects.length) }),
  },
};

/** The simulator's reply: with probability `skill` the convention speaker's or learning listener's move, else skill 0's. */
export function simAct(obs: RefObs, skill: number, rng: Rng): string {
  const skilled = rng.next() < skill;
  if (obs.role === 'speaker') return skilled ? conventionMessage(obs) : randomMessage(obs, rng);
  return moveLabel(skilled ? learningPick(obs, rng) : rng.int(obs.objects.length));
}
