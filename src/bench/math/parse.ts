/**
 * A LaTeX answer parser: tokenizer plus recursive descent to the tree in ast.ts. It covers
 * what final answers use (fractions, roots, powers, functions, factorials, implicit
 * products, mixed numbers, base numerals, tuples, intervals, sets, matrices, relations,
 * unions, ±) and throws ParseError on anything else, so the caller can say 'undecided'
 * rather than guess.
 */
import type { Node } from './ast.js';
import { fromDecimal, rat } from './rational.js';

export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParseError';
  }
}

type TokType = 'num' | 'letter' | 'cmd' | 'op' | 'text' | 'env';
interface Token {
  t: TokType;
  v: string;
  /** For env tokens: the body between \begin{..} and \end{..}. */
  body?: string;
  /** True when whitespace preceded the token (mixed numbers like "1 1/2"). */
  space?: boolean;
}

const TEXT_CMDS = new Set(['text', 'textbf', 'textnormal', 'textit', 'textrm', 'mbox', 'textsf', 'texttt', 'hbox']);
const FONT_CMDS = new Set(['mathrm', 'mathbf', 'mathit', 'mathsf', 'boldsymbol', 'bm', 'mathbb', 'mathcal', 'rm']);
const SKIP_CMDS = new Set(['left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'displaystyle', 'quad', 'qquad', 'limits', 'nolimits', 'middle']);

export const FUNCTIONS = new Set([
  'sin', 'cos', 'tan', 'cot', 'sec', 'csc', 'arcsin', 'arccos', 'arctan', 'arccot', 'arcsec', 'arccsc',
  'sinh', 'cosh', 'tanh', 'ln', 'log', 'lg', 'exp', 'sqrt', 'abs', 'sgn', 'floor', 'ceil',
]);

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa',
  'lambda', 'mu', 'nu', 'xi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Sigma', 'Phi', 'Psi', 'Omega',
]);

const CMD_OPS: Record<string, string> = {
  cdot: '*', times: '*', ast: '*', div: '/', le: '<=', leq: '<=', leqslant: '<=', ge: '>=', geq: '>=', geqslant: '>=',
  ne: '!=', neq: '!=', lt: '<', gt: '>', approx: 'approx', simeq: 'approx', equiv: '=', in: 'in', cup: 'cup', pm: 'pm', mp: 'mp',
  circ: 'circ', degree: 'circ', colon: ':', to: 'to', setminus: 'setminus', cap: 'cap',
  lbrace: '\\{', rbrace: '\\}', langle: '(', rangle: ')', lvert: '|', rvert: '|', vert: '|', mid: '|',
};

const UNICODE: Record<string, [TokType, string]> = {
  '−': ['op', '-'], '–': ['op', '-'], '×': ['op', '*'], '·': ['op', '*'], '÷': ['op', '/'], '≤': ['op', '<='], '≥': ['op', '>='],
  '≠': ['op', '!='], '≈': ['op', 'approx'], 'π': ['cmd', 'pi'], '∞': ['cmd', 'infty'], '√': ['cmd', 'sqrt'], '°': ['op', 'circ'],
  '∪': ['op', 'cup'], '±': ['op', 'pm'], '∈': ['op', 'in'],
};

/** Index just past the brace group starting at s[i] === '{', or -1. */
export function matchBrace(s: string, i: number): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

