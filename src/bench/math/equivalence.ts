/**
 * Is a predicted final answer equivalent to the gold one? normalise → parse → compare with
 * structure: unordered answer lists and sets, ordered tuples (the gold's form decides which: a
 * gold "(1,3)" takes a predicted "{1,3}" or "1, 3" in the order written, a gold list or set takes a
 * predicted tuple's entries in any order), intervals whose open/closed ends matter, unions,
 * matrices (a predicted sum, difference, scalar multiple or product of matrices is evaluated
 * first, then compared entry by entry), relations (equal up to a constant factor; inequalities up
 * to a positive one), ±, infinity; scalars exactly (BigInt rationals) when rational, else in complex
 * floating point with a relative tolerance scaled by the size of the terms, and expressions
 * with variables by randomised identity testing at seeded points. Every call is bounded in
 * time and size; what cannot be decided is reported as 'undecided' (scored wrong).
 */
import { freeSymbols, type Node } from './ast.js';
import { exactValue, LimitError, NotNumeric, numericValue, type Complex, type NumericState } from './evaluate.js';
import { checkTime, makeBudget, type Budget } from './limits.js';
import { canonicalWord, normalizeAnswer } from './normalize.js';
import { ParseError, parseLatex } from './parse.js';
import * as R from './rational.js';
import { mulberry32 } from '../../core/rng.js';

export type Verdict = 'equal' | 'different' | 'undecided';

export interface EquivalenceResult {
  verdict: Verdict;
  /** Why, in a few words (recorded with every score). */
  reason: string;
}

export interface EquivalenceOptions {
  /** Wall-clock safety net per comparison in milliseconds (default 1000; the step budget normally ends work far sooner). */
  timeMs?: number;
  /** Relative tolerance for floating-point comparison (default 1e-9). */
  tolerance?: number;
  /** Longest answer (after extraction) attempted, in characters (default 2000). */
  maxLength?: number;
  /** Work budget in evaluation steps (default 60,000); deterministic, unlike the time limit. */
  maxSteps?: number;
  /** Read a comma between digits that cannot separate thousands as a decimal point (default false). */
  decimalComma?: boolean;
}

interface Ctx {
  budget: Budget;
  tol: number;
  reason: string;
}

interface V {
  v: Verdict;
  why: string;
}
const EQ = (why: string): V => ({ v: 'equal', why });
const NE = (why: string): V => ({ v: 'different', why });
const UN = (why: string): V => ({ v: 'undecided', why });

function all(vs: V[], what: string): V {
  const bad = vs.find((x) => x.v === 'different');
  if (bad) return NE(`${what}: ${bad.why}`);
  const un = vs.find((x) => x.v === 'undecided');
  if (un) return UN(`${what}: ${un.why}`);
  return EQ(`${what}: ${vs.length} entries equal`);
}

const compact = (s: string): string => s.replace(/\s+/g, '');

export function checkEquivalence(pred: string, gold: string, opts: EquivalenceOptions = {}): EquivalenceResult {
  const maxLength = opts.maxLength ?? 2000;
  if (pred.length > maxLength || gold.length > maxLength) {
    return { verdict: 'undecided', reason: `answer longer than ${maxLength} characters` };
  }
  const ctx: Ctx = { budget: makeBudget(opts.timeMs, undefined, opts.maxSteps), tol: opts.tolerance ?? 1e-9, reason: '' };
  try {
    const np = normalizeAnswer(pred, { decimalComma: opts.decimalComma });
    const ng = normalizeAnswer(gold, { decimalComma: opts.decimalComma });
    if (np.text === '' ) return { verdict: 'different', reason: 'empty prediction' };
    if (compact(np.text) === compact(ng.text) && np.percent === ng.percent) {
      return { verdict: 'equal', reason: 'identical after normalisation' };
    }
    if (np.word !== null || ng.word !== null) {
      const a = np.word ?? canonicalWord(np.text);
      const b = ng.word ?? canonicalWord(ng.text);
      return a === b ? { verdict: 'equal', reason: 'same word answer' } : { verdict: 'different', reason: 'different word answer' };
    }
    let g: Node;
    try {
      g = parseLatex(ng.text);
    } catch (e) {
      if (e instanceof ParseError) return { verdict: 'undecided', reason: `gold not parsed (${e.message})` };
      throw e;
    }
    let p: Node;
    try {
      p = parseLatex(np.text);
    } catch (e) {
      if (e instanceof ParseError) return { verdict: 'undecided', reason: `prediction not parsed (${e.message})` };
      throw e;
    }
    let r = compare(canon(p), canon(g), ctx);
    // Percent: "10\%" also reads as 0.1, and "10" answers a question asked in percent.
    if (r.v !== 'equal' && np.percent !== ng.percent && isScalar(p) && isScalar(g)) {
      const hundred: Node = { k: 'num', value: R.rat(100n), text: '100' };
      const alt = np.percent
        ? compare(canon({ k: 'bin', op: '/', a: p, b: hundred }), canon(g), ctx)
        : compare(canon(p), canon({ k: 'bin', op: '/', a: g, b: hundred }), ctx);
      if (alt.v === 'equal') r = EQ(`${alt.why} (reading the percent as a fraction)`);
    }
    return { verdict: r.v, reason: r.why };
  } catch (e) {
    if (e instanceof LimitError) return { verdict: 'undecided', reason: e.message };
    if (e instanceof RangeError) return { verdict: 'undecided', reason: e.message };
    // A scorer must not crash a run: anything unforeseen is recorded and scored wrong.
    return { verdict: 'undecided', reason: `internal error: ${(e as Error).message ?? String(e)}` };
  }
}

