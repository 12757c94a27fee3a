/**
 * MATH-500 as the paper's group would score it: the same lab's Avengers evaluator
 * (ZhangYiqun018/Avengers evaluate/MATH500/math500.py @ 38e9aaa8 and base_evaluator.py
 * @ 61e6d719) with DeepScaleR's reward utilities, which Avengers imports as
 * evaluate/deepscaler_rm.py. That file is not in the code corpus; masa follows DeepScaleR's
 * deepscaler/rewards/math_utils/utils.py as copied at uiuc-kang-lab/deepscaler @ 60c89398.
 *
 * Behaviour for behaviour:
 * - extraction (extract_raw_answer): a response holding "Final Answer" and no "\boxed" is read
 *   by extract_normal_answer (the last "Answer: ..." line; a response of at most 10 characters
 *   is its own answer); every other response by DeepScaleR's extract_answer: the LAST "\boxed"
 *   (else "\fbox"), its braces matched from there, and only when it is literally "\boxed{...}"
 *   (so "\boxed 5" and "\fbox{5}" give nothing); no box, no answer;
 * - grading: grade_answer_mathd (Hendrycks' _strip_string normalisation, then string equality)
 *   OR grade_answer_sympy (prm800k's grader), an empty prediction always wrong.
 *
 * Where masa departs on purpose: Avengers votes over several samples (Counter.most_common of the
 * extracted strings); masa scores each trial and averages them (one trial by default) under both
 * policies. And because a TypeScript port cannot run them: grade_answer_sympy converts
 * LaTeX with pylatexenc and compares with sympy.simplify. masa keeps that grader's structure (its
 * string normalisation, tuple splitting with bracket checks, the rule that an integer gold needs
 * an integer prediction and an unreduced fraction must match as written, should_allow_eval's
 * limits) and compares each element with masa's own checker (equivalence.ts) where sympy would
 * simplify. Where sympy would fail to parse or time out (upstream: wrong), masa's checker may decide.
 */
import { checkEquivalence } from './equivalence.js';

// ---- extraction ----

/** DeepScaleR last_boxed_only_string: from the last \boxed (else \fbox) to its matching brace. */
export function lastBoxedOnlyString(s: string): string | null {
  let idx = s.lastIndexOf('\\boxed');
  if (idx < 0) {
    idx = s.lastIndexOf('\\fbox');
    if (idx < 0) return null;
  }
  let open = 0;
  for (let i = idx; i < s.length; i++) {
    if (s[i] === '{') open++;
    if (s[i] === '}') {
      open--;
      if (open === 0) return s.slice(idx, i + 1);
    }
  }
  return null;
}

/** DeepScaleR remove_boxed: the content of a literal "\boxed{...}", else null. */
export function removeBoxed(s: string | null): string | null {
  if (s === null || !s.startsWith('\\boxed{') || !s.endsWith('}')) return null;
  return s.slice('\\boxed{'.length, -1);
}

/** DeepScaleR extract_answer. */
export function deepscalerExtract(passage: string): string | null {
  return passage.includes('\\boxed') ? removeBoxed(lastBoxedOnlyString(passage)) : null;
}

/** Avengers BaseEvaluator.extract_boxed_content: the first \boxed{...}, braces counted. */
function firstBoxedContent(text: string): string {
  const start = text.indexOf('\\boxed{');
  if (start === -1) return '';
  let depth = 1;
  let out = '';
  for (const ch of text.slice(start + '\\boxed{'.length)) {
    if (ch === '{') depth++;
    else if (ch === '}') {
      depth--;
      if (depth === 0) break;
    }
    out += ch;
  }
  return out.trim();
}

/** Avengers BaseEvaluator.extract_normal_answer with MATH500's ANSWER_PATTERN. */
export function extractNormalAnswer(text: string): string {
  if (text.length <= 10 && !text.includes('Answer') && !text.includes('box')) return text.trimStart();
  const matches = [...text.matchAll(/Answer\s*:\s*([^\n]+)/gi)].map((m) => m[1]!);
  if (matches.length > 0) {
    let a = matches[matches.length - 1]!.trim();
    if (a.toLowerCase().startsWith('answer: ')) a = a.slice('answer:'.length).trim();
    return a;
  }
  const fin = /Final Answer\s\n+\s*([^\n]+)/i.exec(text);
  if (fin) return fin[1]!.trim();
  return firstBoxedContent(text);
}

/** Avengers MATH500Evaluator.extract_raw_answer for one response ('' = no answer). */
export function avengersExtract(response: string): { answer: string; rule: string } {
  if (response.includes('Final Answer') && !response.includes('\\boxed')) return { answer: extractNormalAnswer(response), rule: 'final-answer' };
  const a = deepscalerExtract(response);
  return a === null ? { answer: '', rule: 'none' } : { answer: a, rule: 'boxed' };
}

