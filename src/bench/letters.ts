/**
 * The robust policy's reading of a choice letter, shared by the letter-answer benchmarks: a
 * letter standing alone after an answer cue, in the wrappers models use ("B", "b", "(B)", "**B**",
 * "$B$", "\boxed{B}", "\text{B}", "B." , "B)"), never the first letter of a word ("Because") nor
 * an article or pronoun ("a combination", "I think"); a last line that is only a letter; and
 * the full text of one option. Pure; linear in the input.
 */
import { letterIndex } from './choices.js';

export interface LetterRead {
  /** 0-based option index in the order shown. */
  index: number;
  rule: string;
}

// Openers a letter may sit in after the cue: spaces, markdown, $, \boxed{, \text{, (, [.
const OPENERS = /^(?:[\s*_`>]|\$|\\\(|\\\[|\\(?:boxed|text|textbf|textrm|mathrm|mathbf|mathbb)\s*\{|\(|\[|\{)*/;
const CLOSERS = /^(?:[\s*_`]|\$|\\\)|\\\]|\)|\]|\}|\.(?![A-Za-z0-9]))*/;

/**
 * The letter at the start of `segment` (the text after a cue), or null. A lowercase letter, or
 * A / I followed by a lowercase word, counts only when wrapped or alone (so "the answer is a
 * combination" and "the answer is I think" give nothing).
 */
export function letterAtStart(segment: string, nOptions: number): number | null {
  const open = OPENERS.exec(segment)![0];
  const rest = segment.slice(open.length);
  const m = /^([A-Za-z])/.exec(rest);
  if (!m) return null;
  const after = rest.slice(1);
  // Part of a word, a number or an identifier ("Because", "B12", "C-H", "A's").
  if (/^[A-Za-z0-9_]/.test(after) || /^['’-][A-Za-z0-9]/.test(after)) return null;
  const close = CLOSERS.exec(after)![0];
  const tail = after.slice(close.length);
  const wrapped = /[(\[{$*]|\\/.test(open) || /[)\]}$*]/.test(close);
  const alone = /^\s*(?:$|\n|[,;:!?]|\.(?:\s|$))/.test(tail) || tail.trim() === '';
  const letter = m[1]!;
  const risky = letter !== letter.toUpperCase() || letter === 'A' || letter === 'I';
  if (risky && !wrapped && !alone && /^\s+[a-z]/.test(after)) return null;
  if (letter !== letter.toUpperCase() && !wrapped && !alone) return null;
  const k = letterIndex(letter);
  return k >= 0 && k < nOptions ? k : null;
}

/** The answer cues of the robust policy: "answer:", "answer is", "**Answer:**", "final answer =". */
export const ANSWER_CUE = /\banswer\b[\s*_]*(?:is\b[\s*_]*[:：]?|[:：=])|\banswer\*\*[\s*_]*[:：]?/gi;

/** The letter after the last occurrence of a cue that is followed by one. */
export function lastCueLetter(text: string, cue: RegExp, nOptions: number): { index: number; at: number } | null {
  const re = new RegExp(cue.source, cue.flags.includes('g') ? cue.flags : `${cue.flags}g`);
  let found: { index: number; at: number } | null = null;
  for (const m of text.matchAll(re)) {
    const start = m.index! + m[0].length;
    const k = letterAtStart(text.slice(start, start + 80), nOptions);
    if (k !== null) found = { index: k, at: m.index! };
  }
  return found;
}

/** The last non-empty line when it is only a letter ("B", "(B)", "**B.**", "\boxed{B}"). */
export function loneLetterLine(text: string, nOptions: number): number | null {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const last = lines[lines.length - 1];
  if (last === undefined || last.length > 24) return null;
  const m = /^(?:[*_`>\s]|\$|\\\(|\\\[|\\(?:boxed|text|textbf)\s*\{|\(|\[)*([A-Za-z])(?:[*_`\s]|\$|\\\)|\\\]|\)|\]|\}|\.)*$/.exec(last);
  if (!m) return null;
  const k = letterIndex(m[1]!);
  return k >= 0 && k < nOptions ? k : null;
}

