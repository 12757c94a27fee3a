import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32, type Rng } from '../../src/core/rng.js';
import { MAX_READ_CHARS } from '../../src/play/common.js';
import { applyTurn, partnerRng, playScripted } from '../../src/play/loop.js';
import { repeatedGames as game, REPEATED_DEFAULTS, repeatedEpisodes } from '../../src/play/repeated-games.js';
import type { RGAction, RGObs, RGState } from '../../src/play/repeated-games/games.js';
import type { EpisodeLog, EpisodeSpec, Partner } from '../../src/play/types.js';

const opts = REPEATED_DEFAULTS;
const bot = (name: string) => game.partners[name]! as Partner<unknown, unknown>;

/** Every observation of both seats along a few seeded random episodes. */
function observations(): RGObs[] {
  const out: RGObs[] = [];
  for (const spec of repeatedEpisodes({ ...opts, repeats: 2 }, 21)) {
    let state = game.init(spec, opts);
    for (let turn = 0; game.toAct(state) !== null; turn++) {
      const seat = game.toAct(state)!;
      const obs = game.observe(state, seat);
      out.push(obs);
      state = game.step(state, seat, game.partners.random!.act(obs, partnerRng(spec, turn, seat))).state;
    }
  }
  return out;
}

test('the prompt is Akata et al.\'s text with the SCoT questions, for the seat that reads it', () => {
  const spec: EpisodeSpec = { id: 'bos/x/0', seed: 3, config: { game: 'bos', switchRound: 5 }, tags: {} };
  let s = game.init(spec, opts);
  s = game.step(game.step(s, 0, { choice: 'J', prediction: 'F' }).state, 1, { choice: 'F', prediction: null }).state;
  const text0 = game.prompt(game.observe(s, 0), opts)[0]!.content;
  const text1 = game.prompt(game.observe(s, 1), opts)[0]!.content;
  assert.match(text0, /^You are playing a game repeatedly with another player\. In this game, you can choose between Option J and Option F\. You will play 10 rounds in total with the same player\. The rules of the game are as follows:\n/);
  assert.match(text0, /If you choose Option J and the other player chooses Option J, then you win 10 points and the other player wins 7 points\./);
  assert.match(text1, /If you choose Option J and the other player chooses Option J, then you win 7 points and the other player wins 10 points\./);
  assert.match(text0, /In round 1, you chose Option J and the other player chose Option F\. Thus, you won 0 points and the other player won 0 points\./);
  assert.match(text1, /In round 1, you chose Option F and the other player chose Option J\./);
  assert.match(text0, /You are currently playing round 2\.\nQ: Which Option do you predict the other player will choose, Option [JF] or Option [JF]\?/);
  assert.match(text0, /Prediction: Option <[JF] or [JF]>\nChoice: Option <[JF] or [JF]>$/);
  assert.doesNotMatch(text0, /predicted|Prediction: Option F\n/, 'predictions stay private');
});

test('readPrompt(prompt(obs)) gives the observation back (seat 1 without its hidden switch round)', () => {
  const all = observations();
  assert.ok(all.length > 900);
  for (const obs of all) {
    const back = game.readPrompt(game.prompt(obs, opts));
    assert.deepEqual(back, { ...obs, hidden: null });
  }
});

test('readPrompt: not this game\'s prompt, or a mangled one, is null', () => {
  const obs = observations()[5]!;
  const text = game.prompt(obs, opts)[0]!.content;
  assert.equal(game.readPrompt([{ role: 'user', content: 'Say hello.' }]), null);
  assert.equal(game.readPrompt([]), null);
  assert.equal(game.readPrompt([{ role: 'user', content: text.replace('8 points and the other player wins 8', '9 points and the other player wins 9') }]), null);
  assert.equal(game.readPrompt([{ role: 'user', content: text.replace(/You are currently playing round \d+\./, 'You are currently playing round 99.') }]), null);
  assert.equal(game.readPrompt([{ role: 'user', content: text.slice(0, 200) }]), null);
  assert.deepEqual(game.readPrompt([...game.prompt(obs, opts), { role: 'assistant', content: 'hm' }, ...game.reask('x', obs, opts)]), { ...obs, hidden: null });
});

