/**
 * String-level clean-up of a LaTeX answer before parsing, in the spirit of the MATH authors'
 * `strip_string` but keeping meaning: delimiters, spacing macros, \left/\right, fraction
 * variants, thousands separators, degree and percent marks, dollar signs, unit words and
 * \text{...} units, trailing punctuation and "x \in" prefixes. What was removed that can
 * matter for the comparison (percent) is reported.
 */
import { boxedAnswer } from './extract.js';
import { matchBrace } from './parse.js';

export interface Normalized {
  /** The cleaned answer, ready for the parser. */
  text: string;
  /** The answer carried a percent sign or word (so value/100 is also a reading). */
  percent: boolean;
  /** A textual answer (a word or \text{...} on its own), lower-cased, for string comparison. */
  word: string | null;
}

const UNIT_WORDS = [
  'square units', 'sq units', 'cubic units', 'units', 'unit', 'square feet', 'square inches', 'square meters', 'square centimeters',
  'square miles', 'square yards', 'cubic feet', 'cubic inches', 'cubic centimeters', 'cubic meters', 'centimeters', 'centimetres',
  'millimeters', 'kilometers', 'meters', 'metres', 'meter', 'inches', 'inch', 'feet', 'foot', 'yards', 'yard', 'miles', 'mile',
  'mph', 'hours', 'hour', 'hrs', 'hr', 'minutes', 'minute', 'mins', 'min', 'seconds', 'second', 'secs', 'days', 'day', 'weeks',
  'week', 'months', 'month', 'years', 'year', 'cents', 'cent', 'dollars', 'dollar', 'degrees', 'degree', 'liters', 'litres',
  'liter', 'gallons', 'gallon', 'pounds', 'pound', 'lbs', 'lb', 'ounces', 'ounce', 'oz', 'grams', 'gram', 'kilograms', 'kg',
  'calories', 'people', 'students', 'ways', 'points', 'yuan', 'euros', 'cm', 'mm', 'km', 'ft', 'yd', 'in', 'm', 'g', 's',
  'sq ft', 'sq in', 'p.m.', 'a.m.', 'radians', 'rad', 'percent', 'percentage', 'pct', 'times', 'steps', 'handshakes', 'games',
  'books', 'coins', 'boxes', 'marbles', 'apples', 'eggs', 'balls', 'dogs', 'cats', 'cars', 'pages', 'tiles', 'cubes',
].sort((a, b) => b.length - a.length);

const UNIT_SET = new Set(UNIT_WORDS);
const esc = (w: string): string => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const UNIT_ALT = UNIT_WORDS.map(esc).join('|');
// A unit word after a space (or a long one glued to a number), optionally squared or cubed.
const TRAILING_UNIT = new RegExp(`(?:(?<=[\\s}])(?:${UNIT_ALT})|(?<=\\d)(?:${UNIT_WORDS.filter((w) => w.length >= 4).map(esc).join('|')}))(?:\\s*\\^\\s*\\{?\\s*[23]\\s*\\}?)?\\s*(?=$|,)`, 'gi');

function isUnitPhrase(content: string): boolean {
  const c = content.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\^\{?[23]\}?$/, '').replace(/\.$/, '');
  return UNIT_SET.has(c) || /^(square|sq|cubic) /.test(c) && UNIT_SET.has(c.replace(/^(square|sq|cubic) /, ''));
}

/** Rewrites each \text-like group with `f(content)`, leaving everything else. */
function mapTextGroups(s: string, f: (content: string, cmd: string) => string): string {
  const re = /\\(text|textbf|textnormal|textit|textrm|mbox|mathrm|hbox)\s*\{/g;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const open = m.index + m[0].length - 1;
    const end = matchBrace(s, open);
    if (end < 0) break;
    out += s.slice(last, m.index) + f(s.slice(open + 1, end - 1), m[1]!);
    last = end;
    re.lastIndex = end;
  }
  return out + s.slice(last);
}

function stripDelimiters(s: string): string {
  let t = s.trim();
  for (let k = 0; k < 3; k++) {
    const before = t;
    t = t.replace(/^\\\[([\s\S]*)\\\]$/, '$1').replace(/^\\\(([\s\S]*)\\\)$/, '$1').trim();
    t = t.replace(/^\$+([\s\S]*?)\$+$/, '$1').trim();
    if (t === before) break;
  }
  return t.replace(/(?<!\\)\$/g, ' ').trim();
}

export interface NormalizeOptions {
  /** A comma between digits that cannot separate thousands is a decimal point (option decimal_comma). */
  decimalComma?: boolean;
}

/**
 * With the decimal-comma option: "1,5", "0,111", "1000,99" are decimals; a comma followed by
 * exactly three digits after a non-zero group ("1,000") stays a thousands separator (ambiguous,
 * read as MATH writes it), and lists ("1,2,3", "1, 2") are left alone.
 */
export function decimalCommas(s: string): string {
  return s.replace(/(?<![\d,.])(\d+),(\d+)(?![\d,.])/g, (m, a: string, b: string) => (b.length === 3 && !/^0+$/.test(a) ? m : `${a}.${b}`));
}