function isScalar(n: Node): boolean {
  return !['tuple', 'set', 'list', 'matrix', 'rel', 'union', 'text'].includes(n.k);
}

/** Label on the left of "x = ...": a variable, a product of variables (AB, f(x)), |AB| or a tuple of them. */
function isLabel(n: Node): boolean {
  switch (n.k) {
    case 'sym':
      return true;
    case 'bin':
      return (n.op === '*' || n.op === '/') && isLabel(n.a) && isLabel(n.b);
    case 'fn':
      return n.name === 'abs' && isLabel(n.arg);
    case 'tuple':
      return n.items.every((x) => x.k === 'sym');
    default:
      return false;
  }
}

/** Canonical form: chains of '=' keep their last member; "x \in S" becomes S. */
function canon(n: Node): Node {
  switch (n.k) {
    case 'rel': {
      // "x = 1/3 \approx 0.33": the exact value precedes the approximation.
      const cut = n.ops.indexOf('approx');
      if (cut === 0) return canon(isLabel(n.parts[0]!) ? n.parts[1]! : n.parts[0]!);
      if (cut > 0) return canon({ k: 'rel', ops: n.ops.slice(0, cut), parts: n.parts.slice(0, cut + 1) });
      if (n.ops.length >= 2 && n.ops.every((o) => o === '=')) return canon(n.parts[n.parts.length - 1]!);
      if (n.ops.length === 1 && n.ops[0] === 'in' && n.parts[0]!.k === 'sym') return canon(n.parts[1]!);
      return { ...n, parts: n.parts.map(canon) };
    }
    case 'list':
    case 'set':
    case 'union':
    case 'tuple':
      return { ...n, items: n.items.map(canon) };
    default:
      return n;
  }
}

/** "x = 5" → 5 when x is a label not used on the right. */
function stripLabel(n: Node): Node | null {
  if (n.k !== 'rel' || n.ops.length !== 1 || n.ops[0] !== '=') return null;
  const [l, r] = n.parts as [Node, Node];
  if (!isLabel(l)) return null;
  // f(x) = 2x + 3: the function name labels, its argument may appear on the right.
  const ls = freeSymbols(l.k === 'bin' && l.a.k === 'sym' && (l.b.k === 'sym' || l.b.k === 'tuple') ? l.a : l);
  for (const s of freeSymbols(r)) if (ls.has(s)) return null;
  return r;
}

function infSign(n: Node): number {
  if (n.k === 'const' && n.name === 'inf') return 1;
  if (n.k === 'neg') return -infSign(n.a);
  return 0;
}