export function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let space = false;
  const push = (t: TokType, v: string, extra: Partial<Token> = {}): void => {
    out.push({ t, v, space, ...extra });
    space = false;
  };
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c) || c === '~' || c === '$') {
      space = true;
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(s[i + 1] ?? ''))) {
      const m = /^\d*\.?\d+|^\d+/.exec(s.slice(i))!;
      push('num', m[0]);
      i += m[0].length;
      continue;
    }
    if (/[a-zA-Z]/.test(c)) {
      push('letter', c);
      i++;
      continue;
    }
    if (c === '\\') {
      const m = /^[a-zA-Z]+/.exec(s.slice(i + 1));
      if (!m) {
        const nx = s[i + 1] ?? '';
        i += 2;
        if (nx === '{' || nx === '}') push('op', '\\' + nx);
        else if (nx === '\\') push('op', 'rowsep');
        else if (nx === '%') push('op', '%');
        else if (nx === '|') push('op', '|');
        else space = true; // \, \! \; \: \  \$ and similar spacing or escapes
        continue;
      }
      const name = m[0];
      i += 1 + name.length;
      if (TEXT_CMDS.has(name) || FONT_CMDS.has(name) || name === 'operatorname') {
        while (s[i] === ' ') i++;
        if (s[i] !== '{') {
          if (FONT_CMDS.has(name)) continue; // \rm x: a font switch, no group
          throw new ParseError(`\\${name} without a {group}`);
        }
        const end = matchBrace(s, i);
        if (end < 0) throw new ParseError('unbalanced braces');
        const content = s.slice(i + 1, end - 1);
        i = end;
        if (name === 'operatorname') push('cmd', content.trim());
        else if (FONT_CMDS.has(name)) {
          const t = content.trim();
          if (t === 'e') push('cmd', 'eulere');
          else if (/^[a-zA-Z]$/.test(t)) push('letter', t);
          else out.push(...tokenize(content).map((x, k) => (k === 0 ? { ...x, space } : x)));
        } else push('text', content);
        continue;
      }
      if (name === 'begin') {
        const nm = /^\{([a-zA-Z*]+)\}/.exec(s.slice(i));
        if (!nm) throw new ParseError('\\begin without an environment name');
        const env = nm[1]!;
        const startBody = i + nm[0].length;
        const endTag = `\\end{${env}}`;
        const beginTag = `\\begin{${env}}`;
        let depth = 1;
        let j = startBody;
        while (depth > 0) {
          const nb = s.indexOf(beginTag, j);
          const ne = s.indexOf(endTag, j);
          if (ne < 0) throw new ParseError(`\\begin{${env}} without \\end`);
          if (nb >= 0 && nb < ne) {
            depth++;
            j = nb + beginTag.length;
          } else {
            depth--;
            j = ne + endTag.length;
          }
        }
        let body = s.slice(startBody, j - endTag.length);
        if (env === 'array') body = body.replace(/^\s*\{[^{}]*\}/, ''); // column spec
        push('env', env, { body });
        i = j;
        continue;
      }
      if (SKIP_CMDS.has(name)) {
        space = true;
        continue;
      }
      if (name in CMD_OPS) {
        push('op', CMD_OPS[name]!);
        continue;
      }
      push('cmd', name);
      continue;
    }
    const two = s.slice(i, i + 2);
    if (two === '<=' || two === '>=' || two === '!=' || two === '=<' || two === '=>') {
      push('op', two === '=<' ? '<=' : two === '=>' ? '>=' : two);
      i += 2;
      continue;
    }
    if (c in UNICODE) {
      const [t, v] = UNICODE[c]!;
      push(t, v);
      i++;
      continue;
    }
    if ('+-*/^_()[]{},|!=<>&:;\''.includes(c)) {
      push('op', c === ';' ? ',' : c);
      i++;
      continue;
    }
    throw new ParseError(`unexpected character '${c}'`);
  }
  return out;
}

