/**
 * A test-only game for the episode runner: two seats take turns adding 1 or 2 to a counter
 * that starts at the episode's seed mod 3; the episode ends when it reaches `target`. Seat 0
 * earns a point for each turn it adds 2. It has everything a real game has (prompt, parse,
 * re-ask, forfeit, partners, measures, readPrompt, simAct), with rules small enough that the
 * tests can compute every outcome by hand. `masa eval --bench-module` loads it (`game`).
 */
import { chooseMove, letteredList } from '../../src/play/common.js';
import type { ChatMessage } from '../../src/bench/types.js';
import type { EpisodeSpec, Game } from '../../src/play/types.js';

export interface ToyState {
  counter: number;
  target: number;
  turn: number;
  history: Array<{ seat: number; add: number }>;
  episode: string;
}
export interface ToyObs {
  episode: string;
  counter: number;
  target: number;
  seat: number;
  history: Array<{ seat: number; add: number }>;
}
export type ToyAction = { add: 1 | 2 };
export interface ToyOptions {
  episodes: number;
  target: number;
  partner: string;
}

const MOVES = ['Add 1.', 'Add 2.'];

export const game: Game<ToyState, ToyObs, ToyAction, ToyOptions> = {
  id: 'toy',
  title: 'Counter (tests only)',
  group: 'MA-A',
  citation: 'test fixture',
  seats: 2,
  defaultOptions: { episodes: 4, target: 10, partner: 'bot:ones' },
  optionDocs: { episodes: { description: 'episodes' }, target: { description: 'counter target' }, partner: { description: 'partner' } },
  episodes(o, seed): EpisodeSpec[] {
    return Array.from({ length: o.episodes }, (_, i) => ({ id: `toy/${i}`, seed: seed * 1000 + i, config: {}, tags: { parity: i % 2 === 0 ? 'even' : 'odd' } }));
  },
  init(spec, o) {
    return { counter: spec.seed % 3, target: o.target, turn: 0, history: [], episode: spec.id };
  },
  toAct(s) {
    return s.counter >= s.target ? null : s.turn % 2;
  },
  observe(s, seat) {
    return { episode: s.episode, counter: s.counter, target: s.target, seat, history: s.history.slice() };
  },
  validate(_obs, a) {
    return a && (a.add === 1 || a.add === 2) ? null : 'add must be 1 or 2';
  },
  step(s, seat, a) {
    if (a.add !== 1 && a.add !== 2) throw new Error('illegal');
    return {
      state: { ...s, counter: s.counter + a.add, turn: s.turn + 1, history: [...s.history, { seat, add: a.add }] },
      rewards: seat === 0 ? [a.add === 2 ? 1 : 0, 0] : [0, 0],
    };
  },
  generation() {
    return { max_tokens: 64 };
  },
  prompt(obs): ChatMessage[] {
    return [
      { role: 'system', content: 'You play Counter. Answer with "Action: <letter>".' },
      { role: 'user', content: `Episode: ${obs.episode}\nSeat: ${obs.seat}\nCounter: ${obs.counter} of ${obs.target}\nLegal moves:\n${letteredList(MOVES)}` },
    ];
  },
  parse(reply) {
    const c = chooseMove(reply, MOVES);
    return c.ok ? { ok: true, action: { add: (c.index + 1) as 1 | 2 } } : { ok: false, error: c.error };
  },
  reask(error) {
    return [{ role: 'user', content: `That was not a legal move (${error}). Reply with "Action: A" or "Action: B".` }];
  },
  forfeit() {
    return { add: 1 };
  },
  partners: {
    ones: { name: 'ones', description: 'always adds 1', act: () => ({ add: 1 }) },
    twos: { name: 'twos', description: 'always adds 2', act: () => ({ add: 2 }) },
    coin: { name: 'coin', description: 'adds 1 or 2 at random', act: (_o, rng) => ({ add: rng.next() < 0.5 ? 1 : 2 }) },
  },
  measures: [
    { id: 'twos_share', description: "share of seat 0's turns that added 2", group: 'MA-A', range: [0, 1] },
    { id: 'turns', description: 'turns to reach the target', range: [0, 100] },
  ],
  score(log) {
    const mine = log.turns.filter((t) => t.seat === 0);
    return { twos_share: mine.length === 0 ? null : mine.filter((t) => (t.action as ToyAction).add === 2).length / mine.length, turns: log.turns.length };
  },
  readPrompt(messages) {
    const user = messages.find((m) => m.role === 'user')?.content ?? '';
    const m = /^Episode: (\S+)\nSeat: (\d+)\nCounter: (\d+) of (\d+)/.exec(user);
    return m ? { episode: m[1]!, seat: Number(m[2]), counter: Number(m[3]), target: Number(m[4]), history: [] } : null;
  },
  simAct(_obs, skill, rng) {
    return rng.next() < skill ? 'Explanation: two is more.\nAction: B' : `Action: ${rng.next() < 0.5 ? 'A' : 'B'}`;
  },
};
