// The reference game's engine, without a server: scripted episodes per second (convention
// speaker, learning listener), and the cost of one model turn's game-side work at the longest
// history (prompt, readPrompt, simAct, parse), which every episode turn of a run pays.
import { mulberry32 } from '../../src/core/rng.js';
import { playScripted } from '../../src/play/loop.js';
import { refgame } from '../../src/play/refgame.js';
import type { RefAction, RefObs, RefState } from '../../src/play/refgame/rules.js';
import type { BenchSection } from '../bench.js';

const O = refgame.defaultOptions;

function scriptedEpisodes(): void {
  const specs = refgame.episodes({ ...O, episodes: 1000 }, 1);
  const agents = [refgame.partners['convention']!, refgame.partners['learning']!] as never;
  playScripted(refgame, specs[0]!, O as never, agents); // warm-up
  const t0 = performance.now();
  let turns = 0;
  for (const spec of specs) turns += playScripted(refgame, spec, O as never, agents).turns.length;
  const s = (performance.now() - t0) / 1000;
  process.stdout.write(`scripted episodes (convention + learning, 24 trials): ${(specs.length / s).toFixed(0)} episodes/s, ${(turns / s).toFixed(0)} turns/s\n`);
}

/** The last observation of each seat in a finished scripted episode: the longest prompts. */
function longestObservations(): RefObs[] {
  const spec = refgame.episodes({ ...O, swap_at: 0 }, 2)[0]!;
  let s: RefState = refgame.init(spec, O);
  const rng = mulberry32(1);
  let last: RefObs[] = [];
  for (;;) {
    const seat = refgame.toAct(s);
    if (seat === null) break;
    const obs = refgame.observe(s, seat);
    last = seat === 0 ? [obs, last[1]!] : [last[0]!, obs];
    const act = refgame.partners[seat === 0 ? 'convention' : 'learning']!.act(obs, rng) as RefAction;
    s = refgame.step(s, seat, act).state;
  }
  return last;
}

function turnCost(): void {
  for (const obs of longestObservations()) {
    const rng = mulberry32(2);
    const n = 2000;
    const t0 = performance.now();
    let chars = 0;
    for (let i = 0; i < n; i++) {
      const msgs = refgame.prompt(obs, O);
      chars = msgs.reduce((a, m) => a + m.content.length, 0);
      const back = refgame.readPrompt(msgs)!;
      refgame.parse(refgame.simAct(back, 1, rng, O), back, O);
    }
    const us = ((performance.now() - t0) * 1000) / n;
    process.stdout.write(`${obs.role} turn at round 24 (${chars} prompt chars): prompt + readPrompt + simAct + parse ${us.toFixed(0)} us\n`);
  }
}

export const section: BenchSection = {
  name: 'refgame',
  title: 'Reference game engine',
  async run() {
    scriptedEpisodes();
    turnCost();
  },
};
