/**
 * Two evaluators over the answer tree: an exact one (BigInt rationals; null as soon as a value
 * is not rational, e.g. sqrt(2) or pi), and a complex floating-point one that also tracks the
 * magnitude of the terms it added, so cancellation error (sqrt(2)^2 - 2) can be told apart
 * from a real difference, and flags underflow or overflow, so tiny or huge values are never
 * judged equal by accident.
 */
import type { Node } from './ast.js';
import { checkTime, LimitError, type Budget } from './limits.js';
import * as R from './rational.js';
import type { Rational } from './rational.js';

export class NotNumeric extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotNumeric';
  }
}

const MAX_FACTORIAL = 5000;

export function baseValue(digits: string, base: number): bigint {
  let v = 0n;
  const B = BigInt(base);
  for (const ch of digits.toLowerCase()) {
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= base) throw new NotNumeric(`digit ${ch} not valid in base ${base}`);
    v = v * B + BigInt(d);
  }
  return v;
}

/** Exact value when the expression is rational; null when it is not (or has variables). */
export function exactValue(n: Node, budget: Budget): Rational | null {
  checkTime(budget);
  const bits = budget.maxBits;
  switch (n.k) {
    case 'num':
      return n.value;
    case 'base':
      return R.rat(baseValue(n.digits, n.base));
    case 'neg': {
      const a = exactValue(n.a, budget);
      return a && R.neg(a);
    }
    case 'bin': {
      const a = exactValue(n.a, budget);
      if (!a) return null;
      const b = exactValue(n.b, budget);
      if (!b) return null;
      switch (n.op) {
        case '+':
          return R.add(a, b, bits);
        case '-':
          return R.sub(a, b, bits);
        case '*':
          return R.mul(a, b, bits);
        case '/':
          if (b.n === 0n) return null;
          return R.div(a, b, bits);
        case '^':
          if (a.n === 0n && b.n <= 0n) return null;
          if (b.d === 1n && (b.n > 1000000000n || b.n < -1000000000n) && !(a.d === 1n && (a.n === 1n || a.n === -1n || a.n === 0n))) {
            throw new LimitError('power too large');
          }
          return R.powRational(a, b, bits);
      }
      return null;
    }
    case 'fact': {
      const a = exactValue(n.a, budget);
      if (!a || a.d !== 1n || a.n < 0n) return null;
      if (a.n > BigInt(MAX_FACTORIAL)) throw new LimitError('factorial too large');
      let r = 1n;
      for (let k = 2n; k <= a.n; k++) {
        r *= k;
        // Each product costs about as much as the bits of r, which grow like k log k.
        if ((k & 63n) === 0n) checkTime(budget, Number(k >> 4n));
      }
      return R.rat(r, 1n, bits);
    }
    case 'fn': {
      if (n.name === 'sqrt') {
        const a = exactValue(n.arg, budget);
        return a && a.n >= 0n ? R.powRational(a, R.rat(1n, 2n), bits) : null;
      }
      if (n.name === 'root' && n.index) {
        const a = exactValue(n.arg, budget);
        const k = exactValue(n.index, budget);
        if (!a || !k || k.d !== 1n || k.n < 1n || k.n > 64n) return null;
        return R.powRational(a, R.rat(1n, k.n), bits);
      }
      if (n.name === 'abs') {
        const a = exactValue(n.arg, budget);
        return a && (a.n < 0n ? R.neg(a) : a);
      }
      if (n.name === 'binom' && n.index) {
        const a = exactValue(n.arg, budget);
        const k = exactValue(n.index, budget);
        if (!a || !k || a.d !== 1n || k.d !== 1n || k.n < 0n || a.n < 0n) return null;
        if (k.n > a.n) return R.ZERO;
        if (k.n > 5000n) throw new LimitError('binomial too large');
        let r = 1n;
        for (let j = 0n; j < k.n; j++) {
          r = (r * (a.n - j)) / (j + 1n);
          if (R.bitLength(r) > bits) throw new LimitError('binomial too large');
        }
        return R.rat(r, 1n, bits);
      }
      return null;
    }
    default:
      return null;
  }
}

