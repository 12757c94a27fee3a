import assert from 'node:assert/strict';
import { test } from 'node:test';
import { playScripted } from '../../src/play/loop.js';
import { getGame } from '../../src/play/registry.js';
import { repeatedGames as game, repeatedEpisodes, REPEATED_DEFAULTS, initState, observeState } from '../../src/play/repeated-games.js';
import { allSequences, bestLine, playSequence, solver } from '../../src/play/repeated-games/best-response.js';
import { GAME_KEYS, payoffsFor, type GameKey, type RGAction } from '../../src/play/repeated-games/games.js';
import { panelFor, STRATEGY_DEFS, SWITCH_ROUNDS, strategyDef } from '../../src/play/repeated-games/strategies.js';
import type { EpisodeSpec, Partner } from '../../src/play/types.js';
import { oracle } from './repeated-games-helpers.js';

const opts = REPEATED_DEFAULTS;
const bot = (name: string) => game.partners[name]! as Partner<unknown, unknown>;

function specFor(g: GameKey, partner: string, seed = 1, switchRound = 5): EpisodeSpec {
  return { id: `${g}/${partner}/t`, seed, config: { game: g, switchRound }, tags: {}, partner: `bot:${partner}` };
}

function totals(g: GameKey, seat0: string, seat1: string, seed = 1): [number, number] {
  const log = playScripted(game, specFor(g, seat1, seed), opts as never, [bot(seat0), bot(seat1)]);
  const t: [number, number] = [0, 0];
  for (const turn of log.turns) {
    t[0] += turn.rewards[0]!;
    t[1] += turn.rewards[1]!;
  }
  return t;
}

test('registry: repeated-games is a game of group MA-A', () => {
  assert.equal(getGame('repeated-games'), game);
  assert.equal(game.group, 'MA-A');
  assert.equal(game.measures[0]!.id, 'adaptation');
  assert.equal(game.measures[0]!.group, 'MA-A');
  assert.deepEqual(game.measures[0]!.range, [0, 1]);
});

test('payoffs as published: PD 8/8 0/10 10/0 5/5, BoS 10/7 0/0 0/0 7/10, Stag Hunt (game 78) 4/4 1/3 3/1 2/2', () => {
  assert.deepEqual(payoffsFor('pd', 0), { JJ: [8, 8], JF: [0, 10], FJ: [10, 0], FF: [5, 5] });
  assert.deepEqual(payoffsFor('bos', 0), { JJ: [10, 7], JF: [0, 0], FJ: [0, 0], FF: [7, 10] });
  // Seat 1 reads upstream's question_2: J/J wins it 7, F/F 10.
  assert.deepEqual(payoffsFor('bos', 1), { JJ: [7, 10], JF: [0, 0], FJ: [0, 0], FF: [10, 7] });
  assert.deepEqual(payoffsFor('sh', 0), { JJ: [4, 4], JF: [1, 3], FJ: [3, 1], FF: [2, 2] });
  assert.deepEqual(payoffsFor('sh', 1), payoffsFor('sh', 0));
});

test('oracle totals from upstream data (eliaka/repeatedgames pd/experiment_pd.csv, bos/experiment_bos.csv)', () => {
  assert.deepEqual(totals('pd', 'always-j', 'always-j'), [80, 80]);
  assert.deepEqual(totals('pd', 'defect-once', 'always-j'), [82, 72]);
  // GPT-4 plays as grim trigger: J, then F once the other has played F.
  assert.deepEqual(totals('pd', 'grim', 'defect-once'), [90, 10]);
  assert.deepEqual(totals('pd', 'grim', 'always-f'), [45, 55]);
  // GPT-4 against the BoS alternator (act_fj) played J throughout: 50 vs 35.
  assert.deepEqual(totals('bos', 'always-j', 'alternate-fj'), [50, 35]);
  // Perfect alternation in step with it: 85 each.
  assert.deepEqual(totals('bos', 'alternate-fj', 'alternate-fj'), [85, 85]);
  // Stag Hunt (all_games/experiments/game_78.csv): stag with stag for 10 rounds, 40 each.
  assert.deepEqual(totals('sh', 'always-j', 'always-j'), [40, 40]);
  assert.deepEqual(totals('sh', 'always-j', 'always-f'), [10, 30]);
});