/** Expands ± into its variants (at most 8); returns null when there is no ±. */
function expandPm(n: Node): Node[] | null {
  let found = false;
  const go = (x: Node): Node[] => {
    switch (x.k) {
      case 'pm': {
        found = true;
        const bs = go(x.b);
        const as = x.a ? go(x.a) : [null];
        const out: Node[] = [];
        for (const a of as) {
          for (const b of bs) {
            const plus: Node = a ? { k: 'bin', op: '+', a, b } : b;
            const minus: Node = a ? { k: 'bin', op: '-', a, b } : { k: 'neg', a: b };
            out.push(x.mp ? minus : plus, x.mp ? plus : minus);
          }
        }
        if (out.length > 8) throw new LimitError('too many ± variants');
        return out;
      }
      case 'bin': {
        const as = go(x.a);
        const bs = go(x.b);
        const out: Node[] = [];
        for (const a of as) for (const b of bs) out.push({ ...x, a, b });
        if (out.length > 8) throw new LimitError('too many ± variants');
        return out;
      }
      case 'neg':
        return go(x.a).map((a) => ({ k: 'neg', a }) as Node);
      case 'fn':
        return go(x.arg).map((arg) => ({ ...x, arg }) as Node);
      default:
        return [x];
    }
  };
  const out = go(n);
  return found ? out : null;
}

/** The members of an unordered answer collection, ± expanded, or null if n is not one. */
function members(n: Node): Node[] | null {
  if (n.k === 'list' || n.k === 'set') {
    const out: Node[] = [];
    for (const it of n.items) {
      const s = stripLabel(it) ?? it;
      out.push(...(expandPm(s) ?? [s]));
    }
    return out;
  }
  const pm = isScalar(n) ? expandPm(n) : null;
  return pm;
}

/** Interval reading of an inequality about one variable: x > 5, -2 <= x <= 7. */
function relToInterval(n: Node): Node | null {
  if (n.k !== 'rel') return null;
  const isSym = (x: Node): boolean => x.k === 'sym';
  const inf: Node = { k: 'const', name: 'inf' };
  const ninf: Node = { k: 'neg', a: inf };
  const strict = (o: string): boolean => o === '<' || o === '>';
  if (n.ops.length === 2 && isLabel(n.parts[1]!)) {
    const [o1, o2] = n.ops as [string, string];
    const [a, , b] = n.parts as [Node, Node, Node];
    const up = (o: string): boolean => o === '<' || o === '<=';
    if (up(o1) && up(o2)) return { k: 'tuple', open: strict(o1) ? '(' : '[', close: strict(o2) ? ')' : ']', items: [a, b] };
    if (!up(o1) && !up(o2) && o1 !== '=' && o2 !== '=' && o1 !== '!=' && o2 !== '!=') {
      return { k: 'tuple', open: strict(o2) ? '(' : '[', close: strict(o1) ? ')' : ']', items: [b, a] };
    }
    return null;
  }
  if (n.ops.length !== 1) return null;
  let [l, r] = n.parts as [Node, Node];
  let op = n.ops[0]!;
  if (!isSym(l) && isSym(r)) {
    [l, r] = [r, l];
    op = ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op;
  }
  if (!isSym(l) || freeSymbols(r).size > 0) return null;
  switch (op) {
    case '<':
      return { k: 'tuple', open: '(', close: ')', items: [ninf, r] };
    case '<=':
      return { k: 'tuple', open: '(', close: ']', items: [ninf, r] };
    case '>':
      return { k: 'tuple', open: '(', close: ')', items: [r, inf] };
    case '>=':
      return { k: 'tuple', open: '[', close: ')', items: [r, inf] };
    default:
      return null;
  }
}

/** A list of one-variable inequalities as the union of their intervals, or null. */
function listAsUnion(n: Extract<Node, { k: 'list' }>): Node | null {
  const items = n.items.map(relToInterval);
  return items.every((x): x is Node => x !== null) ? { k: 'union', items } : null;
}

/** Compares prediction p with gold g. */
function compare(p: Node, g: Node, ctx: Ctx): V {
  checkTime(ctx.budget, 4);
  // Relations: both sides relations → compare as relations; else drop a "x =" label.
  if (p.k === 'rel' && g.k === 'rel') {
    const pi = relToInterval(p);
    const gi = relToInterval(g);
    if (pi && gi) return compare(pi, gi, ctx);
    const direct = compareRelations(p, g, ctx);
    if (direct.v === 'equal') return direct;
    const ps = stripLabel(p);
    const gs = stripLabel(g);
    if (ps && gs) {
      const stripped = compare(ps, gs, ctx);
      if (stripped.v === 'equal' || direct.v === 'undecided') return stripped;
    }
    return direct;
  }
  if (p.k === 'rel') {
    const s = stripLabel(p) ?? relToInterval(p);
    return s ? compare(s, g, ctx) : NE('a relation against a non-relation');
  }
  if (g.k === 'rel') {
    const s = stripLabel(g) ?? relToInterval(g);
    return s ? compare(p, s, ctx) : NE('a non-relation against a relation');
  }
  // Matrix arithmetic in an answer: evaluate it, then compare entry by entry.
  const pm = p.k === 'bin' || p.k === 'neg' ? asMatrix(p, ctx) : null;
  const gm = g.k === 'bin' || g.k === 'neg' ? asMatrix(g, ctx) : null;
  let pn: Node = pm ?? p;
  let gn: Node = gm ?? g;
  // "x < -1 or x > 1" is the union of the intervals its inequalities describe.
  if (gn.k === 'union' && pn.k === 'list') pn = listAsUnion(pn) ?? pn;
  if (pn.k === 'union' && gn.k === 'list') gn = listAsUnion(gn) ?? gn;
  return compareStructures(pn, gn, ctx);
}

