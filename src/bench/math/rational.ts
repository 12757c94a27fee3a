/**
 * Exact rationals on BigInt, always reduced with a positive denominator. Sizes are checked
 * against a bit budget so a huge power fails fast (LimitError) instead of allocating gigabytes.
 */
import { LimitError } from './limits.js';

export interface Rational {
  n: bigint;
  d: bigint;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

export function bitLength(x: bigint): number {
  return x === 0n ? 0 : abs(x).toString(16).length * 4;
}

export function rat(n: bigint, d: bigint = 1n, maxBits = Infinity): Rational {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  const r = g > 1n ? { n: n / g, d: d / g } : { n, d };
  if (maxBits !== Infinity && (bitLength(r.n) > maxBits || bitLength(r.d) > maxBits)) {
    throw new LimitError('exact number too large');
  }
  return r;
}

export const ZERO: Rational = { n: 0n, d: 1n };
export const ONE: Rational = { n: 1n, d: 1n };

export function add(a: Rational, b: Rational, maxBits = Infinity): Rational {
  return rat(a.n * b.d + b.n * a.d, a.d * b.d, maxBits);
}
export function sub(a: Rational, b: Rational, maxBits = Infinity): Rational {
  return rat(a.n * b.d - b.n * a.d, a.d * b.d, maxBits);
}
export function mul(a: Rational, b: Rational, maxBits = Infinity): Rational {
  return rat(a.n * b.n, a.d * b.d, maxBits);
}
export function div(a: Rational, b: Rational, maxBits = Infinity): Rational {
  if (b.n === 0n) throw new RangeError('division by zero');
  return rat(a.n * b.d, a.d * b.n, maxBits);
}
export function neg(a: Rational): Rational {
  return { n: -a.n, d: a.d };
}
export function eq(a: Rational, b: Rational): boolean {
  return a.n === b.n && a.d === b.d;
}
export function cmp(a: Rational, b: Rational): number {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
}
export function isInteger(a: Rational): boolean {
  return a.d === 1n;
}

/** a^k for an integer k, refusing results beyond maxBits before computing them. */
export function powInt(a: Rational, k: bigint, maxBits: number): Rational {
  if (k === 0n) return ONE;
  if (a.n === 0n) {
    if (k < 0n) throw new RangeError('division by zero');
    return ZERO;
  }
  const e = k < 0n ? -k : k;
  const size = Math.max(bitLength(a.n), bitLength(a.d));
  if (size > 1 && Number(e) * (size - 1) > maxBits) throw new LimitError('power too large');
  if (size <= 1 && abs(a.n) === 1n && a.d === 1n) {
    const sign = a.n < 0n && e % 2n === 1n ? -1n : 1n;
    return { n: sign, d: 1n };
  }
  const r = { n: a.n ** e, d: a.d ** e };
  return k < 0n ? rat(r.d, r.n) : rat(r.n, r.d);
}

/** Integer k-th root of a non-negative integer when it is exact, else null. */
export function exactRoot(x: bigint, k: number): bigint | null {
  if (x < 0n) return null;
  if (x < 2n) return x;
  const K = BigInt(k);
  // Newton's method from an over-estimate.
  let r = 1n << BigInt(Math.ceil(bitLength(x) / k) + 1);
  for (;;) {
    const next = ((K - 1n) * r + x / r ** (K - 1n)) / K;
    if (next >= r) break;
    r = next;
  }
  return r ** K === x ? r : null;
}

/** a^(p/q) when the result is rational (a perfect q-th power), else null. */
export function powRational(a: Rational, e: Rational, maxBits: number): Rational | null {
  if (e.d === 1n) return powInt(a, e.n, maxBits);
  if (e.d > 64n) return null;
  const q = Number(e.d);
  let n = a.n;
  let negative = false;
  if (n < 0n) {
    if (q % 2 === 0) return null;
    negative = true;
    n = -n;
  }
  const rn = exactRoot(n, q);
  const rd = exactRoot(a.d, q);
  if (rn === null || rd === null) return null;
  return powInt(rat(negative ? -rn : rn, rd), e.n, maxBits);
}

export function toNumber(a: Rational): number {
  const v = Number(a.n) / Number(a.d);
  if (Number.isFinite(v) && v !== 0) return v;
  if (a.n === 0n) return 0;
  // Scale both parts down so huge numerators and denominators still give a usable double.
  const shift = Math.max(bitLength(a.n), bitLength(a.d)) - 1000;
  if (shift <= 0) return v;
  const sn = a.n >> BigInt(Math.max(0, bitLength(a.n) - 60));
  const sd = a.d >> BigInt(Math.max(0, bitLength(a.d) - 60));
  const exp2 = Math.max(0, bitLength(a.n) - 60) - Math.max(0, bitLength(a.d) - 60);
  return (Number(sn) / Number(sd)) * Math.pow(2, exp2);
}

/** Parses a decimal literal such as "-12.50", ".5" or "3e-4" exactly. */
export function fromDecimal(text: string): Rational | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const frac = m[3] ?? '';
  let n = BigInt((m[2] || '0') + frac);
  let d = 10n ** BigInt(frac.length);
  if (m[4]) {
    const e = Number(m[4]);
    if (Math.abs(e) > 2000) return null;
    if (e >= 0) n *= 10n ** BigInt(e);
    else d *= 10n ** BigInt(-e);
  }
  if (m[1] === '-') n = -n;
  return rat(n, d);
}

export function toString(a: Rational): string {
  return a.d === 1n ? a.n.toString() : `${a.n}/${a.d}`;
}