// ---- grade_answer_mathd: Hendrycks' _strip_string ----

function fixFracs(string: string): string {
  const substrs = string.split('\\frac');
  let out = substrs[0]!;
  for (const substr of substrs.slice(1)) {
    out += '\\frac';
    // Python's substr[0] raises on an empty piece ("...\\frac" at the end).
    if (substr.length === 0) throw new Error('index');
    if (substr[0] === '{') {
      out += substr;
      continue;
    }
    if (substr.length < 2) return string;
    const a = substr[0]!;
    const b = substr[1]!;
    if (b !== '{') out += `{${a}}{${b}}${substr.slice(2)}`;
    else out += `{${a}}${b}${substr.slice(2)}`;
  }
  return out;
}

function fixASlashB(string: string): string {
  const parts = string.split('/');
  if (parts.length !== 2) return string;
  const [a, b] = parts as [string, string];
  // Python's int() then the canonical "{}/{}" check: plain integers without leading zeros.
  const canon = (x: string): boolean => /^-?\d+$/.test(x) && String(BigInt(x)) === x;
  return canon(a) && canon(b) ? `\\frac{${a}}{${b}}` : string;
}

function removeRightUnits(string: string): string {
  if (!string.includes('\\text{ ')) return string;
  const splits = string.split('\\text{ ');
  if (splits.length !== 2) throw new Error('assert');
  return splits[0]!;
}

function fixSqrt(string: string): string {
  if (!string.includes('\\sqrt')) return string;
  const splits = string.split('\\sqrt');
  let out = splits[0]!;
  for (const split of splits.slice(1)) {
    if (split.length === 0) throw new Error('index');
    out += split[0] !== '{' ? `\\sqrt{${split[0]}}${split.slice(1)}` : `\\sqrt${split}`;
  }
  return out;
}

/** Hendrycks' _strip_string (throws where Python raises). */
export function stripString(input: string): string {
  let s = input.split('\n').join('');
  s = s.split('\\!').join('');
  s = s.split('\\\\').join('\\');
  s = s.split('tfrac').join('frac').split('dfrac').join('frac');
  s = s.split('\\left').join('').split('\\right').join('');
  s = s.split('^{\\circ}').join('').split('^\\circ').join('');
  s = s.split('\\$').join('');
  s = removeRightUnits(s);
  s = s.split('\\%').join('');
  s = s.split(' .').join(' 0.').split('{.').join('{0.');
  if (s.length === 0) return s;
  if (s[0] === '.') s = `0${s}`;
  const eq = s.split('=');
  if (eq.length === 2 && eq[0]!.length <= 2) s = eq[1]!;
  s = fixSqrt(s);
  s = s.split(' ').join('');
  s = fixFracs(s);
  if (s === '0.5') s = '\\frac{1}{2}';
  return fixASlashB(s);
}

/** DeepScaleR mathd_normalize_answer. */
export function mathdNormalize(answer: string): string {
  let a = answer.trim();
  const m = /^\\text\{(.+?)\}$/.exec(a);
  if (m) a = m[1]!.trim();
  try {
    return stripString(a);
  } catch {
    return a;
  }
}

export function gradeMathd(given: string, gold: string): boolean {
  return mathdNormalize(gold) === mathdNormalize(given);
}

// ---- grade_answer_sympy (prm800k), sympy replaced by masa's checker ----

const UNITS = ['degree', 'cm', 'centimeter', 'meter', 'mile', 'second', 'minute', 'hour', 'day', 'week', 'month', 'year', 'foot', 'feet', 'inch', 'yard'];