/** Compares prediction and gold past relations: collections, unions, tuples, matrices, text, scalars. */
function compareStructures(p: Node, g: Node, ctx: Ctx): V {
  // The gold's form decides whether order matters.
  const ordered = (t: Node): t is Extract<Node, { k: 'tuple' }> => t.k === 'tuple' && t.open === '(' && t.close === ')' && t.items.length >= 2;
  if (ordered(g) && (p.k === 'set' || p.k === 'list') && p.items.length === g.items.length) {
    const entries = g.items;
    return all(p.items.map((x, i) => compare(x, entries[i]!, ctx)), 'tuple (the gold is ordered; entries taken as written)');
  }
  if ((g.k === 'set' || g.k === 'list') && ordered(p) && g.items.every(isScalar) && p.items.every(isScalar)) {
    return matchUnordered(p.items, members(g)!, ctx, 'answer set (the gold is unordered; tuple entries in any order)');
  }
  // Unordered collections: answer lists, sets, ± expansions.
  const pm = members(p);
  const gm = members(g);
  if (pm || gm) {
    let a = pm ?? [p];
    let b = gm ?? [g];
    if (a.length !== b.length) {
      a = distinct(a, ctx);
      b = distinct(b, ctx);
    }
    return matchUnordered(a, b, ctx, 'answer set');
  }
  if (p.k === 'union' || g.k === 'union') {
    const a = p.k === 'union' ? p.items : [p];
    const b = g.k === 'union' ? g.items : [g];
    return matchUnordered(a, b, ctx, 'union of intervals');
  }
  if (p.k === 'tuple' && g.k === 'tuple') {
    if (p.items.length !== g.items.length) return NE(`tuples of length ${p.items.length} and ${g.items.length}`);
    if (p.items.length === 2 && (p.open !== g.open || p.close !== g.close)) {
      return NE(`interval ends differ: ${p.open}${p.close} vs ${g.open}${g.close}`);
    }
    // Longer tuples may use (...) or [...], but a half-open triple is no tuple at all.
    const mixed = (t: { open: string; close: string }): boolean => (t.open === '(') !== (t.close === ')');
    if (p.items.length > 2 && mixed(p) !== mixed(g)) return NE(`brackets ${p.open}${p.close} vs ${g.open}${g.close}`);
    return all(p.items.map((x, i) => compare(x, g.items[i]!, ctx)), 'tuple');
  }
  const pv = vectorEntries(p);
  const gv = vectorEntries(g);
  if (p.k === 'matrix' && g.k === 'matrix') {
    if (p.rows.length !== g.rows.length || p.rows[0]!.length !== g.rows[0]!.length) {
      if (pv && gv && pv.length === gv.length) return all(pv.map((x, i) => compare(x, gv[i]!, ctx)), 'vector');
      return NE('matrices of different shapes');
    }
    const vs: V[] = [];
    p.rows.forEach((row, i) => row.forEach((x, j) => vs.push(compare(x, g.rows[i]![j]!, ctx))));
    return all(vs, 'matrix');
  }
  if (pv && gv) {
    if (pv.length !== gv.length) return NE('vectors of different lengths');
    return all(pv.map((x, i) => compare(x, gv[i]!, ctx)), 'vector');
  }
  if (p.k === 'text' || g.k === 'text') {
    const a = p.k === 'text' ? canonicalWord(p.value) : null;
    const b = g.k === 'text' ? canonicalWord(g.value) : null;
    return a !== null && a === b ? EQ('same text') : NE('different text');
  }
  if (!isScalar(p) || !isScalar(g)) return NE(`a ${p.k} against a ${g.k}`);
  return compareScalars(p, g, ctx);
}