export interface Complex {
  re: number;
  im: number;
}

/** Evaluation state: variable values, the largest magnitude seen in a sum, and range trouble. */
export interface NumericState {
  env: Map<string, number>;
  scale: number;
  /** Set when an intermediate under- or overflowed, so the final double cannot be trusted. */
  unreliable: boolean;
  budget: Budget;
}

const C = (re: number, im = 0): Complex => ({ re, im });
const mag = (z: Complex): number => Math.hypot(z.re, z.im);
const isReal = (z: Complex): boolean => z.im === 0;

function cmul(a: Complex, b: Complex): Complex {
  if (isReal(a) && isReal(b)) return C(a.re * b.re);
  return C(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
}
function cdiv(a: Complex, b: Complex): Complex {
  if (isReal(a) && isReal(b)) return C(a.re / b.re);
  const d = b.re * b.re + b.im * b.im;
  return C((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}
function cexp(a: Complex): Complex {
  const r = Math.exp(a.re);
  return isReal(a) ? C(r) : C(r * Math.cos(a.im), r * Math.sin(a.im));
}
function clog(a: Complex): Complex {
  if (isReal(a) && a.re > 0) return C(Math.log(a.re));
  return C(Math.log(mag(a)), Math.atan2(a.im, a.re));
}
function cpow(a: Complex, b: Complex): Complex {
  if (isReal(a) && isReal(b)) {
    if (a.re >= 0 || Number.isInteger(b.re)) return C(Math.pow(a.re, b.re));
  }
  if (a.re === 0 && a.im === 0) return C(0);
  if (isReal(a) && isReal(b)) {
    // A negative base to a rational power with odd denominator has a real value: (-8)^{2/3} = 4.
    for (let q = 3; q <= 15; q += 2) {
      const p = b.re * q;
      if (Math.abs(p - Math.round(p)) < 1e-9) {
        const mag = Math.pow(-a.re, b.re);
        return C(Math.round(p) % 2 === 0 ? mag : -mag);
      }
    }
  }
  if (isReal(b) && Number.isInteger(b.re) && Math.abs(b.re) <= 64) {
    let r = C(1);
    for (let k = 0; k < Math.abs(b.re); k++) r = cmul(r, a);
    return b.re < 0 ? cdiv(C(1), r) : r;
  }
  return cexp(cmul(b, clog(a)));
}
function csqrt(a: Complex): Complex {
  if (isReal(a) && a.re >= 0) return C(Math.sqrt(a.re));
  return cpow(a, C(0.5));
}
function csin(a: Complex): Complex {
  return isReal(a) ? C(Math.sin(a.re)) : C(Math.sin(a.re) * Math.cosh(a.im), Math.cos(a.re) * Math.sinh(a.im));
}
function ccos(a: Complex): Complex {
  return isReal(a) ? C(Math.cos(a.re)) : C(Math.cos(a.re) * Math.cosh(a.im), -Math.sin(a.re) * Math.sinh(a.im));
}

function realOnly(a: Complex, f: (x: number) => number): Complex {
  if (!isReal(a)) throw new NotNumeric('complex argument to a real-only function');
  return C(f(a.re));
}

function gammaLn(x: number): number {
  // Lanczos approximation, for factorials of non-small integers.
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function applyFn(name: string, a: Complex, index: Complex | null): Complex {
  switch (name) {
    case 'sqrt':
      return csqrt(a);
    case 'root': {
      const k = index!.re;
      if (isReal(a) && a.re < 0 && Number.isInteger(k) && k % 2 === 1) return C(-Math.pow(-a.re, 1 / k));
      return cpow(a, C(1 / k));
    }
    case 'sin':
      return csin(a);
    case 'cos':
      return ccos(a);
    case 'tan':
      return cdiv(csin(a), ccos(a));
    case 'cot':
      return cdiv(ccos(a), csin(a));
    case 'sec':
      return cdiv(C(1), ccos(a));
    case 'csc':
      return cdiv(C(1), csin(a));
    case 'arcsin':
      return realOnly(a, Math.asin);
    case 'arccos':
      return realOnly(a, Math.acos);
    case 'arctan':
      return realOnly(a, Math.atan);
    case 'arccot':
      return realOnly(a, (x) => Math.atan(1 / x));
    case 'sinh':
      return realOnly(a, Math.sinh);
    case 'cosh':
      return realOnly(a, Math.cosh);
    case 'tanh':
      return realOnly(a, Math.tanh);
    case 'exp':
      return cexp(a);
    case 'ln':
      return clog(a);
    case 'log': {
      const base = index ?? C(10);
      return cdiv(clog(a), clog(base));
    }
    case 'lg':
      return cdiv(clog(a), C(Math.LN10));
    case 'abs':
      return C(mag(a));
    case 'sgn':
      return realOnly(a, Math.sign);
    case 'floor':
      return realOnly(a, Math.floor);
    case 'ceil':
      return realOnly(a, Math.ceil);
    case 'binom': {
      const n = a.re;
      const k = index!.re;
      if (!isReal(a) || !Number.isInteger(n) || !Number.isInteger(k)) throw new NotNumeric('binomial of non-integers');
      return C(Math.round(Math.exp(gammaLn(n + 1) - gammaLn(k + 1) - gammaLn(n - k + 1))));
    }
    default:
      throw new NotNumeric(`unknown function ${name}`);
  }
}

function flagRange(z: Complex, st: NumericState, inputsNonZero: boolean): Complex {
  const m = mag(z);
  if (!Number.isFinite(m) || m > 1e290 || (m !== 0 && m < 1e-290) || (m === 0 && inputsNonZero)) st.unreliable = true;
  return z;
}

/** Complex value of a scalar expression; throws NotNumeric for structures, text or infinity. */
export function numericValue(n: Node, st: NumericState): Complex {
  checkTime(st.budget);
  switch (n.k) {
    case 'num':
      return flagRange(C(R.toNumber(n.value)), st, n.value.n !== 0n);
    case 'base':
      return C(Number(baseValue(n.digits, n.base)));
    case 'sym': {
      const v = st.env.get(n.name);
      if (v === undefined) throw new NotNumeric(`no value for ${n.name}`);
      return C(v);
    }
    case 'const':
      if (n.name === 'pi') return C(Math.PI);
      if (n.name === 'e') return C(Math.E);
      if (n.name === 'i') return C(0, 1);
      throw new NotNumeric('infinity is not a number');
    case 'neg': {
      const a = numericValue(n.a, st);
      return C(-a.re, a.im === 0 ? 0 : -a.im);
    }
    case 'deg': {
      const a = numericValue(n.a, st);
      return cmul(a, C(Math.PI / 180));
    }
    case 'fact': {
      const a = numericValue(n.a, st);
      if (!isReal(a) || !Number.isInteger(a.re) || a.re < 0) throw new NotNumeric('factorial of a non-natural number');
      if (a.re > 170) {
        st.unreliable = true;
        return C(Infinity);
      }
      let r = 1;
      for (let k = 2; k <= a.re; k++) r *= k;
      return C(r);
    }
    case 'fn': {
      const a = numericValue(n.arg, st);
      const idx = n.index ? numericValue(n.index, st) : null;
      return flagRange(applyFn(n.name, a, idx), st, mag(a) !== 0);
    }
    case 'bin': {
      const a = numericValue(n.a, st);
      const b = numericValue(n.b, st);
      switch (n.op) {
        case '+':
        case '-': {
          st.scale = Math.max(st.scale, mag(a), mag(b));
          return n.op === '+' ? C(a.re + b.re, a.im + b.im) : C(a.re - b.re, a.im - b.im);
        }
        case '*':
          return flagRange(cmul(a, b), st, mag(a) !== 0 && mag(b) !== 0);
        case '/':
          if (mag(b) === 0) throw new NotNumeric('division by zero');
          return flagRange(cdiv(a, b), st, mag(a) !== 0);
        case '^':
          return flagRange(cpow(a, b), st, mag(a) !== 0);
      }
      throw new NotNumeric('bad operator');
    }
    default:
      throw new NotNumeric(`a ${n.k} is not a number`);
  }
}

export { LimitError };
