import assert from 'node:assert/strict';
import { test } from 'node:test';
import { playScripted } from '../../src/play/loop.js';
import { repeatedGames as game, REPEATED_DEFAULTS, repeatedEpisodes } from '../../src/play/repeated-games.js';
import type { GameKey, Move, RGState } from '../../src/play/repeated-games/games.js';
import { scoreEpisode, youden } from '../../src/play/repeated-games/measures.js';
import type { Partner } from '../../src/play/types.js';
import { constant, oracle } from './repeated-games-helpers.js';

const opts = REPEATED_DEFAULTS;
const bot = (name: string) => game.partners[name]! as Partner<unknown, unknown>;

/** A finished state from a string of rounds: "JJ JF" = seat 0 J / seat 1 J, then J / F; predictions per round in `pa`. */
function finished(g: GameKey, rounds: string, pa: string, switchRound = 5): RGState {
  const rs = rounds.split(' ');
  const s = game.init({ id: 't', seed: 1, config: { game: g, switchRound }, tags: {} }, opts);
  const history = rs.map((r, i) => ({ a: r[0] as Move, b: r[1] as Move, pa: pa[i] === '-' ? null : (pa[i] as Move), pb: null }));
  return { ...s, history };
}

test("youden: sensitivity + specificity - 1, floored at 0; null without both classes; null predictions are wrong", () => {
  assert.equal(youden(['J', 'F', 'J', 'F'], ['J', 'F', 'J', 'F']), 1);
  assert.equal(youden(['J', 'F', 'J', 'F'], ['J', 'J', 'J', 'J']), 0);
  assert.equal(youden(['J', 'F', 'J', 'F'], ['F', 'J', 'F', 'J']), 0);
  assert.equal(youden(['J', 'J', 'J', 'F'], ['J', 'J', 'F', 'F']), 1 + 2 / 3 - 1);
  assert.equal(youden(['J', 'J'], ['J', 'J']), null);
  assert.equal(youden(['J', 'F'], [null, 'F']), 0);
});

test('a hand-worked Stag Hunt episode against j-then-f (switch at round 5)', () => {
  // Stag until the partner goes hare at round 5; the model sees it and goes hare from round 6.
  const s = finished('sh', 'JJ JJ JJ JJ JF FF FF FF FF FF', 'JJJJJFFFFF');
  const m = scoreEpisode(s, ['model:m', 'bot:j-then-f']);
  assert.equal(m.payoff, 4 * 4 + 1 + 2 * 5);
  assert.equal(m.partner_payoff, 4 * 4 + 3 + 2 * 5);
  // Best: stag for 4 rounds, hare from round 5: 16 + 12 = 28.
  assert.equal(m.payoff_vs_best, 27 / 28);
  assert.equal(m.optimal_rate, 0.9);
  assert.equal(m.readapt_rounds, 1);
  assert.equal(m.prediction_accuracy, 0.9);
  assert.equal(m.prediction_accuracy_after_switch, 5 / 6);
  assert.equal(m.cooperation_rate, 0.5);
  assert.equal(m.coordination_rate, 0.9);
  // Rounds 2-10: best moves J J J F F F F F F; chose J J J J F F F F F.
  const near = (x: number | null, y: number) => assert.ok(x !== null && Math.abs(x - y) < 1e-12, `${x} vs ${y}`);
  near(m.choice_youden, 5 / 6);
  near(m.prediction_youden, 5 / 6);
  near(m.adaptation, 5 / 6);
  assert.equal(m.prediction_missing, 0);
});

test('readapt_rounds: 0 when already adapted at the switch; to the end when never', () => {
  assert.equal(scoreEpisode(finished('sh', 'JJ JJ JJ JJ FF FF FF FF FF FF', 'JJJJFFFFFF'), ['m', 'bot:j-then-f']).readapt_rounds, 0);
  assert.equal(scoreEpisode(finished('sh', 'JJ JJ JJ JJ JF JF JF JF JF JF', 'JJJJJJJJJJ'), ['m', 'bot:j-then-f']).readapt_rounds, 6);
  assert.equal(scoreEpisode(finished('sh', 'JJ JJ JJ JJ JF JF JF JF JF FF', 'JJJJJJJJJJ'), ['m', 'bot:j-then-f']).readapt_rounds, 5);
  assert.equal(scoreEpisode(finished('sh', 'JJ JJ JJ JJ JJ JJ JJ JJ JJ JJ', 'JJJJJJJJJJ'), ['m', 'bot:always-j']).readapt_rounds, null);
});