type MatrixNode = Extract<Node, { k: 'matrix' }>;

function mapEntries(m: MatrixNode, f: (x: Node) => Node): MatrixNode {
  return { k: 'matrix', rows: m.rows.map((r) => r.map(f)) };
}

/**
 * The matrix a sum, difference, scalar multiple or product of matrices denotes (entries as
 * expressions, compared later), or null when n is no such expression or the shapes do not fit.
 */
function asMatrix(n: Node, ctx: Ctx): MatrixNode | null {
  checkTime(ctx.budget);
  switch (n.k) {
    case 'matrix':
      return n;
    case 'neg': {
      const m = asMatrix(n.a, ctx);
      return m ? mapEntries(m, (x) => ({ k: 'neg', a: x })) : null;
    }
    case 'bin': {
      const a = asMatrix(n.a, ctx);
      const b = asMatrix(n.b, ctx);
      if (!a && !b) return null;
      const shape = (m: MatrixNode): [number, number] => [m.rows.length, m.rows[0]!.length];
      if (n.op === '+' || n.op === '-') {
        if (!a || !b || shape(a).join() !== shape(b).join()) return null;
        return { k: 'matrix', rows: a.rows.map((r, i) => r.map((x, j) => ({ k: 'bin', op: n.op, a: x, b: b.rows[i]![j]! }) as Node)) };
      }
      if (n.op === '*' && a && b) {
        const [ra, ca] = shape(a);
        const [rb, cb] = shape(b);
        if (ca !== rb || ra * cb * ca > 400) return null;
        const rows: Node[][] = [];
        for (let i = 0; i < ra; i++) {
          const row: Node[] = [];
          for (let j = 0; j < cb; j++) {
            let sum: Node = { k: 'bin', op: '*', a: a.rows[i]![0]!, b: b.rows[0]![j]! };
            for (let k = 1; k < ca; k++) sum = { k: 'bin', op: '+', a: sum, b: { k: 'bin', op: '*', a: a.rows[i]![k]!, b: b.rows[k]![j]! } };
            row.push(sum);
          }
          rows.push(row);
        }
        return { k: 'matrix', rows };
      }
      const scalar = a ? n.b : n.a;
      if (!isScalar(scalar)) return null;
      if (n.op === '*') return mapEntries((a ?? b)!, (x) => ({ k: 'bin', op: '*', a: scalar, b: x }));
      if (n.op === '/' && a) return mapEntries(a, (x) => ({ k: 'bin', op: '/', a: x, b: scalar }));
      return null;
    }
    default:
      return null;
  }
}

/** An answer set lists each value once: "15\frac{39}{40} or \frac{639}{40}" is one answer. */
function distinct(xs: Node[], ctx: Ctx): Node[] {
  if (xs.length > 64) return xs;
  const out: Node[] = [];
  for (const x of xs) if (!out.some((y) => compare(x, y, ctx).v === 'equal')) out.push(x);
  return out;
}

/** Entries of a vector: a one-row or one-column matrix, or a tuple of 3 or more. */
function vectorEntries(n: Node): Node[] | null {
  if (n.k === 'matrix') {
    if (n.rows.length === 1) return n.rows[0]!;
    if (n.rows.every((r) => r.length === 1)) return n.rows.map((r) => r[0]!);
    return null;
  }
  if (n.k === 'tuple' && n.items.length >= 2) return n.items;
  return null;
}

function exactMembers(xs: Node[], ctx: Ctx): R.Rational[] | null {
  const out: R.Rational[] = [];
  for (const x of xs) {
    if (!isScalar(x) || freeSymbols(x).size > 0) return null;
    const v = exactValue(x, ctx.budget);
    if (!v) return null;
    out.push(v);
  }
  return out;
}

