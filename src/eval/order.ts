/**
 * masa's seeded, prefix-stable item order for precision-targeted runs (`--target-ci`),
 * stratified by the benchmark's own categories: every prefix holds each category in proportion
 * to its share of the benchmark (to within one item), so sub-scores stay balanced however early
 * a run stops. Within a category the order is the seeded hash order `--limit` uses, so it is a
 * uniformly random order of the category's items; the categories are interleaved by largest
 * deficit: each next position goes to the category furthest behind its proportional share
 * (position t * n_c / N minus the items it already has; ties to a seeded category order), which
 * keeps every category of every prefix within one item of its share.
 *
 * A category (stratum) is the item's full tag combination (`category=law`, `task=...|ability=...`);
 * items without tags form one stratum, so their order is the plain seeded order.
 */
import { hash32 } from '../core/rng.js';
import type { Item } from '../bench/types.js';

/** The stratum an item belongs to: its tags, in key order. */
export function stratumOf(item: Item): string {
  const keys = Object.keys(item.tags).sort();
  return keys.map((k) => `${k}=${item.tags[k]}`).join('|');
}

function byHash(seed: number) {
  return <I extends Item>(a: { it: I; h: number }, b: { it: I; h: number }): number => a.h - b.h || (a.it.id < b.it.id ? -1 : a.it.id > b.it.id ? 1 : 0);
}

/** Every item in masa's stratified seeded order (the same items, reordered; deterministic). */
export function stratifiedOrder<I extends Item>(items: readonly I[], seed: number): I[] {
  const byKey = new Map<string, Array<{ it: I; h: number }>>();
  for (const it of items) {
    const key = stratumOf(it);
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push({ it, h: hash32(`${seed}|${it.id}`) });
  }
  const sort = byHash(seed);
  const strata = [...byKey].map(([key, list]) => ({ list: list.sort(sort), taken: 0, tie: hash32(`${seed}|stratum|${key}`) }));
  strata.sort((a, b) => a.tie - b.tie);
  const total = items.length;
  const out: I[] = [];
  for (let t = 1; t <= total; t++) {
    let best = -1;
    let bestDeficit = -Infinity;
    for (let k = 0; k < strata.length; k++) {
      const s = strata[k]!;
      if (s.taken >= s.list.length) continue;
      const deficit = (t * s.list.length) / total - s.taken;
      if (deficit > bestDeficit) {
        bestDeficit = deficit;
        best = k;
      }
    }
    const s = strata[best]!;
    out.push(s.list[s.taken++]!.it);
  }
  return out;
}
