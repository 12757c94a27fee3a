/**
 * Table conversions: records ↔ arquero tables, and a one-call conversion to a danfojs-node
 * DataFrame for a pandas-like API. danfojs-node (with TensorFlow.js) is heavy, so it is
 * required only when toDanfo is first called.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as aq from 'arquero';
import { projectRoot } from '../core/paths.js';

export type Table = aq.ColumnTable;

/** Records (one object per row) as an arquero table. */
export function toTable(records: ReadonlyArray<Record<string, unknown>>): Table {
  return aq.from(records as Array<Record<string, unknown>>);
}

/** An arquero table as a danfojs-node DataFrame (loads danfojs-node on first use). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function toDanfo(table: Table): any {
  return new (loadDanfo().DataFrame)(table.objects());
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let danfo: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function loadDanfo(): any {
  // createRequire from the project root: a synchronous, lazy require in ESM (tsx) and in tslab's CommonJS.
  danfo ??= createRequire(join(projectRoot(), 'package.json'))('danfojs-node');
  return danfo;
}