const REL_OPS = new Set(['=', '<', '>', '<=', '>=', '!=', 'in', 'approx']);
const CLOSERS = new Set([')', ']', '}', '\\}', '|', 'rowsep', '&', ',', 'cup', ':']);

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  peek(o = 0): Token | undefined {
    return this.toks[this.pos + o];
  }
  isOp(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t !== undefined && t.t === 'op' && t.v === v;
  }
  next(): Token {
    const t = this.toks[this.pos++];
    if (!t) throw new ParseError('unexpected end of input');
    return t;
  }
  expectOp(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw new ParseError(`expected '${v}', found '${t.v}'`);
  }
  atEnd(): boolean {
    return this.pos >= this.toks.length;
  }

  /** Whole input: a comma list of items, or a single item. */
  parseTop(): Node {
    const items = this.parseItems();
    if (!this.atEnd()) throw new ParseError(`unexpected '${this.peek()!.v}'`);
    return items.length === 1 ? items[0]! : { k: 'list', items };
  }

  parseItems(): Node[] {
    const items = [this.parseRelation()];
    while (this.isOp(',')) {
      this.next();
      items.push(this.parseRelation());
    }
    return items;
  }

  parseRelation(): Node {
    const parts = [this.parseUnion()];
    const ops: string[] = [];
    for (;;) {
      const t = this.peek();
      if (!t || t.t !== 'op' || !(REL_OPS.has(t.v) || t.v === ':')) break;
      this.next();
      ops.push(t.v);
      parts.push(this.parseUnion());
    }
    return ops.length === 0 ? parts[0]! : { k: 'rel', ops, parts };
  }

  parseUnion(): Node {
    const items = [this.parseExpr()];
    while (this.isOp('cup')) {
      this.next();
      items.push(this.parseExpr());
    }
    return items.length === 1 ? items[0]! : { k: 'union', items };
  }

  parseExpr(): Node {
    let left: Node | null = null;
    // A leading ± (e.g. "\pm 2") applies to the first term.
    if (this.isOp('pm') || this.isOp('mp')) {
      const mp = this.next().v === 'mp';
      left = { k: 'pm', a: null, b: this.parseTerm(), mp };
    } else left = this.parseTerm();
    for (;;) {
      const t = this.peek();
      if (!t || t.t !== 'op') break;
      if (t.v === '+' || t.v === '-') {
        this.next();
        left = { k: 'bin', op: t.v, a: left, b: this.parseTerm() };
      } else if (t.v === 'pm' || t.v === 'mp') {
        this.next();
        left = { k: 'pm', a: left, b: this.parseTerm(), mp: t.v === 'mp' };
      } else break;
    }
    return left;
  }

  parseTerm(): Node {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if (t.t === 'op' && (t.v === '*' || t.v === '/')) {
        this.next();
        left = { k: 'bin', op: t.v, a: left, b: this.parseUnary() };
        continue;
      }
      if (this.startsPrimary(t)) {
        const right = this.parsePower();
        const mixed = mixedNumber(left, right, t);
        left = mixed ?? { k: 'bin', op: '*', a: left, b: right };
        continue;
      }
      break;
    }
    return left;
  }

  startsPrimary(t: Token): boolean {
    if (t.t === 'num' || t.t === 'letter' || t.t === 'env' || t.t === 'text') return true;
    if (t.t === 'cmd') return true;
    if (t.t === 'op') return t.v === '(' || t.v === '{' || t.v === '\\{';
    return false;
  }

  parseUnary(): Node {
    if (this.isOp('-')) {
      this.next();
      return { k: 'neg', a: this.parseUnary() };
    }
    if (this.isOp('+')) {
      this.next();
      return this.parseUnary();
    }
    return this.parsePower();
  }

  parsePower(): Node {
    const base = this.parsePostfix(this.parsePrimary());
    if (this.isOp('^')) {
      this.next();
      if (this.isOp('circ') || (this.peek()?.t === 'cmd' && this.peek()!.v === 'circ')) {
        this.next();
        return this.parsePostfix({ k: 'deg', a: base });
      }
      if (this.isOp('{') && this.isOp('circ', 1) && this.isOp('}', 2)) {
        this.pos += 3;
        return this.parsePostfix({ k: 'deg', a: base });
      }
      let exp: Node;
      if (this.isOp('-')) {
        this.next();
        exp = { k: 'neg', a: this.parseArg() };
      } else exp = this.parseArg();
      return { k: 'bin', op: '^', a: base, b: exp };
    }
    return base;
  }

  parsePostfix(n: Node): Node {
    for (;;) {
      if (this.isOp('!') && !this.isOp('=', 1)) {
        this.next();
        n = { k: 'fact', a: n };
      } else if (this.isOp('circ')) {
        this.next();
        n = { k: 'deg', a: n };
      } else if (this.isOp('%')) {
        this.next();
        n = { k: 'bin', op: '/', a: n, b: { k: 'num', value: rat(100n), text: '100' } };
      } else break;
    }
    return n;
  }

  /** A LaTeX macro argument: a {group}, one digit of a numeral, a letter or a command. */
  parseArg(): Node {
    const t = this.peek();
    if (!t) throw new ParseError('missing argument');
    if (t.t === 'op' && t.v === '{') {
      this.next();
      const e = this.parseItemsUntil('}');
      return e;
    }
    if (t.t === 'num') {
      if (t.v.length > 1 && !t.v.includes('.')) {
        this.toks[this.pos] = { t: 'num', v: t.v.slice(1) };
        return num(t.v[0]!);
      }
      this.next();
      return num(t.v);
    }
    if (t.t === 'letter') {
      this.next();
      return { k: 'sym', name: t.v };
    }
    if (t.t === 'cmd') return this.parsePrimary();
    if (t.t === 'op' && t.v === '(') return this.parsePrimary();
    throw new ParseError(`bad argument '${t.v}'`);
  }

  parseItemsUntil(close: string): Node {
    const items = this.parseItems();
    this.expectOp(close);
    return items.length === 1 ? items[0]! : { k: 'list', items };
  }

  parsePrimary(): Node {
    const t = this.next();
    switch (t.t) {
      case 'num': {
        // Base subscript: 4210_5, 52_{8}.
        if (this.isOp('_')) {
          this.next();
          const b = this.parseArg();
          if (b.k !== 'num' || !/^\d+$/.test(b.text)) throw new ParseError('bad base subscript');
          const base = Number(b.text);
          if (base < 2 || base > 36 || !/^\d+$/.test(t.v)) throw new ParseError('bad base numeral');
          if (base === 10) return num(t.v);
          return { k: 'base', digits: t.v, base };
        }
        return num(t.v);
      }
      case 'letter': {
        let name = t.v;
        if (this.isOp('_')) {
          this.next();
          name += '_' + subscriptText(this.parseArg());
        }
        if (name === 'i') return { k: 'const', name: 'i' };
        // In competition answers a bare e is Euler's number (e^2, \ln e), not a variable.
        if (name === 'e') return { k: 'const', name: 'e' };
        return { k: 'sym', name };
      }
      case 'text':
        return { k: 'text', value: t.v };
      case 'env':
        return parseEnv(t.v, t.body ?? '');
      case 'op':
        return this.parseBracketed(t.v);
      case 'cmd':
        return this.parseCommand(t.v);
    }
  }

  parseBracketed(open: string): Node {
    if (open === '(' || open === '[') {
      const items = this.parseItems();
      const close = this.next();
      if (close.t !== 'op' || (close.v !== ')' && close.v !== ']')) throw new ParseError(`unclosed '${open}'`);
      if (items.length === 1 && open === '(' && close.v === ')') return items[0]!;
      if (items.length === 1 && open === '[' && close.v === ']') return items[0]!;
      return { k: 'tuple', open, close: close.v, items };
    }
    if (open === '{') {
      const items = this.parseItems();
      this.expectOp('}');
      return items.length === 1 ? items[0]! : { k: 'set', items };
    }
    if (open === '\\{') {
      const items = this.parseItems();
      this.expectOp('\\}');
      return { k: 'set', items };
    }
    if (open === '|') {
      const e = this.parseExpr();
      this.expectOp('|');
      return { k: 'fn', name: 'abs', arg: e };
    }
    throw new ParseError(`unexpected '${open}'`);
  }

  parseCommand(name: string): Node {
    switch (name) {
      case 'frac':
      case 'dfrac':
      case 'tfrac':
      case 'cfrac': {
        const a = this.parseArg();
        const b = this.parseArg();
        return { k: 'bin', op: '/', a, b };
      }
      case 'binom':
      case 'dbinom':
      case 'tbinom': {
        const a = this.parseArg();
        const b = this.parseArg();
        return { k: 'fn', name: 'binom', arg: a, index: b };
      }
      case 'sqrt': {
        let index: Node | undefined;
        if (this.isOp('[')) {
          this.next();
          index = this.parseExpr();
          this.expectOp(']');
        }
        const arg = this.parseArg();
        return index ? { k: 'fn', name: 'root', arg, index } : { k: 'fn', name: 'sqrt', arg };
      }
      case 'pi':
        return { k: 'const', name: 'pi' };
      case 'infty':
      case 'infin':
        return { k: 'const', name: 'inf' };
      case 'eulere':
        return { k: 'const', name: 'e' };
      case 'imath':
        return { k: 'const', name: 'i' };
      default:
        break;
    }
    if (GREEK.has(name)) {
      let n = name.replace(/^var/, '');
      if (this.isOp('_')) {
        this.next();
        n += '_' + subscriptText(this.parseArg());
      }
      return { k: 'sym', name: n };
    }
    if (FUNCTIONS.has(name) || name === 'lcm' || name === 'gcd') return this.parseFunction(name);
    throw new ParseError(`unsupported command \\${name}`);
  }

  parseFunction(name: string): Node {
    let power: Node | null = null;
    let index: Node | undefined;
    if (this.isOp('_')) {
      this.next();
      index = this.parseArg();
    }
    if (this.isOp('^')) {
      this.next();
      if (this.isOp('-')) {
        this.next();
        power = { k: 'neg', a: this.parseArg() };
      } else power = this.parseArg();
    }
    let arg: Node;
    if (this.isOp('(')) {
      this.next();
      arg = this.parseItemsUntil(')');
    } else {
      // \sin 2x: the argument runs over an implicit product of powers.
      arg = this.parsePower();
      for (;;) {
        const t = this.peek();
        if (!t || !this.startsPrimary(t) || (t.t === 'cmd' && FUNCTIONS.has(t.v))) break;
        arg = { k: 'bin', op: '*', a: arg, b: this.parsePower() };
      }
    }
    if (power && power.k === 'neg' && power.a.k === 'num' && power.a.text === '1' && /^(sin|cos|tan|cot|sec|csc)$/.test(name)) {
      return { k: 'fn', name: 'arc' + name, arg };
    }
    const f: Node = { k: 'fn', name, arg, ...(index ? { index } : {}) };
    return power ? { k: 'bin', op: '^', a: f, b: power } : f;
  }
}