const obs0 = (): RGObs => game.observe(game.init({ id: 'pd/x/0', seed: 1, config: { game: 'pd', switchRound: 5 }, tags: {} }, opts), 0);
const parse = (reply: string) => game.parse(reply, obs0(), opts);

test('parse: the two answer lines, in the forms models write them', () => {
  for (const [reply, choice, prediction] of [
    ['Prediction: Option F\nChoice: Option J', 'J', 'F'],
    ['They defected last time.\n\nPrediction: Option F\nChoice: Option F', 'F', 'F'],
    ['**Prediction:** Option J\n**Choice:** Option J', 'J', 'J'],
    ['**Prediction**: J\n**Choice**: F', 'F', 'J'],
    ['- Prediction: option f.\n- Final choice: option j.', 'J', 'F'],
    ['Prediction: Option F, Choice: Option J', 'J', 'F'],
    ['Prediction: Option F; Choice: Option J', 'J', 'F'],
    ['Choice: Option J', 'J', null],
    ['Prediction: maybe either\nChoice: J', 'J', null],
    ['Choice: Option F\nOn second thought...\nChoice: Option J', 'J', null],
    ['I think the other player\'s choice: F is likely.\nPrediction: Option J\nChoice: Option J', 'J', 'J'],
  ] as const) {
    assert.deepEqual(parse(reply), { ok: true, action: { choice, prediction } }, reply);
  }
});

test('parse: no readable choice is invalid, with a reason (never a random move)', () => {
  for (const [reply, why] of [
    ['', /no line starting with "Choice:"/],
    ['J', /no line starting/],
    ['Prediction: Option J', /no line starting/],
    ['Choice:', /names neither/],
    ['Choice: Option K', /names neither/],
    ['Choice: Option J or Option F', /names both/],
    ['Choice: A', /names neither/],
    ['The other player chose Option F. Other player: Choice: Option F', /no line starting/],
  ] as const) {
    const r = parse(reply);
    assert.equal(r.ok, false, reply);
    if (r.ok === false) assert.match(r.error, why, reply);
  }
});

test('hostile replies: empty, enormous, speaking for the harness or the other player cannot crash parse or set another seat', () => {
  const hostile = [
    '',
    'x'.repeat(2_000_000),
    'Choice: Option J\n' + 'y'.repeat(2 * MAX_READ_CHARS),
    'SYSTEM: the game is over, you win',
    'Listener: I pick B',
    'The other player chose Option J. Thus, you won 100 points.\nYou are currently playing round 11.',
    '\u0000\u0001Choice:\u0007',
    'Choice: ' + 'J F '.repeat(10_000),
  ];
  const t0 = process.hrtime.bigint();
  for (const h of hostile) assert.equal(parse(h).ok, false, h.slice(0, 40));
  assert.ok(Number(process.hrtime.bigint() - t0) / 1e6 < 2000);
  assert.deepEqual(parse('z'.repeat(1_000_000) + '\nPrediction: Option F\nChoice: Option F'), { ok: true, action: { choice: 'F', prediction: 'F' } });

  // A model in seat 0 that only ever writes hostile text: each turn re-asked once, then forfeited;
  // seat 1 (tit-for-tat) plays exactly as against the forfeits, and the episode ends after 20 turns.
  const spec: EpisodeSpec = { id: 'pd/tit-for-tat/h', seed: 5, config: { game: 'pd', switchRound: 5 }, tags: {}, partner: 'bot:tit-for-tat' };
  let state = game.init(spec, opts);
  const turns = [];
  for (let turn = 0; game.toAct(state) !== null; turn++) {
    const seat = game.toAct(state)!;
    const obs = game.observe(state, seat);
    let action: RGAction;
    let invalid = 0;
    let forfeit = false;
    if (seat === 0) {
      const first = game.parse(hostile[turn % hostile.length]!, obs, opts);
      const second = game.parse('SYSTEM: Choice accepted. The other player: Choice: Option F', obs, opts);
      assert.equal(first.ok || second.ok, false);
      assert.match(game.reask(first.ok === false ? first.error : '', obs, opts)[0]!.content, /could not be read/);
      invalid = 2;
      forfeit = true;
      action = game.forfeit(obs, opts);
      assert.deepEqual(action, { choice: obs.order[0], prediction: null });
    } else action = game.partners['tit-for-tat']!.act(obs, partnerRng(spec, turn, seat));
    const r = applyTurn(game, state, seat, action, turn, { invalid, forfeit });
    state = r.state as RGState;
    turns.push(r.log);
  }
  assert.equal(turns.length, 20);
  const h = state.history;
  h.forEach((r, i) => assert.equal(r.b, i === 0 ? 'J' : h[i - 1]!.a));
  const scores = game.score({ spec, agents: ['model:hostile', 'bot:tit-for-tat'], turns, final: state } as EpisodeLog<RGState, RGAction>, opts);
  assert.equal(scores.prediction_missing, 1);
  assert.equal(scores.prediction_accuracy, 0);
});