test('partners: tit-for-tat copies, grim never forgives, switchers change at the hidden round', () => {
  const seq = (g: GameKey, seat0: string, seat1: string, sw = 5) => {
    const log = playScripted(game, specFor(g, seat1, 3, sw), opts as never, [bot(seat0), bot(seat1)]);
    return (log.final as { history: { a: string; b: string }[] }).history.map((r) => r.a + r.b).join(' ');
  };
  assert.equal(seq('pd', 'defect-once', 'tit-for-tat'), 'FJ JF JJ JJ JJ JJ JJ JJ JJ JJ');
  assert.equal(seq('pd', 'defect-once', 'grim'), 'FJ JF JF JF JF JF JF JF JF JF');
  assert.equal(seq('sh', 'always-j', 'j-then-f', 4), 'JJ JJ JJ JF JF JF JF JF JF JF');
  assert.equal(seq('sh', 'always-j', 'f-then-j', 7), 'JF JF JF JF JF JF JJ JJ JJ JJ');
  assert.equal(seq('pd', 'always-j', 'tft-then-f', 6), 'JJ JJ JJ JJ JJ JF JF JF JF JF');
  assert.equal(seq('bos', 'always-j', 'alternate-then-j', 6), 'JF JJ JF JJ JF JJ JJ JJ JJ JJ');
  assert.equal(seq('bos', 'always-j', 'alternate-then-f', 5), 'JF JJ JF JJ JF JF JF JF JF JF');
  assert.equal(seq('bos', 'always-j', 'alternate-jf'), 'JJ JF JJ JF JJ JF JJ JF JJ JF');
});

test('a switcher refuses seat 0, where it cannot know its switch round', () => {
  const sw = game.partners['j-then-f']!;
  assert.deepEqual(sw.seats, [1]);
  assert.throws(() => playScripted(game, specFor('pd', 'always-j'), opts as never, [bot('j-then-f'), bot('always-j')]), /seat 1/);
});

test('simultaneous moves: seat 1 sees nothing of seat 0 this round, and the question order is shared and seeded', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const s0 = initState(specFor('bos', 'always-j', seed));
    const afterJ = game.step(s0, 0, { choice: 'J', prediction: 'F' }).state;
    const afterF = game.step(s0, 0, { choice: 'F', prediction: null }).state;
    assert.equal(game.toAct(afterJ), 1);
    assert.deepEqual(observeState(afterJ, 1), observeState(afterF, 1));
    assert.deepEqual(observeState(afterJ, 1), observeState(s0, 1));
    assert.deepEqual(game.prompt(observeState(afterJ, 1), opts), game.prompt(observeState(afterF, 1), opts));
    assert.deepEqual(observeState(s0, 0).order, observeState(afterJ, 1).order);
  }
  const orders = initState(specFor('pd', 'always-j', 11)).orders.map((o) => o.join(''));
  assert.deepEqual(orders, initState(specFor('pd', 'always-j', 11)).orders.map((o) => o.join('')));
  const all = [1, 2, 3, 4, 5, 6].flatMap((s) => initState(specFor('pd', 'always-j', s)).orders.map((o) => o.join('')));
  assert.ok(all.includes('JF') && all.includes('FJ'));
});

test('rules: two turns a round, rewards at seat 1, illegal moves and wrong seats throw, the game ends after 10 rounds', () => {
  let s = initState(specFor('pd', 'always-j'));
  assert.equal(game.toAct(s), 0);
  assert.throws(() => game.step(s, 1, { choice: 'J', prediction: null }), /cannot act/);
  assert.throws(() => game.step(s, 0, { choice: 'X', prediction: null } as unknown as RGAction), /illegal/);
  assert.match(game.validate(observeState(s, 0), { choice: 'Q' } as unknown as RGAction) ?? '', /choice/);
  const r0 = game.step(s, 0, { choice: 'F', prediction: 'J' });
  assert.deepEqual(r0.rewards, [0, 0]);
  const r1 = game.step(r0.state, 1, { choice: 'J', prediction: null });
  assert.deepEqual(r1.rewards, [10, 0]);
  assert.deepEqual(r1.state.history, [{ a: 'F', b: 'J', pa: 'J', pb: null }]);
  s = r1.state;
  for (let i = 0; i < 9; i++) s = game.step(game.step(s, 0, { choice: 'J', prediction: 'J' }).state, 1, { choice: 'J', prediction: null }).state;
  assert.equal(game.toAct(s), null);
  assert.equal(game.validate(observeState(s, 0), { choice: 'J', prediction: null }), 'the game is over');
});

