import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32, type Rng } from '../../../src/core/rng.js';
import { applyTurn } from '../../../src/play/loop.js';
import { refgame, type RefgameOptions } from '../../../src/play/refgame.js';
import { INSTRUCTIONS } from '../../../src/play/refgame/prompts.js';
import type { ListenerObs, RefAction, RefObs, RefState, SpeakerObs } from '../../../src/play/refgame/rules.js';
import { bot, options, specs } from './helpers.js';

/** Every observation of a few seeded episodes where agents sometimes forfeit. */
function observations(o: RefgameOptions, seed: number): RefObs[] {
  const out: RefObs[] = [];
  const rng: Rng = mulberry32(seed);
  for (const spec of specs({ ...o, episodes: 3 }, seed)) {
    let s: RefState = refgame.init(spec, o);
    for (let turn = 0; ; turn++) {
      const seat = refgame.toAct(s);
      if (seat === null) break;
      const obs = refgame.observe(s, seat);
      out.push(obs, refgame.observe(s, 1 - seat));
      const action: RefAction = rng.next() < 0.1 ? refgame.forfeit(obs, o) : bot(seat === 0 ? (rng.next() < 0.5 ? 'convention' : 'random') : 'learning').act(obs, rng);
      s = applyTurn(refgame, s, seat, action, turn).state;
    }
  }
  return out;
}

test('readPrompt inverts prompt on many seeded observations, for every instruction variant', () => {
  let n = 0;
  for (const [i, v] of INSTRUCTIONS.entries()) {
    const o = options({ instructions: v, repetitions: 2 + i * 2, swap_at: i % 2 === 0 ? 1 : 0 });
    for (const obs of observations(o, 100 + i)) {
      assert.deepEqual(refgame.readPrompt(refgame.prompt(obs, o)), obs);
      n++;
    }
  }
  assert.ok(n > 500, `${n} observations`);
});

test('readPrompt reads a re-ask (the bad reply and the re-ask appended) as the prompt it follows', () => {
  const o = options();
  const some = observations(o, 5).filter((_, i) => i % 17 === 0);
  for (const obs of some) {
    const err = obs.role === 'speaker' ? 'the message has 25 words; it must be shorter than 20 words' : '"E" is not one of the legal moves';
    const msgs = [...refgame.prompt(obs, o), { role: 'assistant' as const, content: 'a bad reply' }, ...refgame.reask(err, obs, o)];
    assert.deepEqual(refgame.readPrompt(msgs), obs);
  }
  // A user turn that only looks like a re-ask after a real prompt is not one.
  const sp = some.find((x) => x.role === 'speaker')!;
  assert.equal(refgame.readPrompt([...refgame.prompt(sp, o), { role: 'user', content: 'Your message could not be used: x' }]), null);
});

test('prompt: ICCA turn structure, alternating roles, the swap notice, the quoted message', () => {
  const o = options();
  const obs = observations(o, 7);
  const sp = obs.find((x): x is SpeakerObs => x.role === 'speaker' && x.round === 13)!;
  const msgs = refgame.prompt(sp, o);
  assert.equal(msgs.length, 2 + 2 * 13);
  assert.equal(msgs[0]!.role, 'system');
  msgs.slice(1).forEach((m, i) => assert.equal(m.role, i % 2 === 0 ? 'user' : 'assistant'));
  assert.match(msgs[1]!.content, /^Play a repeated reference game with me and a third player \(the listener\)\./);
  assert.match(msgs[1]!.content, /shorter than 20 words/);
  assert.match(msgs[1]!.content, /\nObject A: \w+ \w+ \w+ \w+\nObject B: /);
  assert.match(msgs[1]!.content, /Round 1,\nThe target is Object [A-D]\.$/);
  assert.match(msgs[25]!.content, /A new listener has joined the game[^\n]*\n\nRound 13,/);
  assert.doesNotMatch(msgs[23]!.content, /new listener/);
  const li = obs.find((x): x is ListenerObs => x.role === 'listener' && x.round === 2 && x.message !== '')!;
  const lm = refgame.prompt(li, o);
  const last = lm[lm.length - 1]!.content;
  assert.ok(last.endsWith('Which object is this message referring to? Output the object label only (a single letter).'));
  assert.ok(last.includes(`The speaker said: "${li.message}"`));
  assert.match(lm[3]!.content, /^(Correct\.|Wrong, the speaker was referring to Object [A-D]\.|Invalid answer\.)/);
  assert.notEqual(refgame.prompt(sp, options({ instructions: 'explicit' }))[1]!.content, msgs[1]!.content);
});