test('partners that are not panel strategies: no best-response measures, predictions still scored', () => {
  const s = finished('bos', 'JJ JF FF JJ FF JJ FF JJ FF JJ', 'JFFJFJFJFJ');
  for (const agent of ['model:other', 'bot:adaptive', 'bot:random']) {
    const m = scoreEpisode(s, ['model:m', agent]);
    assert.equal(m.adaptation, null, agent);
    assert.equal(m.payoff_vs_best, null);
    assert.equal(m.choice_youden, null);
    assert.equal(m.cooperation_rate, null, 'no cooperation in BoS');
    assert.equal(m.coordination_rate, 0.9);
    // Predictions J F F J F J F J F J: all ten right.
    assert.equal(m.prediction_accuracy, 1);
    assert.equal(m.prediction_youden, 1);
  }
  assert.equal(scoreEpisode(finished('pd', 'JJ JJ JJ JJ JJ JJ JJ JJ JJ JJ', 'JJJJJJJJJJ'), ['m', 'model:x']).coordination_rate, null);
});

test('a log that a partner strategy could not have produced is an error, not a score', () => {
  assert.throws(() => scoreEpisode(finished('pd', 'JJ JF JJ JJ JJ JJ JJ JJ JJ JJ', 'JJJJJJJJJJ'), ['m', 'bot:always-j']), /round 2: the partner played F/);
});

function panelScores(seat0: (spec: ReturnType<typeof repeatedEpisodes>[number]) => Partner<unknown, unknown>) {
  return repeatedEpisodes({ ...opts, repeats: 4 }, 17).map((spec) => {
    const log = playScripted(game, spec, opts as never, [seat0(spec), bot(spec.partner!.slice(4))], ['model:m', spec.partner!]);
    return { spec, m: game.score(log as never, opts) };
  });
}

test('headline: a constant policy scores exactly 0 wherever it is defined, the best responder with correct predictions exactly 1', () => {
  for (const [c, p] of [
    ['J', 'J'],
    ['F', 'F'],
    ['J', 'F'],
    ['J', null],
  ] as const) {
    const rows = panelScores(() => constant(c, p));
    assert.ok(rows.filter((r) => r.m.adaptation !== null).length > 30);
    for (const r of rows) if (r.m.adaptation !== null) assert.equal(r.m.adaptation, 0, `${c}/${p} ${r.spec.id}`);
  }
  const best = panelScores(oracle);
  for (const r of best) {
    if (r.m.adaptation !== null) assert.equal(r.m.adaptation, 1, r.spec.id);
    assert.equal(r.m.payoff_vs_best, 1, r.spec.id);
    assert.equal(r.m.optimal_rate, 1, r.spec.id);
    assert.equal(r.m.prediction_accuracy, 1, r.spec.id);
  }
  // Where the headline applies, by game: every game has switching or alternating partners in it.
  for (const g of ['pd', 'bos', 'sh']) assert.ok(best.some((r) => r.spec.config.game === g && r.m.adaptation !== null), g);
  assert.ok(best.filter((r) => r.spec.tags.family === 'switching').every((r) => r.m.adaptation !== null));
});

test('headline: random play scores low (its floor-at-0 bias only), and far below bot:adaptive', () => {
  const mean = (rows: ReturnType<typeof panelScores>) => {
    const xs = rows.map((r) => r.m.adaptation).filter((x): x is number => x !== null);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const random = mean(panelScores(() => bot('random')));
  const adaptive = mean(panelScores(() => bot('adaptive')));
  assert.ok(random < 0.25, `random ${random}`);
  assert.ok(adaptive > 0.75, `adaptive ${adaptive}`);
});

test("a constant-J model (Llama-2 in upstream's data) scores exactly as scripted always-J", () => {
  for (const name of ['defect-once', 'always-j', 'always-f', 'tit-for-tat']) {
    const spec = repeatedEpisodes({ ...opts, partner: `bot:${name}`, games: 'pd', repeats: 1 }, 1)[0]!;
    const model = playScripted(game, spec, opts as never, [constant('J', null), bot(name)], ['model:llama', `bot:${name}`]);
    const scripted = playScripted(game, spec, opts as never, [bot('always-j'), bot(name)], ['bot:always-j', `bot:${name}`]);
    const a = game.score(model as never, opts);
    const b = game.score(scripted as never, opts);
    assert.equal(a.payoff, b.payoff, name);
    assert.equal(a.partner_payoff, b.partner_payoff, name);
  }
  const spec = repeatedEpisodes({ ...opts, partner: 'bot:defect-once', games: 'pd', repeats: 1 }, 1)[0]!;
  const m = game.score(playScripted(game, spec, opts as never, [constant('J', null), bot('defect-once')], ['model:llama', 'bot:defect-once']) as never, opts);
  assert.deepEqual([m.payoff, m.partner_payoff], [72, 82]);
});

test('every measure is documented, in range, and score() reports exactly the documented keys', () => {
  const ids = game.measures.map((x) => x.id);
  for (const d of game.measures) assert.ok(d.description.length > 20, d.id);
  for (const who of [oracle, () => bot('random'), () => bot('adaptive')]) {
    for (const r of panelScores(who)) {
      assert.deepEqual(Object.keys(r.m).sort(), [...ids].sort());
      for (const d of game.measures) {
        const v = r.m[d.id];
        if (v !== null) assert.ok(v! >= d.range[0] && v! <= d.range[1], `${d.id}=${v} in ${r.spec.id}`);
      }
    }
  }
});
