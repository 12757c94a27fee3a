/**
 * A test-only benchmark: n synthetic "Compute A + B" items (no dataset files), so runner tests
 * and the throughput bench can make runs of any size. `masa eval --bench-module` loads it.
 */
import type { Benchmark, Item, TrialScore } from '../../src/bench/types.js';

export interface ArithItem extends Item {
  a: number;
  b: number;
}

export interface ArithOptions {
  n: number;
  trials: number;
}

export const benchmark: Benchmark<ArithItem, ArithOptions> = {
  id: 'arith',
  title: 'Synthetic addition (tests only)',
  group: 'SA',
  pillar: 'single-agent',
  metric: 'accuracy',
  dataset: 'arith',
  citation: 'test fixture',
  defaultOptions: { n: 50, trials: 1 },
  optionDocs: { n: { description: 'number of items' }, trials: { description: 'trials per item' } },
  async load(_dir, options) {
    const items: ArithItem[] = [];
    for (let i = 0; i < options.n; i++) {
      const a = (i * 37) % 101;
      const b = (i * 53 + 11) % 97;
      items.push({ id: `q${i}`, tags: { parity: i % 2 === 0 ? 'even' : 'odd' }, cluster: `q${i}`, source: `synthetic:${i}`, a, b });
    }
    return items;
  },
  trials(_item, options) {
    return Array.from({ length: options.trials }, (_, index) => ({ index, permutation: null }));
  },
  messages(item) {
    return [{ role: 'user', content: `Compute ${item.a} + ${item.b}. End with "The answer is N".` }];
  },
  generation() {
    return { max_tokens: 64 };
  },
  extract(response) {
    const all = response.match(/-?\d+/g);
    return all ? { answer: all[all.length - 1]!, rule: 'last-integer' } : { answer: null, rule: 'none' };
  },
  score(item, response, trial, options): TrialScore {
    const gold = String(item.a + item.b);
    if (response === null) return { extracted: null, rule: 'none', gold, correct: false };
    const e = this.extract(response, item, trial, options);
    return { extracted: e.answer, rule: e.rule, gold, correct: e.answer === gold };
  },
  reduce(_item, trials) {
    return trials.length === 0 ? 0 : trials.filter((t) => t.correct).length / trials.length;
  },
  chance() {
    return 0;
  },
};