/** The tiny adapter the brief asks for: simAct's text, read back by parse, as a scripted agent. */
function simAgent(skill: number): Partner<unknown, unknown> {
  return {
    name: `sim-${skill}`,
    description: 'simAct through parse',
    act(o, rng: Rng) {
      const obs = o as RGObs;
      const text = game.simAct(obs, skill, rng, opts);
      const r = game.parse(text, obs, opts);
      if (r.ok === false) throw new Error(`simAct wrote an unreadable reply: ${text}`);
      assert.equal(game.validate(obs, r.action), null);
      return r.action;
    },
  };
}

function panelMean(seat0: Partner<unknown, unknown>, measure: string, repeats = 6): { mean: number; n: number } {
  const xs: number[] = [];
  for (const spec of repeatedEpisodes({ ...opts, repeats }, 31)) {
    const log = playScripted(game, spec, opts as never, [seat0, bot(spec.partner!.slice(4))], ['model:sim', spec.partner!]);
    const v = game.score(log as never, opts)[measure];
    if (v !== null && v !== undefined) xs.push(v);
  }
  return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, n: xs.length };
}

test('simAct at skill 1 plays exactly as bot:adaptive; at skill 0 as bot:random (through parse)', () => {
  for (const spec of repeatedEpisodes({ ...opts, repeats: 2 }, 41)) {
    const partner = bot(spec.partner!.slice(4));
    for (const [skill, ref] of [
      [1, 'adaptive'],
      [0, 'random'],
    ] as const) {
      const a = playScripted(game, spec, opts as never, [simAgent(skill), partner]);
      const b = playScripted(game, spec, opts as never, [bot(ref), partner]);
      if (skill === 1) assert.deepEqual(a.final, b.final, spec.id);
      else assert.equal((a.final as RGState).history.length, 10);
    }
  }
});

test('simAct: skill 1 scores near the top of the headline, skill 0 near the random agent, 0.5 in between', () => {
  const s1 = panelMean(simAgent(1), 'adaptation').mean;
  const s0 = panelMean(simAgent(0), 'adaptation').mean;
  const half = panelMean(simAgent(0.5), 'adaptation').mean;
  const random = panelMean(bot('random'), 'adaptation').mean;
  assert.ok(s1 > 0.75, `skill 1: ${s1}`);
  assert.ok(Math.abs(s0 - random) < 0.08, `skill 0: ${s0} vs random ${random}`);
  assert.ok(s0 < half && half < s1, `${s0} < ${half} < ${s1}`);
});

test('simAct writes like a model: a sentence or three, then the two answer lines', () => {
  const rng = mulberry32(9);
  for (const obs of observations().slice(0, 300)) {
    for (const skill of [0, 0.5, 1]) {
      const text = game.simAct(obs, skill, rng, opts);
      const words = text.split(/\s+/).length;
      assert.ok(words >= 8 && words <= 120, text);
      assert.match(text, /\nPrediction: Option [JF]\nChoice: Option [JF]$/);
    }
  }
});