/** Perfect matching of equal pairs between two multisets (augmenting paths). */
function matchUnordered(a: Node[], b: Node[], ctx: Ctx, what: string): V {
  if (a.length !== b.length) return NE(`${what}: ${a.length} vs ${b.length} members`);
  if (a.length > 64) return UN(`${what} too large`);
  const n = a.length;
  // Rational members: sort and compare exactly, O(n log n).
  const ea = n >= 8 ? exactMembers(a, ctx) : null;
  const eb = ea ? exactMembers(b, ctx) : null;
  if (ea && eb) {
    ea.sort(R.cmp);
    eb.sort(R.cmp);
    if (ea.every((x, i) => R.eq(x, eb[i]!))) return EQ(`${what} (${n} members matched)`);
  }
  // Greedy next: lists are usually in the same or a similar order, and this needs ~n compares.
  const used = new Array<boolean>(n).fill(false);
  let greedy = true;
  for (let i = 0; i < n && greedy; i++) {
    let hit = -1;
    for (let k = 0; k < n; k++) {
      const j = (i + k) % n;
      if (!used[j] && compare(a[i]!, b[j]!, ctx).v === 'equal') {
        hit = j;
        break;
      }
    }
    if (hit < 0) {
      greedy = false;
      // A member equal to nothing on the other side settles it without the full matrix.
      const vs = b.map((y) => compare(a[i]!, y, ctx));
      if (vs.every((v) => v.v === 'different')) return NE(`${what}: a member matches none (${vs[0]!.why})`);
    } else used[hit] = true;
  }
  if (greedy) return EQ(`${what} (${n} members matched)`);
  const m: V[][] = a.map((x) => b.map((y) => compare(x, y, ctx)));
  const perfect = (ok: (v: V) => boolean): boolean => {
    const matchB = new Array<number>(n).fill(-1);
    const tryA = (i: number, seen: boolean[]): boolean => {
      for (let j = 0; j < n; j++) {
        if (seen[j] || !ok(m[i]![j]!)) continue;
        seen[j] = true;
        if (matchB[j] === -1 || tryA(matchB[j]!, seen)) {
          matchB[j] = i;
          return true;
        }
      }
      return false;
    };
    for (let i = 0; i < n; i++) if (!tryA(i, new Array<boolean>(n).fill(false))) return false;
    return true;
  };
  if (perfect((v) => v.v === 'equal')) return EQ(n === 1 ? m[0]![0]!.why : `${what} (${n} members matched)`);
  if (perfect((v) => v.v !== 'different')) return UN(`${what}: some members undecided`);
  return NE(n === 1 ? m[0]![0]!.why : `${what}: members differ`);
}

function normalizedRelation(n: Extract<Node, { k: 'rel' }>): { ops: string[]; parts: Node[] } {
  // Write every inequality with < or <=, reversing the chain when it points the other way.
  if (n.ops.every((o) => o === '>' || o === '>=')) {
    return { ops: [...n.ops].reverse().map((o) => (o === '>' ? '<' : '<=')), parts: [...n.parts].reverse() };
  }
  return { ops: n.ops, parts: n.parts };
}

/** Relations are equal when each difference lhs - rhs is a constant multiple of the other's. */
function compareRelations(p: Extract<Node, { k: 'rel' }>, g: Extract<Node, { k: 'rel' }>, ctx: Ctx): V {
  const a = normalizedRelation(p);
  const b = normalizedRelation(g);
  if (a.ops.length !== b.ops.length) return NE('relations of different length');
  if (a.ops.join() !== b.ops.join()) return NE(`relation ${a.ops.join()} vs ${b.ops.join()}`);
  if (a.ops.includes(':')) return all(a.parts.map((x, i) => compare(x, b.parts[i]!, ctx)), 'ratio');
  if (a.ops.length > 1) return all(a.parts.map((x, i) => compare(x, b.parts[i]!, ctx)), 'chain');
  const op = a.ops[0]!;
  const diff = (x: { parts: Node[] }): Node => ({ k: 'bin', op: '-', a: x.parts[0]!, b: x.parts[1]! });
  return proportional(diff(a), diff(b), op === '=' || op === '!=' ? 'any' : 'positive', ctx);
}

function samplePoints(vars: string[], count: number): Map<string, number>[] {
  const rng = mulberry32(0x6d617468);
  const pts: Map<string, number>[] = [];
  for (let k = 0; k < count; k++) {
    const env = new Map<string, number>();
    for (const v of vars) {
      const x = 0.31 + rng.next() * 2.1;
      env.set(v, k % 3 === 2 ? -x : x);
    }
    pts.push(env);
  }
  return pts;
}

function evalAt(n: Node, env: Map<string, number>, budget: Budget): { z: Complex; scale: number } | null {
  const st: NumericState = { env, scale: 0, unreliable: false, budget };
  try {
    const z = numericValue(n, st);
    if (st.unreliable || !Number.isFinite(z.re) || !Number.isFinite(z.im)) return null;
    return { z, scale: Math.max(st.scale, Math.hypot(z.re, z.im)) };
  } catch (e) {
    if (e instanceof NotNumeric) return null;
    throw e;
  }
}