function isFloat(s: string): boolean {
  // Python float(): optional sign, digits with an optional point and exponent, inf/nan, surrounding spaces.
  return /^\s*[+-]?(?:\d+(?:_\d+)*(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?\s*$|^\s*[+-]?(?:inf(?:inity)?|nan)\s*$/i.test(s);
}

function stripProperCommas(expr: string): string {
  let e = expr;
  for (;;) {
    const next = e.replace(/(\d)(,)(\d\d\d)($|\D)/g, '$1$3$4');
    if (next === e) return next;
    e = next;
  }
}

function strIsInt(x: string): boolean {
  const y = stripProperCommas(x);
  if (!isFloat(y)) return false;
  const v = Number(y.replace(/_/g, ''));
  return Number.isFinite(v) && Math.abs(v - Math.round(v)) <= 1e-7;
}

function isFrac(expr: string): boolean {
  return /^-?[0-9]+.?\/0*[1-9][0-9]*.?$/.test(expr);
}

/** prm800k _normalize without its pylatexenc step (LaTeX spacing commands dropped instead). */
export function sympyNormalize(input: string): string {
  let expr = input;
  const m = /^\\text\{(.+?)\}$/.exec(expr);
  if (m) expr = m[1]!;
  expr = expr.split('\\%').join('%').split('\\$').join('$').split('$').join('').split('%').join('');
  expr = expr.split(' or ').join(' , ').split(' and ').join(' , ');
  expr = expr.split('million').join('*10^6').split('billion').join('*10^9').split('trillion').join('*10^12');
  for (const unit of UNITS) expr = expr.replace(new RegExp(`${unit}(es)?(s)? *(\\^[0-9]+)?`, 'g'), '');
  expr = expr.replace(/\^ *\\circ/g, '');
  if (expr.length > 0 && expr[0] === '{' && expr[expr.length - 1] === '}') expr = expr.slice(1, -1);
  expr = expr.replace(/,\\! */g, '');
  if (isFloat(expr) && strIsInt(expr)) expr = String(Math.round(Number(expr.replace(/_/g, ''))));
  // Stand-in for latex2text: the spacing and sizing commands it drops, and a fraction of two
  // integers written as it writes it ("2/4"), so the unreduced-fraction rule below applies.
  expr = expr.replace(/\\(?:left|right|displaystyle)\b|\\[!,;: ]/g, '').replace(/\\[dt]frac/g, '\\frac');
  expr = expr.replace(/\\frac\{\s*(-?\d+)\s*\}\{\s*(\d+)\s*\}/g, '$1/$2');
  expr = expr.replace(/- */g, '-');
  expr = expr.replace(/([0-9]) +([0-9])/g, '$1+$2');
  expr = expr.split(' ').join('');
  if (!expr.includes('\\')) expr = expr.split('{').join('').split('}').join('');
  expr = expr.toLowerCase();
  if (strIsInt(expr)) expr = String(Math.trunc(Number(stripProperCommas(expr).replace(/,/g, ''))));
  return expr;
}

function splitTuple(expr: string): string[] {
  const e = stripProperCommas(expr);
  if (e.length === 0) return [];
  const T = '()[]';
  if (e.length > 2 && T.includes(e[0]!) && T.includes(e[e.length - 1]!) && ![...e.slice(1, -1)].some((c) => T.includes(c))) {
    return e.slice(1, -1).split(',').map((x) => x.trim());
  }
  return [e];
}

/** should_allow_eval on the difference expression (exponents in braces counted as sympy would see them). */
function allowEval(expr: string): boolean {
  const plain = expr.replace(/\^\{([^{}]*)\}/g, '^$1');
  const letters = new Set([...plain.replace(/\\[a-zA-Z]+/g, (c) => (c === '\\pi' ? 'pi' : '')).replace(/sqrt|frac/g, '')].filter((c) => /\p{L}/u.test(c)));
  if (letters.size > 2) return false;
  if (plain.includes('^{') || plain.includes('^(')) return false;
  return !/\^[0-9]+\^/.test(plain) && !/\^[0-9][0-9]+/.test(plain);
}

export function gradeSympyStandIn(given: string, gold: string): boolean {
  const g = sympyNormalize(gold);
  const p = sympyNormalize(given);
  if (g === p) return true;
  if (p.length === 0) return false;
  const ge = splitTuple(g);
  const pe = splitTuple(p);
  if (ge.length > 1 && (g[0] !== p[0] || g[g.length - 1] !== p[p.length - 1])) return false;
  if (ge.length !== pe.length) return false;
  for (let i = 0; i < ge.length; i++) {
    const a = ge[i]!;
    const b = pe[i]!;
    let ok: boolean;
    if (isFrac(a) && isFrac(b)) ok = a === b;
    else if (strIsInt(a) !== strIsInt(b)) ok = false;
    else ok = allowEval(`(${a})-(${b})`) && checkEquivalence(b, a).verdict === 'equal';
    if (!ok) return false;
  }
  return true;
}

/** The upstream verdict for an extracted prediction against the gold answer. */
export function gradeUpstream(pred: string, goldAnswer: string): { correct: boolean; reason: string } {
  const gold = goldAnswer.includes('\\boxed') ? deepscalerExtract(goldAnswer) : goldAnswer;
  if (gold === null || pred === '') return { correct: false, reason: pred === '' ? 'empty prediction' : 'no gold' };
  if (gradeMathd(pred, gold)) return { correct: true, reason: 'grade_answer_mathd' };
  if (gradeSympyStandIn(pred, gold)) return { correct: true, reason: 'grade_answer_sympy (masa checker per element)' };
  return { correct: false, reason: 'neither grader matches' };
}
