import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../../src/core/rng.js';
import { refgame } from '../../../src/play/refgame.js';
import { conventionLabel, conventionMessage, learningPick, literalPick } from '../../../src/play/refgame/partners.js';
import { ATTRIBUTES, minimalWords, type Referent } from '../../../src/play/refgame/referents.js';
import type { ListenerObs, RefAction, RefObs, SpeakerObs } from '../../../src/play/refgame/rules.js';
import type { Partner } from '../../../src/play/types.js';
import { bot, near, options, play, runMeasures, specs } from './helpers.js';

const LIST = specs({ episodes: 30 }, 11);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const has = (r: Referent, w: string): boolean => ATTRIBUTES.some((a) => r[a] === w);

test('full speaker + literal listener: accuracy 1, 4 words, comm_score = mean shortest / 4', () => {
  for (const spec of LIST) {
    const m = refgame.score(play(spec, bot('full'), bot('literal')), options());
    const ctx = refgame.init(spec, options()).objects;
    near(m['accuracy'], 1, 0, spec.id);
    near(m['words'], 4, 0, spec.id);
    near(m['comm_score'], mean(ctx.map((_, i) => minimalWords(ctx, i).length)) / 4, 1e-12, spec.id);
    near(m['length_reduction'], 0, 0);
  }
});

test('minimal speaker + literal listener: accuracy 1 and comm_score 1 (the literal optimum)', () => {
  const m = runMeasures(LIST, bot('minimal'), bot('literal'));
  near(m['accuracy'], 1, 0, 'accuracy');
  near(m['comm_score'], 1, 0, 'comm_score');
  near(m['words'], m['shortest_words']!, 1e-12, 'words');
});

test('convention speaker + learning listener: accuracy 1, messages shrink, re-expand at the swap, shrink again', () => {
  for (const spec of LIST) {
    const log = play(spec, bot('convention'), bot('learning'));
    const m = refgame.score(log, options());
    const ctx = log.final.objects;
    const minimal = mean(ctx.map((_, i) => minimalWords(ctx, i).length));
    const labelled = mean(ctx.map((_, i) => (conventionLabel(ctx, i) === null ? minimalWords(ctx, i).length : 1)));
    near(m['accuracy'], 1, 0, spec.id);
    near(m['comm_score'], 1, 0, spec.id);
    const words = [1, 2, 3, 4, 5, 6].map((r) => m[`words_rep${r}`]);
    assert.deepEqual(words, [minimal, labelled, labelled, minimal, labelled, labelled], spec.id);
    near(m['swap_words_change'], minimal - labelled, 1e-12, spec.id);
    near(m['swap_accuracy_drop'], 0, 0, spec.id);
    near(m['length_reduction'], 1 - labelled / minimal, 1e-12, spec.id);
    near(m['length_reduction_held'], 1 - labelled / minimal, 1e-12, spec.id);
  }
  const run = runMeasures(LIST, bot('convention'), bot('learning'));
  assert.ok(run['length_reduction']! > 0.15, `${run['length_reduction']}`);
});

test('convention speaker + literal listener: a one-word label fails where the word is ambiguous', () => {
  let ambiguous = 0;
  let ambiguousRight = 0;
  for (const spec of LIST) {
    const log = play(spec, bot('convention'), bot('literal'));
    const s = log.final;
    s.results.forEach((r, t) => {
      const target = s.trials[t]!.target;
      const words = r.message.split(' ');
      if (words.length !== 1) {
        assert.equal(r.pick, target, `${spec.id} trial ${t}: a multi-word message is a minimal description`);
        return;
      }
      const sharing = s.objects.flatMap((o, j) => (has(o, words[0]!) ? [j] : []));
      assert.ok(sharing.includes(r.pick!), `${spec.id} trial ${t}: the pick has the word said`);
      if (sharing.length === 1) assert.equal(r.pick, target);
      else {
        ambiguous++;
        if (r.pick === target) ambiguousRight++;
      }
    });
  }
  assert.ok(ambiguous > 50, `${ambiguous} ambiguous labels`);
  const rate = ambiguousRight / ambiguous;
  assert.ok(rate > 0.3 && rate < 0.7, `accuracy on ambiguous one-word labels ${rate}`);
  const m = runMeasures(LIST, bot('convention'), bot('literal'));
  assert.ok(m['accuracy']! < 0.95 && m['comm_score']! < 0.95, JSON.stringify(m));
});

test('a speaker that ignores the swap keeps its labels and loses accuracy with the fresh listener', () => {
  const blind: Partner<RefObs, RefAction> = {
    name: 'blind',
    description: 'convention speaker that is never told of the swap',
    act: (obs, rng) => bot('convention').act({ ...(obs as SpeakerObs), newListenerAt: null }, rng),
  };
  const m = runMeasures(LIST, blind, bot('learning'));
  assert.ok(m['swap_accuracy_drop']! > 0.05, `${m['swap_accuracy_drop']}`);
  assert.ok(m['swap_words_change']! <= 0, `${m['swap_words_change']}`);
  const aware = runMeasures(LIST, bot('convention'), bot('learning'));
  near(aware['swap_accuracy_drop'], 0, 0, 'aware');
});