/** f = k·g for one non-zero constant k (positive when `sign` says so), tested at seeded points. */
function proportional(f: Node, g: Node, sign: 'any' | 'positive', ctx: Ctx): V {
  const vars = [...new Set([...freeSymbols(f), ...freeSymbols(g)])].sort();
  const pts = samplePoints(vars, 8);
  let ratio: Complex | null = null;
  let used = 0;
  let bothZero = 0;
  for (const env of pts) {
    const a = evalAt(f, env, ctx.budget);
    const b = evalAt(g, env, ctx.budget);
    if (!a || !b) continue;
    const ma = Math.hypot(a.z.re, a.z.im);
    const mb = Math.hypot(b.z.re, b.z.im);
    const za = ma <= ctx.tol * a.scale;
    const zb = mb <= ctx.tol * b.scale;
    if (za && zb) {
      bothZero++;
      continue;
    }
    if (za !== zb) return NE('relations hold at different points');
    const d = b.z.re * b.z.re + b.z.im * b.z.im;
    const r = { re: (a.z.re * b.z.re + a.z.im * b.z.im) / d, im: (a.z.im * b.z.re - a.z.re * b.z.im) / d };
    if (ratio === null) ratio = r;
    else if (Math.hypot(r.re - ratio.re, r.im - ratio.im) > 1e-7 * Math.hypot(ratio.re, ratio.im)) {
      return NE('relations are not multiples of each other');
    }
    used++;
  }
  if (used + bothZero < 3) return UN('relation could not be evaluated');
  if (ratio && sign === 'positive' && !(ratio.re > 0 && Math.abs(ratio.im) < 1e-9)) return NE('inequality reversed');
  return EQ('equivalent relations');
}

function decimalLiteral(n: Node): { value: R.Rational; places: number; digits: number } | null {
  let neg = false;
  let x = n;
  if (x.k === 'neg') {
    neg = true;
    x = x.a;
  }
  let scale = 0;
  // 2.31 \times 10^{-3}
  if (x.k === 'bin' && x.op === '*' && x.b.k === 'bin' && x.b.op === '^' && x.b.a.k === 'num' && x.b.a.text === '10') {
    const e = x.b.b.k === 'num' ? Number(x.b.b.text) : x.b.b.k === 'neg' && x.b.b.a.k === 'num' ? -Number(x.b.b.a.text) : NaN;
    if (!Number.isInteger(e)) return null;
    scale = e;
    x = x.a;
  }
  if (x.k !== 'num' || !x.text.includes('.')) return null;
  const frac = x.text.split('.')[1]!.length;
  const digits = x.text.replace('.', '').replace(/^0+/, '').length;
  const v = R.mul(x.value, R.powInt(R.rat(10n), BigInt(scale), 4096));
  return { value: neg ? R.neg(v) : v, places: frac - scale, digits };
}

function closeEnough(a: { z: Complex; scale: number }, b: { z: Complex; scale: number }, tol: number): boolean {
  const d = Math.hypot(a.z.re - b.z.re, a.z.im - b.z.im);
  return d <= tol * Math.max(a.scale, b.scale, 1e-300);
}

