// The synthetic models: what they mean to answer is what the benchmark's own score() says
// they answered, every time; answers are deterministic per request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadItems } from '../../src/bench/data.js';
import { BENCHMARKS } from '../../src/bench/registry.js';
import type { Item, Trial } from '../../src/bench/types.js';
import { mulberry32, permutation } from '../../src/core/rng.js';
import { parseChatRequest } from '../../src/sim/api.js';
import { Engine } from '../../src/sim/engine.js';
import { buildIndex } from '../../src/sim/item-index.js';
import { simModels } from '../../src/sim/server.js';
import { TEST_MODELS, fixedProfile, lastUser } from './helpers.js';

const [plain, thinker] = simModels(TEST_MODELS);

for (const bench of BENCHMARKS) {
  test(`${bench.id}: intended right/wrong agrees with score() on every sample response`, async () => {
    const index = await buildIndex([bench]);
    const engine = new Engine(index, fixedProfile(0.5), 1);
    const options = { ...(bench.defaultOptions as Record<string, unknown>) };
    const { items } = await loadItems(bench, options);
    const rng = mulberry32(7);
    const n = bench.id === 'humaneval' ? 4 : 24;
    let checked = 0;
    let right = 0;
    const formats = new Set<string>();
    for (const item of items as Item[]) {
      const trials: Trial[] = [...bench.trials(item, options)];
      const rec = index.lookup(lastUser(bench.messages(item, { index: 0, permutation: null }, options)));
      assert.ok(rec, `${item.id}: not recognised`);
      if (rec.entry.answer.kind === 'letter' && rec.entry.optionMap) trials.push({ index: 9, permutation: permutation(rec.entry.answer.n, rng) });
      for (const trial of trials) {
        for (const model of [plain!, thinker!]) {
          const req = parseChatRequest({ messages: bench.messages(item, trial, options), n, temperature: 1, seed: trial.index, max_tokens: 3000 });
          const done = engine.complete(model, req, 100);
          assert.ok(done.recognised, `${item.id} trial ${trial.index}: shuffled prompt not recognised`);
          for (const c of done.choices) {
            const s = await bench.score(item, c.finishReason === 'length' ? null : c.content, trial, options);
            assert.equal(s.correct, c.intendedCorrect, `${bench.id} ${item.id} trial ${trial.index}: meant ${c.intendedCorrect}, scored ${s.correct} (${s.rule}, extracted ${s.extracted}, gold ${s.gold})\n${c.content}`);
            formats.add(s.rule);
            checked++;
            if (s.correct) right++;
          }
        }
      }
    }
    assert.ok(checked > 0);
    assert.ok(right > 0 && right < checked, `${right}/${checked} right: both outcomes must occur`);
  });
}

test('the same request gets the same answer; another seed or choice index may differ', async () => {
  const index = await buildIndex([]);
  const engine = new Engine(index, fixedProfile(0.5), 1);
  const req = parseChatRequest({ messages: [{ role: 'user', content: 'hello' }], n: 4, temperature: 1, seed: 3 });
  const a = engine.complete(plain!, req, 10).choices.map((c) => c.content);
  const b = engine.complete(plain!, req, 10).choices.map((c) => c.content);
  assert.deepEqual(a, b);
  assert.ok(new Set(a).size > 1, 'choices differ by index');
  const other = new Engine(index, fixedProfile(0.5), 2);
  const c = other.complete(plain!, req, 10).choices.map((x) => x.content);
  assert.notDeepEqual(a, c);
});