test('readPrompt: null for other prompts and for tampered ones', () => {
  const o = options();
  const sp = observations(o, 3).find((x) => x.role === 'speaker' && x.round === 3)!;
  const msgs = refgame.prompt(sp, o);
  assert.equal(refgame.readPrompt([]), null);
  assert.equal(refgame.readPrompt([{ role: 'user', content: 'What is 2+2?' }]), null);
  assert.equal(refgame.readPrompt([{ role: 'system', content: 'You are helpful.' }, { role: 'user', content: 'Hi' }]), null);
  assert.equal(refgame.readPrompt(msgs.slice(0, -1)), null);
  const broken = msgs.map((m) => ({ ...m }));
  broken[1]!.content = broken[1]!.content.replace('Object B:', 'Object Q:');
  assert.equal(refgame.readPrompt(broken), null);
});

test('parse (speaker): the whole reply or the text after "Message:", one line, no quotes; too long or empty is an error', () => {
  const sp = observations(options(), 1).find((x) => x.role === 'speaker')!;
  const p = (r: string) => refgame.parse(r, sp, options());
  assert.deepEqual(p('the red striped circle'), { ok: true, action: { message: 'the red striped circle' } });
  assert.deepEqual(p('  "Red circle."  '), { ok: true, action: { message: 'Red circle.' } });
  assert.deepEqual(p('Thinking...\nMessage: **blue star**'), { ok: true, action: { message: 'blue star' } });
  assert.deepEqual(p('red\n<b>circle</b>'), { ok: true, action: { message: 'red b circle /b' } });
  assert.deepEqual(p(Array(19).fill('red').join(' ')).ok, true);
  const long = p(Array(20).fill('red').join(' '));
  assert.equal(long.ok, false);
  assert.match((long as { error: string }).error, /20 words; it must be shorter than 20/);
  assert.match((p('') as { error: string }).error, /empty/);
  assert.match((p('Message:   ') as { error: string }).error, /empty/);
  assert.match((p('x'.repeat(300)) as { error: string }).error, /300 characters/);
});

test('parse (listener): a letter, "Answer: B", "Object B", or a description; anything else is an error', () => {
  const li = observations(options(), 2).find((x): x is ListenerObs => x.role === 'listener')!;
  const p = (r: string) => refgame.parse(r, li, options());
  for (const [reply, pick] of [
    ['B', 1],
    ['b', 1],
    ['D.', 3],
    ['Answer: C', 2],
    ['Object A', 0],
    ['Image: (d)', null],
    ['**B**', 1],
    ['I considered A.\nAnswer: Object C', 2],
  ] as const) {
    const r = p(reply);
    if (pick === null) assert.equal(r.ok, false, reply);
    else assert.deepEqual(r, { ok: true, action: { pick } }, reply);
  }
  const desc = li.objects.map((o) => `${o.size} ${o.colour} ${o.pattern} ${o.shape}`);
  assert.deepEqual(p(`the ${desc[2]}`), { ok: true, action: { pick: 2 } });
  for (const bad of ['', 'E', 'The answer is B', 'A or B', 'Answer: B and C']) assert.equal(p(bad).ok, false, bad);
});

test('reask and forfeit: the error shown once; silence and no valid answer are legal', () => {
  const o = options();
  const all = observations(o, 4);
  const sp = all.find((x) => x.role === 'speaker')!;
  const li = all.find((x) => x.role === 'listener')!;
  const rs = refgame.reask('the message has 25 words', sp, o);
  assert.equal(rs.length, 1);
  assert.equal(rs[0]!.role, 'user');
  assert.match(rs[0]!.content, /25 words.*shorter than 20 words/);
  assert.match(refgame.reask('"E" is not one of the legal moves', li, o)[0]!.content, /Answer must be one of \[A, B, C, D\]/);
  assert.deepEqual(refgame.forfeit(sp, o), { message: '' });
  assert.deepEqual(refgame.forfeit(li, o), { pick: null });
  assert.equal(refgame.validate(sp, refgame.forfeit(sp, o)), null);
  assert.equal(refgame.validate(li, refgame.forfeit(li, o)), null);
});