function num(text: string): Node {
  const value = fromDecimal(text);
  if (!value) throw new ParseError(`bad number '${text}'`);
  return { k: 'num', value, text };
}

function subscriptText(n: Node): string {
  if (n.k === 'num') return n.text;
  if (n.k === 'sym') return n.name;
  if (n.k === 'bin' && n.op === '*') return subscriptText(n.a) + subscriptText(n.b);
  throw new ParseError('unsupported subscript');
}

function isIntLiteral(n: Node): n is Extract<Node, { k: 'num' }> {
  return n.k === 'num' && /^\d+$/.test(n.text);
}

/** "2\frac34" and "1 1/2" are mixed numbers (2 + 3/4), not products, in MATH answers. */
function mixedNumber(left: Node, right: Node, startTok: Token): Node | null {
  const whole = left.k === 'neg' ? left.a : left;
  if (!isIntLiteral(whole)) return null;
  if (right.k !== 'bin' || right.op !== '/' || !isIntLiteral(right.a) || !isIntLiteral(right.b)) return null;
  if (startTok.t === 'num' && !startTok.space) return null;
  const sum: Node = { k: 'bin', op: '+', a: whole, b: right };
  return left.k === 'neg' ? { k: 'neg', a: sum } : sum;
}

function parseEnv(env: string, body: string): Node {
  const name = env.replace(/\*$/, '');
  const matrixEnvs = ['pmatrix', 'bmatrix', 'Bmatrix', 'matrix', 'array', 'smallmatrix', 'vmatrix', 'Vmatrix'];
  if (!matrixEnvs.includes(name) && name !== 'cases' && name !== 'align' && name !== 'aligned') {
    throw new ParseError(`unsupported environment ${env}`);
  }
  const rows = body
    .split(/\\\\/)
    .map((r) => r.replace(/\\hline/g, '').trim())
    .filter((r) => r !== '');
  const cells = rows.map((r) => r.split('&').map((c) => parseLatex(c.trim() === '' ? '0' : c)));
  if (name === 'cases' || name === 'align' || name === 'aligned') {
    return { k: 'list', items: cells.map((r) => (r.length === 1 ? r[0]! : { k: 'list', items: r })) };
  }
  if (name === 'vmatrix' || name === 'Vmatrix') throw new ParseError('determinant notation unsupported');
  const width = cells[0]?.length ?? 0;
  if (width === 0 || cells.some((r) => r.length !== width)) throw new ParseError('ragged matrix');
  return { k: 'matrix', rows: cells };
}

/** Parses a normalised LaTeX answer; throws ParseError when it cannot. */
export function parseLatex(s: string): Node {
  const toks = tokenize(s);
  if (toks.length === 0) throw new ParseError('empty answer');
  return new Parser(toks).parseTop();
}

export { CLOSERS };
