import assert from 'node:assert/strict';
import { playScripted } from '../../../src/play/loop.js';
import { refgame, type RefgameOptions } from '../../../src/play/refgame.js';
import type { RefAction, RefObs, RefState } from '../../../src/play/refgame/rules.js';
import type { EpisodeLog, EpisodeSpec, Partner } from '../../../src/play/types.js';

export const OPTS: RefgameOptions = { ...refgame.defaultOptions };

export function options(o: Partial<RefgameOptions> = {}): RefgameOptions {
  return { ...OPTS, ...o };
}

export function specs(o: Partial<RefgameOptions> = {}, seed = 1): EpisodeSpec[] {
  return refgame.episodes(options(o), seed);
}

export function bot(name: string): Partner<RefObs, RefAction> {
  const p = refgame.partners[name];
  assert.ok(p, name);
  return p;
}

/** A partner that plays as the simulator does: simAct's text, read back with parse. */
export function simPartner(skill: number, o: RefgameOptions = OPTS): Partner<RefObs, RefAction> {
  return {
    name: `sim@${skill}`,
    description: 'simAct + parse',
    act(obs, rng) {
      const text = refgame.simAct(obs, skill, rng, o);
      const p = refgame.parse(text, obs, o);
      assert.ok(p.ok, `simAct wrote an unparseable reply: ${JSON.stringify(text)}`);
      return p.action;
    },
  };
}

export function play(spec: EpisodeSpec, speaker: Partner<RefObs, RefAction>, listener: Partner<RefObs, RefAction>, o: RefgameOptions = OPTS): EpisodeLog<RefState, RefAction> {
  return playScripted(refgame, spec, o as unknown as Record<string, unknown>, [speaker, listener] as never) as EpisodeLog<RefState, RefAction>;
}

/** Run-level measures: the mean over episodes of each non-null per-episode value. */
export function runMeasures(list: EpisodeSpec[], speaker: Partner<RefObs, RefAction>, listener: Partner<RefObs, RefAction>, o: RefgameOptions = OPTS): Record<string, number | null> {
  const sums: Record<string, { s: number; n: number }> = {};
  for (const spec of list) {
    const m = refgame.score(play(spec, speaker, listener, o), o);
    for (const [k, v] of Object.entries(m)) {
      const e = (sums[k] ??= { s: 0, n: 0 });
      if (v !== null) {
        e.s += v;
        e.n++;
      }
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([k, e]) => [k, e.n === 0 ? null : e.s / e.n]));
}

export function near(actual: number | null, expected: number, tol = 1e-12, what = ''): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `${what}: ${actual} is not within ${tol} of ${expected}`);
}
