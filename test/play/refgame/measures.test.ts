import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refgame } from '../../../src/play/refgame.js';
import { lengthReduction } from '../../../src/play/refgame/measures.js';
import { minimalWords } from '../../../src/play/refgame/referents.js';
import type { RefAction, RefState } from '../../../src/play/refgame/rules.js';
import type { EpisodeLog, TurnLog } from '../../../src/play/types.js';
import { near, options, specs } from './helpers.js';

interface Row {
  words: number;
  correct: boolean | null;
  tokens?: number;
}

/** A finished episode with chosen messages (of `words` words) and outcomes (null: no valid answer). */
function fakeLog(o: { repetitions: number; swap_at: number }, rows: (t: number, shortest: number) => Row): EpisodeLog<RefState, RefAction> {
  const spec = specs(o)[0]!;
  const s0 = refgame.init(spec, options(o));
  const turns: TurnLog<RefAction>[] = [];
  const results = s0.trials.map((trial, t) => {
    const r = rows(t, minimalWords(s0.objects, trial.target).length);
    const message = Array(r.words).fill('w').join(' ');
    turns.push({ turn: 2 * t, seat: 0, action: { message }, forfeit: false, invalid: 0, rewards: [0, 0], completion_tokens: r.tokens ?? null });
    const pick = r.correct === null ? null : r.correct ? trial.target : (trial.target + 1) % 4;
    turns.push({ turn: 2 * t + 1, seat: 1, action: { pick }, forfeit: false, invalid: 0, rewards: [0, 0], completion_tokens: null });
    return { message, pick };
  });
  return { spec, agents: ['model:m', 'bot:literal'], turns, final: { ...s0, results } };
}

const NO_SWAP = { repetitions: 6, swap_at: 0 };

test('comm_score: efficiency when right, -1/3 when wrong, silence earns nothing, clamped at 0', () => {
  const score = (rows: (t: number, s: number) => Row) => refgame.score(fakeLog(NO_SWAP, rows), options())['comm_score'];
  near(score((_, s) => ({ words: s, correct: true })), 1, 1e-12, 'minimal and right');
  // Verbose but right: 12 words where 1 to 3 suffice.
  const log = fakeLog(NO_SWAP, () => ({ words: 12, correct: true }));
  const shortest = log.final.trials.map((t) => minimalWords(log.final.objects, t.target).length);
  near(score(() => ({ words: 12, correct: true })), shortest.reduce((a, b) => a + b, 0) / 12 / 24, 1e-12, 'verbose');
  assert.ok(score(() => ({ words: 12, correct: true }))! < 0.2);
  // Terse but wrong: one word, right only every fourth trial (chance): nothing.
  near(score((t) => ({ words: 1, correct: t % 4 === 0 })), 0, 1e-12, 'terse, at chance');
  near(score((_, s) => ({ words: s, correct: false })), 0, 1e-12, 'always wrong');
  near(score((t, s) => ({ words: s, correct: t % 2 === 0 })), 0.5 - 0.5 / 3, 1e-12, 'half right');
  near(score((t, s) => ({ words: t % 2 === 0 ? 0 : s, correct: true })), 0.5, 1e-12, 'silence half the time');
  near(score((t, s) => ({ words: s, correct: t % 2 === 0 ? true : null })), 0.5 - 0.5 / 3, 1e-12, 'no valid answer is wrong');
  // Shorter than the literal optimum earns no more than it.
  near(score(() => ({ words: 1, correct: true })), 1, 1e-12, 'shorthand');
});

