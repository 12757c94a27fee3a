// Repeated-games engine figures, in process and without a server: scripted episodes per second
// (bot:adaptive against the whole panel), the simulator's per-turn work (readPrompt of the prompt,
// then simAct at skill 1 and parse), and score() per episode. No target of its own: these bound
// what the episode runner (src/eval/episodes.ts) can reach against the loopback simulator.
import { mulberry32 } from '../../src/core/rng.js';
import { playScripted } from '../../src/play/loop.js';
import { repeatedGames as game, REPEATED_DEFAULTS, repeatedEpisodes } from '../../src/play/repeated-games.js';
import type { RGAction, RGObs } from '../../src/play/repeated-games/games.js';
import type { EpisodeLog, Partner } from '../../src/play/types.js';
import type { BenchSection } from '../bench.js';

const opts = REPEATED_DEFAULTS;

function rate(label: string, n: number, ms: number, unit: string): void {
  process.stdout.write(`${label.padEnd(58)} ${n.toLocaleString('en-US').padStart(7)} ${unit} in ${ms.toFixed(0).padStart(5)} ms: ${Math.round((n / ms) * 1000).toLocaleString('en-US').padStart(8)} ${unit}/s\n`);
}

export const section: BenchSection = {
  name: 'repeated-games',
  title: 'Repeated 2x2 games: engine, simulator turn and scoring speed',
  async run() {
    const specs = repeatedEpisodes({ ...opts, repeats: 200 }, 1);
    const adaptive = game.partners.adaptive as Partner<unknown, unknown>;
    const logs: EpisodeLog<unknown, unknown>[] = [];
    let t0 = performance.now();
    for (const spec of specs) logs.push(playScripted(game, spec, opts as never, [adaptive, game.partners[spec.partner!.slice(4)] as Partner<unknown, unknown>], ['model:sim', spec.partner!]));
    rate('scripted episodes (bot:adaptive vs the panel, 20 turns each)', specs.length, performance.now() - t0, 'episodes');

    const obs: RGObs[] = [];
    for (const log of logs.slice(0, 500)) {
      let state = game.init(log.spec, opts);
      for (const turn of log.turns) {
        if (turn.seat === 0) obs.push(game.observe(state, 0));
        state = game.step(state, turn.seat, turn.action as RGAction).state;
      }
    }
    const rng = mulberry32(1);
    t0 = performance.now();
    for (const o of obs) {
      const back = game.readPrompt(game.prompt(o, opts))!;
      const r = game.parse(game.simAct(back, 1, rng, opts), back, opts);
      if (r.ok === false) throw new Error(r.error);
    }
    rate('simulator turns (prompt, readPrompt, simAct skill 1, parse)', obs.length, performance.now() - t0, 'turns');

    t0 = performance.now();
    for (const log of logs) game.score(log as never, opts);
    rate('score() per episode', logs.length, performance.now() - t0, 'episodes');
    process.stdout.write(`peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB\n`);
  },
};