test('episodes: the panel is every game x every strategy that fits it, seeded and stable', () => {
  const eps = repeatedEpisodes({ ...opts, repeats: 2 }, 7);
  const per = Object.fromEntries(GAME_KEYS.map((g) => [g, panelFor(g).map((d) => d.name)]));
  assert.deepEqual(per, {
    pd: ['always-j', 'always-f', 'tit-for-tat', 'grim', 'defect-once', 'j-then-f', 'tft-then-f'],
    bos: ['always-j', 'always-f', 'alternate-jf', 'alternate-fj', 'j-then-f', 'f-then-j', 'alternate-then-j', 'alternate-then-f'],
    sh: ['always-j', 'always-f', 'tit-for-tat', 'grim', 'defect-once', 'j-then-f', 'f-then-j', 'tft-then-f'],
  });
  assert.equal(eps.length, 2 * (7 + 8 + 8));
  assert.equal(new Set(eps.map((e) => e.id)).size, eps.length);
  assert.ok(eps.every((e) => e.partner === `bot:${e.tags.partner}`));
  assert.deepEqual(repeatedEpisodes({ ...opts, repeats: 2 }, 7), eps);
  assert.notDeepEqual(repeatedEpisodes({ ...opts, repeats: 2 }, 8).map((e) => e.seed), eps.map((e) => e.seed));
  const rounds = new Set(repeatedEpisodes({ ...opts, repeats: 20 }, 7).map((e) => e.config.switchRound));
  assert.deepEqual([...rounds].sort(), [...SWITCH_ROUNDS]);
  // A larger repeats keeps the smaller run's episodes.
  const more = repeatedEpisodes({ ...opts, repeats: 3 }, 7);
  for (const e of eps) assert.deepEqual(more.find((x) => x.id === e.id), e);
});