/** The last \boxed{X} whose content is a single letter. */
export function boxedLetter(text: string, nOptions: number): number | null {
  let found: number | null = null;
  for (const m of text.matchAll(/\\boxed\s*\{\s*(?:\\text(?:bf)?\s*\{\s*)?\(?\s*([A-Za-z])\s*\)?\s*\}?\s*\}/g)) {
    const k = letterIndex(m[1]!);
    if (k >= 0 && k < nOptions) found = k;
  }
  return found;
}

/** Option text as compared: lowercase words, LaTeX dollars, markdown and end punctuation dropped. */
export function normOption(s: string): string {
  return s
    .replace(/\$|\*\*|__|`/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s"'“”]+|[\s"'“”.,;:!]+$/g, '')
    .trim();
}

/**
 * The option whose full text `answer` gives: equal after normalisation, or the answer opening with
 * it and going on after a pause or a "because" ("Pick up onion from o0, because ..."); the longest
 * such option, and none when two equally long ones fit. A one-character option ("i") only matches
 * exactly.
 */
export function optionByText(answer: string, options: readonly string[]): number | null {
  const a = normOption(answer.replace(/^(?:option|choice)\s+/i, ''));
  if (a === '') return null;
  let best: number | null = null;
  let bestLen = -1;
  let tie = false;
  options.forEach((o, k) => {
    const t = normOption(o);
    if (t === '') return;
    const fits = a === t || (t.length > 1 && a.startsWith(t) && /^(?:\s*[,;:(—–.-]|\s+(?:because|since|as|so|which)\b)/.test(a.slice(t.length)));
    if (!fits) return;
    if (t.length > bestLen) {
      best = k;
      bestLen = t.length;
      tie = false;
    } else if (t.length === bestLen) tie = true;
  });
  return tie ? null : best;
}

/** A last line "C) Talk with her teacher": a choice label whose text agrees with that option's. */
export function labelledLine(text: string, options: readonly string[]): number | null {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const m = /^[*_\s]*\(?([A-Za-z])[).:][*_\s]+(.+)$/.exec(lines[lines.length - 1] ?? '');
  if (!m) return null;
  const k = letterIndex(m[1]!);
  if (k < 0 || k >= options.length) return null;
  const said = normOption(m[2]!);
  const opt = normOption(options[k]!);
  return said.length >= 3 && (opt.startsWith(said) || said.startsWith(opt)) ? k : null;
}

/** The text on the rest of the line after the last match of `cue`, or null. */
export function afterLastCue(text: string, cue: RegExp): string | null {
  const re = new RegExp(cue.source, cue.flags.includes('g') ? cue.flags : `${cue.flags}g`);
  let last: RegExpMatchArray | null = null;
  for (const m of text.matchAll(re)) last = m;
  if (!last) return null;
  const rest = text.slice(last.index! + last[0].length).replace(/^[\s*_]+/, '');
  return rest.split('\n')[0]!.trim();
}

/**
 * The robust reading shared by the letter benchmarks, after a benchmark's own format found
 * nothing: the answer cue's letter, a boxed letter, a lone letter line, then an option's full
 * text after the answer cue or as the last line.
 */
export function robustLetter(text: string, nOptions: number, options?: readonly string[]): LetterRead | null {
  const cue = lastCueLetter(text, ANSWER_CUE, nOptions);
  if (cue) return { index: cue.index, rule: 'answer-cue' };
  const boxed = boxedLetter(text, nOptions);
  if (boxed !== null) return { index: boxed, rule: 'boxed' };
  const lone = loneLetterLine(text, nOptions);
  if (lone !== null) return { index: lone, rule: 'lone-letter' };
  if (options && options.length > 0) {
    const after = afterLastCue(text, ANSWER_CUE);
    const byCue = after === null ? null : optionByText(after, options);
    if (byCue !== null) return { index: byCue, rule: 'option-text' };
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const lastLine = lines[lines.length - 1];
    const byLine = lastLine === undefined ? null : optionByText(lastLine, options);
    if (byLine !== null) return { index: byLine, rule: 'option-text' };
    const labelled = labelledLine(text, options);
    if (labelled !== null) return { index: labelled, rule: 'labelled-line' };
  }
  return null;
}
