// The dispatcher's retry timer, under a clock that moves between any two readings. The runner
// tests cover the dispatcher through real HTTP; this one pins a race they hit about one run in
// twelve: a retry timer that fires a little early, then a retry that falls due between two
// readings of the clock in one pump, with nothing in flight to pump again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../src/core/rng.js';
import { RequestFailure, type ChatResult, type EndpointClient } from '../../src/eval/client.js';
import { Dispatcher, type Outcome } from '../../src/eval/dispatcher.js';

const ANSWER: ChatResult = { content: 'A', reasoning: null, finish_reason: 'stop', usage: null, model: 'm' };

/** An endpoint whose first request fails (retryably) and whose later ones answer. */
function flakyOnce(): EndpointClient {
  let calls = 0;
  const chat = async (): Promise<ChatResult> => {
    calls++;
    if (calls === 1) throw new RequestFailure('HTTP 500', 'retry', 'neutral', 500, null, false);
    return ANSWER;
  };
  return { baseUrl: 'http://fake/v1', chat } as unknown as EndpointClient;
}

async function runOne(seed: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const d = new Dispatcher<number>({
    endpoints: [flakyOnce()],
    concurrency: 1,
    timeoutMs: 1000,
    maxAttempts: 3,
    itemBudgetMs: 60_000,
    backoffBaseMs: 6,
    rng: mulberry32(seed),
    onOutcome: (_ctx, o) => void outcomes.push(o),
  });
  const jobs = [{ body: { model: 'm', messages: [{ role: 'user' as const, content: 'q' }] }, ctx: 0 }];
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`seed ${seed}: the run never finished (a due retry with no timer)`)), 3000);
  });
  try {
    await Promise.race([d.run(jobs[Symbol.iterator]()), hung]);
  } finally {
    clearTimeout(timer);
  }
  return outcomes;
}

test('a retry that falls due between two clock readings still runs (clock stepping 1 ms per reading)', async () => {
  const realNow = Date.now;
  let fake = realNow();
  Date.now = () => fake++;
  try {
    for (let seed = 1; seed <= 24; seed++) {
      const outcomes = await runOne(seed);
      assert.equal(outcomes.length, 1, `seed ${seed}`);
      const o = outcomes[0]!;
      assert.ok(o.ok, `seed ${seed}: ${JSON.stringify(o)}`);
      assert.equal(o.attempts, 2, `seed ${seed}`);
    }
  } finally {
    Date.now = realNow;
  }
});