test('per-repetition, length-reduction and swap measures of a constructed episode', () => {
  const words = [4, 2, 5, 1];
  const right = [4, 4, 2, 3];
  const log = fakeLog({ repetitions: 4, swap_at: 2 }, (t) => ({ words: words[Math.floor(t / 4)]!, correct: t % 4 < right[Math.floor(t / 4)]!, tokens: 10 + Math.floor(t / 4) }));
  const m = refgame.score(log, options());
  assert.deepEqual([1, 2, 3, 4].map((r) => m[`accuracy_rep${r}`]), [1, 1, 0.5, 0.75]);
  assert.deepEqual([1, 2, 3, 4].map((r) => m[`words_rep${r}`]), words);
  assert.deepEqual([1, 2, 3, 4].map((r) => m[`tokens_rep${r}`]), [10, 11, 12, 13]);
  assert.deepEqual([5, 6, 7, 8].map((r) => m[`accuracy_rep${r}`]), [null, null, null, null]);
  near(m['accuracy'], 13 / 16, 1e-12, 'accuracy');
  near(m['words'], 3, 1e-12, 'words');
  near(m['tokens'], 11.5, 1e-12, 'tokens');
  near(m['length_reduction'], 0.75, 1e-12, 'length_reduction');
  near(m['length_reduction_held'], 0, 0, 'accuracy fell, so nothing held');
  near(m['swap_accuracy_drop'], 0.5, 1e-12, 'drop');
  near(m['swap_words_change'], 3, 1e-12, 're-expansion');
  near(m['swap_recovery'], -0.25, 1e-12, 'recovery');
  // Held: the same shortening with accuracy kept.
  const kept = refgame.score(fakeLog({ repetitions: 4, swap_at: 2 }, (t) => ({ words: words[Math.floor(t / 4)]!, correct: true })), options());
  near(kept['length_reduction_held'], 0.75, 1e-12, 'held');
  near(kept['swap_recovery'], 0, 1e-12, 'no drop, nothing to recover');
});

test('measures that do not apply are null: no swap, no model tokens, silent first repetition, lengthening clamps', () => {
  const m = refgame.score(fakeLog(NO_SWAP, () => ({ words: 2, correct: true })), options());
  for (const k of ['swap_accuracy_drop', 'swap_words_change', 'swap_recovery', 'tokens', 'tokens_rep1']) assert.equal(m[k], null, k);
  const silent = refgame.score(fakeLog(NO_SWAP, (t) => ({ words: t < 4 ? 0 : 2, correct: true })), options());
  assert.equal(silent['length_reduction'], null);
  assert.equal(silent['length_reduction_held'], null);
  const longer = refgame.score(fakeLog(NO_SWAP, (t) => ({ words: t < 4 ? 2 : 9, correct: true })), options());
  near(longer['length_reduction'], -1, 0, 'clamped');
  near(longer['length_reduction_held'], 0, 0, 'no shortening');
  // The last swap repetition leaves no repetition to recover in.
  const late = refgame.score(fakeLog({ repetitions: 4, swap_at: 3 }, () => ({ words: 2, correct: true })), options());
  assert.equal(late['swap_recovery'], null);
  assert.equal(late['swap_accuracy_drop'], 0);
});

test('every measure score() returns is documented, and in its range for scripted play', () => {
  const ids = refgame.measures.map((d) => d.id);
  assert.equal(new Set(ids).size, ids.length);
  const log = fakeLog({ repetitions: 8, swap_at: 4 }, (t, s) => ({ words: (t % 7) + s, correct: t % 3 !== 0, tokens: t }));
  const m = refgame.score(log, options());
  assert.deepEqual(Object.keys(m).sort(), [...ids].sort());
  for (const d of refgame.measures) {
    const v = m[d.id];
    assert.ok(d.description.length > 20, d.id);
    if (v !== null && v !== undefined) assert.ok(v >= d.range[0] && v <= d.range[1], `${d.id}=${v} outside ${d.range}`);
  }
});

test("length_reduction of ICCA's human curve (7.89 -> 3.23 words per message, notes section 4) is 0.59", () => {
  const human = [7.89, 5.27, 4.26, 3.74, 3.47, 3.23];
  assert.equal(lengthReduction(human[0]!, human[5]!)!.toFixed(2), '0.59');
  assert.match(refgame.measures.find((d) => d.id === 'length_reduction')!.description, /7\.89 -> 3\.23 words.*give 0\.59/);
});
