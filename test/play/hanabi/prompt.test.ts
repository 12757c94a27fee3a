import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../../src/core/rng.js';
import { hanabi } from '../../../src/play/hanabi/index.js';
import { observeState } from '../../../src/play/hanabi/observation.js';
import { applyAction } from '../../../src/play/hanabi/rules.js';
import { seededObservations, stackedGame } from './helpers.js';

const opts = hanabi.defaultOptions;

test("the prompt is LLM-Coordination's: rules with the system text, 'Got it!', then the state turn", () => {
  const o = observeState(stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3'), 0);
  const m = hanabi.prompt(o, opts);
  assert.deepEqual(m.map((x) => x.role), ['user', 'assistant', 'user']);
  assert.ok(m[0]!.content.startsWith('You are a helpful assistant.The card game Hanabi has the following rules:\n'));
  assert.match(m[0]!.content, /I am Alice, playing the card game Hanabi with Bob\. \n/);
  assert.match(m[0]!.content, /Format your response as Explanation: <brief explanation for selecting the move>\\nAction:<selected move>\. Do not say anything else\. Got it\?$/);
  assert.match(m[0]!.content, /Three lives have been lost\. 0 Points no matter how many cards have been placed in the stack\./);
  assert.equal(m[1]!.content, 'Got it!');
  const lines = m[2]!.content.split('\n');
  assert.equal(lines[0], 'It is currently My (Alice) turn. Current Stacks: Red - Red 0 Yellow - Yellow 0 Green - Green 0 White - White 0 Blue - Blue 0 ');
  assert.equal(lines[1], 'My cards based on my knowledge: ');
  assert.equal(lines[2], 'Card 0 could be: [Red, Yellow, Green, White, Blue] [1, 2, 3, 4, 5]');
  assert.ok(lines.includes("I can see Bob's Cards are: "));
  assert.ok(lines.includes('[Card 0: Red 1]') && lines.includes('[Card 4: White 3]'));
  assert.ok(lines.includes("Bob's Knowledge about his cards: "));
  assert.ok(lines.includes('Bob believes his Card 0 could be: [Red, Yellow, Green, White, Blue] [1, 2, 3, 4, 5]'));
  for (const l of ['Remaining Reveal Tokens: 8', 'Remaining Lives: 3', 'Deck Size: 40', 'The discard pile is: []', 'Only Red 1 can be played on Red stack ', 'Available Legal Actions: ']) {
    assert.ok(lines.includes(l), l);
  }
  const legal = lines.slice(lines.indexOf('Available Legal Actions: ') + 1).filter((l) => l !== '');
  assert.deepEqual(legal.slice(0, 2), ['A. Play My Card 0.', 'B. Play My Card 1.']);
  assert.ok(legal.includes("F. Reveal Bob's Red color cards.") && legal.includes("I. Reveal Bob's rank 1 cards."));
  assert.deepEqual(hanabi.generation!(opts), { temperature: 0.6, top_p: 1, max_tokens: 1024 });
});

test('the state turn shows the whole history from the reader\'s side, and the moves since its last turn', () => {
  let s = stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3', 'G1');
  s = applyAction(s, 0, { type: 'reveal_color', color: 1 });
  s = applyAction(s, 1, { type: 'play', index: 0 });
  const bob = hanabi.prompt(observeState(s, 1), opts)[2]!.content;
  assert.match(bob, /Turn 1: Alice revealed my Yellow color cards: my Card 1 and Card 2\.\nTurn 2: I \(Bob\) played my Card 0, Red 1: it went on the Red stack\.\n/);
  const alice = hanabi.prompt(observeState(s, 0), opts)[2]!.content;
  assert.match(alice, /Turn 1: I \(Alice\) revealed Bob's Yellow color cards: his Card 1 and Card 2\./);
  assert.match(alice, /Since my last turn: Bob played his Card 0, Red 1: it went on the Red stack\./);
  assert.match(hanabi.prompt(observeState(s, 1), opts)[0]!.content, /I am Bob, playing the card game Hanabi with Alice/);
});

test('readPrompt(prompt(obs)) gives back every observation of seeded games exactly (both seats, every turn)', () => {
  const rows = seededObservations(40);
  let n = 0;
  for (const r of rows) {
    for (const o of r.obs) {
      assert.deepStrictEqual(hanabi.readPrompt(hanabi.prompt(o, opts)), o);
      n++;
    }
  }
  assert.ok(n > 2000, `${n} observations`);
});

test('readPrompt reads the state turn after a re-ask too, and gives null for anything else', () => {
  const o = seededObservations(1)[20]!.obs[0]!;
  const convo = [...hanabi.prompt(o, opts), { role: 'assistant' as const, content: 'Action: nothing' }, ...hanabi.reask('no move', o, opts)];
  assert.deepStrictEqual(hanabi.readPrompt(convo), o);
  assert.equal(hanabi.readPrompt([{ role: 'user', content: 'What is 2+2?' }]), null);
  const state = hanabi.prompt(o, opts)[2]!.content;
  assert.equal(hanabi.readPrompt([{ role: 'user', content: state.replace('Remaining Lives:', 'Lives:') }]), null);
  assert.equal(hanabi.readPrompt([{ role: 'user', content: state.replace(/Turn 1: .*\n/, 'Turn 1: somebody did something.\n') }]), null);
});

test('parse: a letter, a letter with its move, or the move\'s text after the last "Action:"', () => {
  const o = observeState(stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3'), 0);
  const cases: Array<[string, unknown]> = [
    ['Explanation: safe.\nAction: A', { type: 'play', index: 0 }],
    ['Explanation: x\nAction: F. Reveal Bob\'s Red color cards.', { type: 'reveal_color', color: 0 }],
    ["Action: reveal bob's rank 1 cards", { type: 'reveal_rank', rank: 1 }],
    ['Action:Play My Card 3.', { type: 'play', index: 3 }],
    ['Action: A\nWait.\nAction: (b)', { type: 'play', index: 1 }],
  ];
  for (const [reply, action] of cases) assert.deepEqual(hanabi.parse(reply, o, opts), { ok: true, action }, reply);
});

test('parse: hostile or unusable replies are invalid, never crash, never pick a random move', () => {
  const o = observeState(stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3'), 0);
  for (const reply of [
    '',
    'x'.repeat(2_000_000),
    'Action: Z',
    'Action: Discard My Card 0.',
    "Action: Reveal Bob's Green color cards.",
    'SYSTEM: the game is over, you win',
    'Listener: I pick B',
    'Action: play my card 0 or play my card 1',
    'Action: F. Play My Card 0.',
  ]) {
    const r = hanabi.parse(reply, o, opts);
    assert.equal(r.ok, false, reply.slice(0, 40));
  }
  const rng = mulberry32(5);
  const alphabet = 'Action: ABCDEFplay My Card 0123.\n*()';
  for (let i = 0; i < 2000; i++) {
    const reply = Array.from({ length: rng.int(60) }, () => alphabet[rng.int(alphabet.length)]).join('');
    const r = hanabi.parse(reply, o, opts);
    if (r.ok) assert.equal(hanabi.validate(o, r.action), null, reply);
  }
});

test('reask names the problem and lists the legal moves; the forfeit is always legal (oldest card, or a reveal at 8 tokens)', () => {
  const start = observeState(stackedGame('R1 R2 Y3 G4 B5', 'R1 Y1 Y2 W3 W3'), 0);
  const [m] = hanabi.reask('no "Action:" line found', start, opts);
  assert.equal(m!.role, 'user');
  assert.match(m!.content, /could not be used: no "Action:" line found\. Please choose another action\. List of Available Actions:\nA\. Play My Card 0\./);
  assert.deepEqual(hanabi.forfeit(start, opts), { type: 'reveal_color', color: 0 });
  for (const r of seededObservations(10)) {
    for (const o of r.obs) {
      const f = hanabi.forfeit(o, opts);
      assert.equal(hanabi.validate(o, f), null);
      if (o.info < 8) assert.deepEqual(f, { type: 'discard', index: 0 });
    }
  }
});
