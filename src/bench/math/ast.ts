/** The expression tree the LaTeX parser produces and the evaluator and comparer consume. */
import type { Rational } from './rational.js';

export type Node =
  | { k: 'num'; value: Rational; text: string }
  | { k: 'sym'; name: string }
  /** pi, e (Euler), i (imaginary unit), inf. */
  | { k: 'const'; name: 'pi' | 'e' | 'i' | 'inf' }
  | { k: 'bin'; op: '+' | '-' | '*' | '/' | '^'; a: Node; b: Node }
  | { k: 'neg'; a: Node }
  /** a ± b, or ±b when a is null; mp marks ∓. */
  | { k: 'pm'; a: Node | null; b: Node; mp: boolean }
  | { k: 'fn'; name: string; arg: Node; index?: Node }
  | { k: 'fact'; a: Node }
  /** A numeral in another base, e.g. 4210_5. */
  | { k: 'base'; digits: string; base: number }
  /** x^\circ inside an expression: x degrees, worth x*pi/180. */
  | { k: 'deg'; a: Node }
  | { k: 'tuple'; open: string; close: string; items: Node[] }
  | { k: 'set'; items: Node[] }
  /** A bare comma-separated list of answers. */
  | { k: 'list'; items: Node[] }
  | { k: 'matrix'; rows: Node[][] }
  /** A chain of relations: parts[0] ops[0] parts[1] ops[1] parts[2] ... */
  | { k: 'rel'; ops: string[]; parts: Node[] }
  | { k: 'union'; items: Node[] }
  | { k: 'text'; value: string };

export function isStructural(n: Node): boolean {
  return n.k === 'tuple' || n.k === 'set' || n.k === 'list' || n.k === 'matrix' || n.k === 'rel' || n.k === 'union';
}

/** Free variable names of an expression (imaginary unit and constants excluded). */
export function freeSymbols(n: Node, out: Set<string> = new Set()): Set<string> {
  switch (n.k) {
    case 'sym':
      out.add(n.name);
      break;
    case 'bin':
      freeSymbols(n.a, out);
      freeSymbols(n.b, out);
      break;
    case 'neg':
    case 'fact':
    case 'deg':
      freeSymbols(n.a, out);
      break;
    case 'pm':
      if (n.a) freeSymbols(n.a, out);
      freeSymbols(n.b, out);
      break;
    case 'fn':
      freeSymbols(n.arg, out);
      if (n.index) freeSymbols(n.index, out);
      break;
    case 'tuple':
    case 'set':
    case 'list':
    case 'union':
      for (const x of n.items) freeSymbols(x, out);
      break;
    case 'matrix':
      for (const r of n.rows) for (const x of r) freeSymbols(x, out);
      break;
    case 'rel':
      for (const x of n.parts) freeSymbols(x, out);
      break;
    default:
      break;
  }
  return out;
}