export function normalizeAnswer(raw: string, opts: NormalizeOptions = {}): Normalized {
  let s = stripDelimiters(raw);
  // Several boxes that together form the answer are one answer, as extraction reads them.
  const boxed = boxedAnswer(s);
  if (boxed !== null) s = boxed;
  if (opts.decimalComma) s = decimalCommas(s);
  s = s.replace(/\\\\(?=[a-zA-Z])/g, '\\'); // doubled backslashes from over-escaped JSON
  s = s.replace(/\\(?:d|t|c)frac/g, '\\frac').replace(/\\(?:d|t)binom/g, '\\binom');
  s = s.replace(/\\(?:displaystyle|limits|mathrm\{\s*\}|bigl|bigr|Bigl|Bigr)/g, '');
  s = s.replace(/\\left\s*\./g, '').replace(/\\right\s*\./g, '');
  // Thousands separators: 10,\!080  14{,}916  1\,000.
  s = s.replace(/(\d)\s*(?:,\\!|\{\s*,\s*\}|,\\,|\\,)\s*(?=\d{3}(?!\d))/g, '$1');
  s = s.replace(/(?<!\\)\\[!,;: ]|~|\\quad|\\qquad/g, ' ');
  s = s.replace(/\\(?:le|ge)qslant/g, (m) => m.slice(0, 3));
  // Percent, in all its spellings.
  let percent = false;
  s = s.replace(/\\%|%|\\text\{\s*(?:percent|\\%|%)\s*\}|\bpercentage\b|\bpercent\b|\bpct\b/gi, () => {
    percent = true;
    return ' ';
  });
  s = s.replace(/\\\$|\\textdollar|€|£|\$/g, ' ');
  // Degrees: strip at top level, keep inside trig arguments (the parser converts them).
  if (!/\\(?:sin|cos|tan|cot|sec|csc)/.test(s)) {
    s = s.replace(/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\\circ|\\degree|°/g, ' ');
  }
  // \text groups: units vanish, connectives become commas, numbers unwrap, words stay.
  s = mapTextGroups(s, (content, cmd) => {
    const c = content.trim();
    if (c === '') return ' ';
    if (/^(and|or|,)$/i.test(c)) return ',';
    if (isUnitPhrase(c)) return ' ';
    if (cmd === 'mathrm' && /^[a-zA-Z]$/.test(c)) return `\\mathrm{${c}}`;
    return `\\text{${c}}`;
  });
  s = s.replace(/\s+/g, ' ').trim();
  // Connective words between list items.
  s = s.replace(/\s+(?:and|or)\s+/gi, ', ').replace(/,\s*(?:and|or)\s+/gi, ', ');
  s = s.replace(/(?<=[)\]}])\s*(?:and|or)\s*(?=[(\[{])/gi, ', ').replace(/,(?:\s*,)+/g, ',');
  // Trailing unit words (after a space or glued to a number when long): "10 square units", "10weeks".
  for (let k = 0; k < 3; k++) {
    const before = s;
    s = s.replace(TRAILING_UNIT, '').trim();
    s = s.replace(/\s\^\s*\{?\s*[23]\s*\}?\s*$/, '').trim();
    if (s === before) break;
  }
  s = s.replace(/[\s.,;]+$/, '').replace(/^[\s,;:]+/, '').trim();
  // Whole-answer thousands separators: 58,500  1,000.5  7,425,000  1 000.
  if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s) || /^[-+]?\d{1,3}( \d{3})+(\.\d+)?$/.test(s)) s = s.replace(/[, ]/g, '');
  // Mixed numbers written with a slash: "1 1/2".
  s = s.replace(/(^|[^\d.\w])(\d+)\s+(\d+)\s*\/\s*(\d+)(?![\d.])/g, '$1($2+$3/$4)');
  // A leading "≈" or "=" ("\approx 3.14", "= 5") introduces the value.
  s = s.replace(/^(?:\\approx|≈|=)\s*/, '');
  // "x \in [a,b]" states the answer set.
  s = s.replace(/^[a-zA-Z]\s*\\in\s*/, '');
  return { text: s, percent, word: wordAnswer(s) };
}

/** A textual answer: \text{...} on its own, a choice letter in parentheses, or a plain word. */
function wordAnswer(s: string): string | null {
  const t = /^\\text\{([^{}]*)\}$/.exec(s);
  if (t) return canonicalWord(t[1]!);
  if (/^\(?[A-Z]\)$/.test(s)) return canonicalWord(s);
  if (/^[A-Za-z]{3,}(?: [A-Za-z]+)*$/.test(s)) return canonicalWord(s);
  return null;
}

export function canonicalWord(s: string): string {
  return s
    .replace(/\\(?:text|textbf|textit|textnormal|mathrm|mathbf|mathit|mbox)\{([^{}]*)\}/g, '$1')
    .replace(/[()\s.]/g, '')
    .toLowerCase();
}