test('episodes: one bot plays the games it fits; self and models play all; bad options are named', () => {
  const alt = repeatedEpisodes({ ...opts, partner: 'bot:alternate-fj', repeats: 1 }, 1);
  assert.deepEqual(alt.map((e) => e.id), ['bos/alternate-fj/0']);
  assert.equal(alt[0]!.partner, undefined);
  assert.equal(repeatedEpisodes({ ...opts, partner: 'self', repeats: 1 }, 1).length, 3);
  assert.equal(repeatedEpisodes({ ...opts, partner: 'bot:adaptive', games: 'pd,sh', repeats: 2 }, 1).length, 4);
  assert.deepEqual(repeatedEpisodes({ ...opts, games: ['sh'], repeats: 1 }, 1).map((e) => e.tags.game), Array(8).fill('sh'));
  assert.throws(() => repeatedEpisodes({ ...opts, partner: 'bot:nobody' }, 1), /no scripted partner 'nobody'/);
  assert.throws(() => repeatedEpisodes({ ...opts, partner: 'bot:grim', games: 'bos' }, 1), /grim' plays pd, sh only/);
  assert.throws(() => repeatedEpisodes({ ...opts, games: 'chess' }, 1), /option games/);
  assert.throws(() => repeatedEpisodes({ ...opts, repeats: 0 }, 1), /option repeats/);
  assert.throws(() => game.init({ id: 'x', seed: 1, config: { game: 'pd', switchRound: 11 }, tags: {} }, opts), /switchRound/);
  assert.throws(() => game.init({ id: 'x', seed: 1, config: { game: 'go', switchRound: 5 }, tags: {} }, opts), /config.game/);
});

test('best response: the dynamic programme equals brute force over all 1024 fixed sequences, for every strategy and switch round', () => {
  const seqs = allSequences(10);
  for (const g of GAME_KEYS) {
    const p = payoffsFor(g, 0);
    for (const d of panelFor(g)) {
      for (const sw of d.family === 'switching' ? SWITCH_ROUNDS : [11]) {
        const s = d.make(sw);
        const all = seqs.map((m) => playSequence(s, p, m).totals[0]);
        const sol = solver(s, p, 10);
        const label = `${g} ${d.name} @${sw}`;
        assert.equal(sol.best(1, s.init), Math.max(...all), label);
        assert.equal(sol.worst(1, s.init), Math.min(...all), label);
        assert.ok(Math.abs(sol.random(1, s.init) - all.reduce((a, b) => a + b, 0) / all.length) < 1e-9, label);
        assert.equal(playSequence(s, p, bestLine(s, p, 10)).totals[0], Math.max(...all), label);
      }
    }
  }
});

test('best response: known values (PD vs tit-for-tat: cooperate, defect in round 10 = 82)', () => {
  const p = payoffsFor('pd', 0);
  const tft = strategyDef('tit-for-tat')!.make(11);
  assert.deepEqual(bestLine(tft, p, 10).join(''), 'JJJJJJJJJF');
  assert.equal(solver(tft, p, 10).best(1, 0), 82);
  const tftf = strategyDef('tft-then-f')!.make(6);
  assert.deepEqual(bestLine(tftf, p, 10).join(''), 'JJJJFFFFFF');
  assert.equal(solver(strategyDef('alternate-fj')!.make(11), payoffsFor('bos', 0), 10).best(1, 0), 85);
});

test('the best response to each panel strategy gets the top payoff, above every scripted partner', () => {
  for (const spec of repeatedEpisodes({ ...opts, repeats: 2 }, 5)) {
    const partner = bot(spec.partner!.slice(4));
    const score = (seat0: Partner<unknown, unknown>) => game.score(playScripted(game, spec, opts as never, [seat0, partner], ['m', spec.partner!]) as never, opts).payoff!;
    const top = score(oracle(spec));
    const d = strategyDef(spec.partner!.slice(4))!;
    assert.equal(top, solver(d.make(spec.config.switchRound as number), payoffsFor(spec.config.game as GameKey, 0), 10).best(1, 0), spec.id);
    for (const other of Object.values(game.partners)) {
      if (other.seats && !other.seats.includes(0)) continue;
      assert.ok(score(other as Partner<unknown, unknown>) <= top, `${spec.id}: ${other.name}`);
    }
  }
});

test("a random agent's mean payoff matches its exact expectation within sampling error", () => {
  const n = 300;
  for (const [g, name, sw] of [
    ['pd', 'tit-for-tat', 11],
    ['pd', 'grim', 11],
    ['bos', 'alternate-then-j', 5],
    ['sh', 'tft-then-f', 6],
    ['sh', 'always-f', 11],
  ] as const) {
    const xs: number[] = [];
    for (let seed = 0; seed < n; seed++) {
      const log = playScripted(game, specFor(g, name, 1000 + seed, sw === 11 ? 5 : sw), opts as never, [bot('random'), bot(name)]);
      xs.push(log.turns.reduce((s, t) => s + t.rewards[0]!, 0));
    }
    const mean = xs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    const exact = solver(strategyDef(name)!.make(sw), payoffsFor(g, 0), 10).random(1, 0);
    assert.ok(Math.abs(mean - exact) < 4 * (sd / Math.sqrt(n)), `${g} ${name}: mean ${mean.toFixed(2)} vs exact ${exact.toFixed(2)} (sd ${sd.toFixed(2)})`);
  }
});

test('every panel strategy is documented and plays legal moves from its seats', () => {
  for (const d of STRATEGY_DEFS) {
    assert.ok(d.description.length > 10, d.name);
    assert.ok(game.partners[d.name], d.name);
  }
  for (const spec of repeatedEpisodes({ ...opts, repeats: 1 }, 9)) {
    const log = playScripted(game, spec, opts as never, [bot('random'), bot(spec.partner!.slice(4))]);
    assert.equal(log.turns.length, 20, spec.id);
  }
});