function compareScalars(p: Node, g: Node, ctx: Ctx): V {
  // A numeral in base b: the same digits in the same base; bare digits imply the asked base.
  if (p.k === 'base' || g.k === 'base') {
    const digits = (n: Node): string | null =>
      n.k === 'base' ? n.digits.replace(/^0+(?=.)/, '') : n.k === 'num' && /^\d+$/.test(n.text) ? n.text.replace(/^0+(?=.)/, '') : null;
    const dp = digits(p);
    const dg = digits(g);
    const bp = p.k === 'base' ? p.base : null;
    const bg = g.k === 'base' ? g.base : null;
    if (dp === null || dg === null) return NE('a base-b numeral against an expression');
    if (bp !== null && bg !== null && bp !== bg) return NE(`base ${bp} against base ${bg}`);
    return dp === dg ? EQ('same numeral') : NE(`numeral ${dp} ≠ ${dg}`);
  }
  const sp = infSign(p);
  const sg = infSign(g);
  if (sp !== 0 || sg !== 0) return sp === sg ? EQ('same infinity') : NE('infinity against another value');
  const vars = [...new Set([...freeSymbols(p), ...freeSymbols(g)])].sort();
  // Setting up and evaluating at sample points costs more than one step.
  checkTime(ctx.budget, vars.length === 0 ? 4 : 40);
  if (vars.length === 0) {
    const ep = exactValue(p, ctx.budget);
    const eg = exactValue(g, ctx.budget);
    if (ep && eg) {
      if (R.eq(ep, eg)) return EQ('equal rational values');
      const dp = decimalLiteral(p);
      if (dp && approximates(dp, eg)) return EQ(`decimal approximation to ${dp.places} places`);
      const dg = decimalLiteral(g);
      if (dg && approximates(dg, ep)) return EQ(`gold is a decimal approximation to ${dg.places} places`);
      return NE(`${short(R.toString(ep))} ≠ ${short(R.toString(eg))}`);
    }
    const a = evalAt(p, new Map(), ctx.budget);
    const b = evalAt(g, new Map(), ctx.budget);
    if (!a || !b) {
      if ((ep && !b) || (eg && !a)) return UN('a value is out of floating-point range');
      return UN('value could not be evaluated');
    }
    if (closeEnough(a, b, ctx.tol)) return EQ('equal numeric values');
    if (approximatesFloat(decimalLiteral(p), eg, b.z) || approximatesFloat(decimalLiteral(g), ep, a.z)) {
      return EQ('decimal approximation of an irrational value');
    }
    return NE(`${fmt(a.z)} ≠ ${fmt(b.z)}`);
  }
  const pts = samplePoints(vars, 8);
  let agree = 0;
  for (const env of pts) {
    const a = evalAt(p, env, ctx.budget);
    const b = evalAt(g, env, ctx.budget);
    if (!a || !b) continue;
    if (closeEnough(a, b, 1e-8)) agree++;
    else return NE(`expressions differ at ${[...env].map(([k, v]) => `${k}=${v.toFixed(3)}`).join(', ')}`);
  }
  return agree >= 3 ? EQ(`identical at ${agree} random points`) : UN('expressions could not be evaluated');
}

function terminatesWithin(v: R.Rational, places: number): boolean {
  return places >= 0 && (v.n * 10n ** BigInt(places)) % v.d === 0n;
}

/** A decimal with enough significant digits that rounds or truncates an exact non-terminating value. */
function approximates(dec: { value: R.Rational; places: number; digits: number }, exact: R.Rational): boolean {
  if (dec.digits < 4 || dec.places < 0 || dec.places > 4000 || terminatesWithin(exact, dec.places)) return false;
  if (dec.value.n < 0n !== exact.n < 0n) return false;
  const scale = 10n ** BigInt(dec.places);
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);
  const target = abs(dec.value.n) * scale / dec.value.d; // exact: dec has at most `places` decimals
  const m = abs(exact.n) * scale;
  const truncated = m / exact.d;
  const rounded = (2n * m + exact.d) / (2n * exact.d);
  return target === truncated || target === rounded;
}

/** A decimal (4+ significant digits) that rounds or truncates a value known only in floating point. */
function approximatesFloat(dec: ReturnType<typeof decimalLiteral>, exact: R.Rational | null, z: Complex): boolean {
  if (!dec || dec.digits < 4 || dec.places < 0 || dec.places > 15 || (exact && terminatesWithin(exact, dec.places))) return false;
  if (Math.abs(z.im) > 1e-12 * Math.abs(z.re)) return false;
  const d = R.toNumber(dec.value);
  if (Math.sign(d) !== Math.sign(z.re)) return false;
  const scaled = Math.abs(z.re) * Math.pow(10, dec.places);
  const target = Math.round(Math.abs(d) * Math.pow(10, dec.places));
  // Rounded or truncated to the places shown (a hair of slack for the double's own error).
  const eps = 1e-9 * Math.max(1, scaled);
  return Math.abs(target - Math.round(scaled)) === 0 || Math.abs(target - Math.floor(scaled + eps)) === 0;
}

function short(s: string): string {
  return s.length > 40 ? `${s.slice(0, 18)}…${s.slice(-18)}` : s;
}

function fmt(z: Complex): string {
  const r = Number(z.re.toPrecision(8));
  return z.im === 0 ? String(r) : `${r}${z.im < 0 ? '-' : '+'}${Math.abs(Number(z.im.toPrecision(8)))}i`;
}