function listenerObs(objects: Referent[], message: string, history: ListenerObs['history']): ListenerObs {
  return { role: 'listener', round: history.length, objects, message, history };
}

const CTX: Referent[] = [
  { size: 'small', colour: 'red', pattern: 'solid', shape: 'circle' },
  { size: 'small', colour: 'red', pattern: 'solid', shape: 'square' },
  { size: 'small', colour: 'blue', pattern: 'solid', shape: 'square' },
  { size: 'large', colour: 'blue', pattern: 'solid', shape: 'circle' },
];

test('literal listener: random among the objects that fit; learning listener reads invented names and shorthand', () => {
  const counts = [0, 0, 0, 0];
  for (let s = 0; s < 400; s++) counts[literalPick(listenerObs(CTX, 'red', []), mulberry32(s))]!++;
  assert.equal(counts[2]! + counts[3]!, 0);
  assert.ok(counts[0]! > 150 && counts[1]! > 150, `${counts}`);
  // An invented name, once the feedback said what it meant (in a shuffled order).
  const shuffled = [CTX[3]!, CTX[1]!, CTX[0]!, CTX[2]!];
  const hist: ListenerObs['history'] = [{ objects: shuffled, message: 'the zebra', picked: 0, target: 3 }];
  for (let s = 0; s < 50; s++) {
    assert.equal(learningPick(listenerObs(CTX, 'the zebra', hist), mulberry32(s)), 2);
    assert.equal(learningPick(listenerObs(CTX, 'zebra again', hist), mulberry32(s)), 2);
  }
  // "square" said only for the red square: a literal tie the learning listener breaks.
  const h2: ListenerObs['history'] = [{ objects: CTX, message: 'red square', picked: 1, target: 1 }];
  for (let s = 0; s < 50; s++) assert.equal(learningPick(listenerObs(CTX, 'square', h2), mulberry32(s)), 1);
  // Said for both squares: no shorthand, a literal tie again.
  const h3 = [...h2, { objects: CTX, message: 'blue square', picked: 2, target: 2 }];
  const picks = new Set(Array.from({ length: 60 }, (_, s) => learningPick(listenerObs(CTX, 'square', h3), mulberry32(s))));
  assert.deepEqual([...picks].sort(), [1, 2]);
});

const CTX2: Referent[] = [
  { size: 'small', colour: 'red', pattern: 'solid', shape: 'circle' },
  { size: 'small', colour: 'red', pattern: 'solid', shape: 'square' },
  { size: 'small', colour: 'blue', pattern: 'solid', shape: 'square' },
  { size: 'large', colour: 'green', pattern: 'striped', shape: 'star' },
];

test('convention speaker: minimal first, the label after a success, minimal again after a failure or a new listener', () => {
  const obs = (history: SpeakerObs['history'], newListenerAt: number | null = null): SpeakerObs => ({ role: 'speaker', objects: CTX2, round: history.length, target: 1, history, newListenerAt });
  assert.deepEqual(CTX2.map((_, i) => minimalWords(CTX2, i).join(' ')), ['circle', 'red square', 'blue', 'green']);
  // Both words are the red square's own among the minimal descriptions, and each is shared by two objects: the first.
  assert.equal(conventionLabel(CTX2, 1), 'red');
  assert.equal(conventionMessage(obs([])), 'red square');
  const ok = { target: 1, message: 'red square', picked: 1 };
  assert.equal(conventionMessage(obs([ok])), 'red');
  assert.equal(conventionMessage(obs([ok, { target: 1, message: 'red', picked: 0 }])), 'red square');
  assert.equal(conventionMessage(obs([ok, { target: 0, message: 'circle', picked: 0 }], 1)), 'red square');
  assert.equal(conventionMessage(obs([ok, { target: 0, message: 'circle', picked: 0 }], 0)), 'red');
  // In CTX every word of the red square's minimal description is in another's: no label, no shortening.
  assert.deepEqual(minimalWords(CTX, 2), ['blue', 'square']);
  assert.equal(conventionLabel(CTX, 1), null);
  assert.equal(conventionMessage({ ...obs([ok]), objects: CTX }), 'red square');
  assert.equal(conventionLabel(CTX, 3), 'large');
});

test('scripted partners refuse the wrong seat', () => {
  const s0 = refgame.init(specs()[0]!, options());
  const sp = refgame.observe(s0, 0);
  assert.throws(() => bot('literal').act(sp, mulberry32(1)), /listener, not a speaker/);
  const li = refgame.observe(refgame.step(s0, 0, { message: 'x' }).state, 1);
  assert.throws(() => bot('convention').act(li, mulberry32(1)), /speaker, not a listener/);
});

test('random speaker and listener: accuracy near 1/4, comm_score near 0, messages of LLM-like length', () => {
  const many = specs({ episodes: 60 }, 5);
  const m = runMeasures(many, bot('random'), bot('random'));
  assert.ok(Math.abs(m['accuracy']! - 0.25) < 0.03, `${m['accuracy']}`);
  assert.ok(m['comm_score']! < 0.02, `${m['comm_score']}`);
  assert.ok(m['words']! > 6 && m['words']! < 10, `${m['words']}`);
  const r = runMeasures(many, bot('random'), bot('learning'));
  assert.ok(r['accuracy']! < 0.4, `${r['accuracy']}`);
});
