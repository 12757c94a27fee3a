// Hanabi: each scripted partner's self-play over 1,000 seeded deals (seeds 0-999) with its 95%
// interval, next to the published figure where one exists (SmartBot: Quuxplusone/Hanabi@369b531
// README, 23.09 over 1,000,000 games, points kept after the third misplay, i.e. masa's fireworks
// sum); then the games per second the engine sustains with scripted players (target >= 1,000).
// Environment: MASA_BENCH_HANABI_GAMES=200 shrinks the oracle runs (default 1000).
import { hanabi } from '../../src/play/hanabi/index.js';
import { fireworksSum, type HanabiState } from '../../src/play/hanabi/rules.js';
import { playScripted } from '../../src/play/loop.js';
import type { Partner } from '../../src/play/types.js';
import type { BenchSection } from '../bench.js';

const GAMES = Number(process.env.MASA_BENCH_HANABI_GAMES ?? 1000);
const opts: Record<string, unknown> = { ...hanabi.defaultOptions };

/** Published two-player self-play means, with their source and the score they are on. */
const PUBLISHED: Record<string, { value: number; on: 'fireworks' | 'score'; source: string }> = {
  smart: { value: 23.09, on: 'fireworks', source: 'Quuxplusone/Hanabi@369b531 README (1,000,000 games; points kept after bombing)' },
};

function stats(xs: number[]): { mean: number; lo: number; hi: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const h = (1.96 * sd) / Math.sqrt(n);
  return { mean, lo: mean - h, hi: mean + h };
}

const fmt = (s: { mean: number; lo: number; hi: number }): string => `${s.mean.toFixed(2)} [${s.lo.toFixed(2)}, ${s.hi.toFixed(2)}]`;

function play(a: Partner<unknown, unknown>, b: Partner<unknown, unknown>, seed: number): HanabiState {
  return playScripted(hanabi, { id: `hanabi/${seed}`, seed, config: {}, tags: {} }, opts, [a, b]).final as HanabiState;
}

function oracle(name: string): void {
  const p = hanabi.partners[name] as Partner<unknown, unknown>;
  const score: number[] = [];
  const fireworks: number[] = [];
  let perfect = 0;
  let bombed = 0;
  const t0 = performance.now();
  for (let g = 0; g < GAMES; g++) {
    const s = play(p, p, g);
    const f = fireworksSum(s.fireworks);
    fireworks.push(f);
    score.push(s.lives > 0 ? f : 0);
    if (f === 25) perfect++;
    if (s.lives === 0) bombed++;
  }
  const secs = (performance.now() - t0) / 1000;
  const fw = stats(fireworks);
  let line = `${name.padEnd(7)} ${GAMES} games: HLE score ${fmt(stats(score))}, fireworks ${fmt(fw)}, perfect ${((100 * perfect) / GAMES).toFixed(1)}%, bombed ${((100 * bombed) / GAMES).toFixed(1)}% (${secs.toFixed(1)} s)`;
  const pub = PUBLISHED[name];
  if (pub) {
    const s = pub.on === 'fireworks' ? fw : stats(score);
    const inside = pub.value >= s.lo && pub.value <= s.hi;
    line += `\n        published ${pub.value} on the ${pub.on} (${pub.source}): ${inside ? 'inside the interval, ok' : 'OUTSIDE the interval'}`;
  } else {
    line += '\n        no published figure for this agent on these rules';
  }
  process.stdout.write(`${line}\n`);
}

function throughput(name: string, seconds: number): void {
  const p = hanabi.partners[name] as Partner<unknown, unknown>;
  for (let g = 0; g < 50; g++) play(p, p, 1_000_000 + g); // warm-up
  let games = 0;
  let moves = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    moves += play(p, p, games).history.length;
    games++;
  }
  const secs = (performance.now() - t0) / 1000;
  const rate = games / secs;
  const target = name === 'smart' ? '' : ` (target >= 1,000: ${rate >= 1000 ? 'ok' : 'SLOW'})`;
  process.stdout.write(`engine with ${name.padEnd(6)} players: ${rate.toFixed(0).padStart(6)} games/s, ${(moves / secs).toFixed(0)} moves/s, one core${target}\n`);
}

export const section: BenchSection = {
  name: 'hanabi',
  title: 'Hanabi: scripted partners against their published self-play means; engine games per second',
  async run() {
    for (const name of ['random', 'simple', 'smart']) oracle(name);
    for (const name of ['random', 'simple', 'smart']) throughput(name, name === 'smart' ? 3 : 2);
  },
};
