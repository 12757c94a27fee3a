/**
 * Finds the final answer in free text, in the order the reference harnesses use: the last
 * \boxed{} or \fbox{} (nested braces; neighbouring boxes joined as one list, also across a short
 * labelled connective: "\boxed{(3,3)} for part (a) and \boxed{(1,1)}"), then "final answer is
 * ...", then "answer: ..." / "the answer is ...", then the number a closing "Therefore ..."
 * sentence states after the working's last math, then the last math span, then the last number.
 * Reasoning before a closing </think> is skipped. Linear in the input.
 */
import { matchBrace } from './parse.js';

export interface AnswerExtraction {
  answer: string | null;
  /** 'boxed' | 'final-answer' | 'answer-is' | 'math-span' | 'last-number' | 'none' */
  rule: string;
}

export interface BoxSpan {
  content: string;
  start: number;
  end: number;
}

/** Every \boxed{...} / \fbox{...} (and "\boxed 5") in order; an unclosed last box runs to the end. */
export function findBoxed(s: string): BoxSpan[] {
  const re = /\\(?:boxed|fbox)\s*(\{|\s+(?=[^\s{]))/g;
  const out: BoxSpan[] = [];
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    if (m[1] === '{') {
      const open = m.index + m[0].length - 1;
      const end = matchBrace(s, open);
      if (end < 0) {
        out.push({ content: s.slice(open + 1), start: m.index, end: s.length });
        break;
      }
      out.push({ content: s.slice(open + 1, end - 1), start: m.index, end });
      re.lastIndex = end;
    } else {
      const rest = s.slice(m.index + m[0].length);
      const tok = /^[^\s$,]+?(?=[\s$,]|\.(?:\s|$)|$)/.exec(rest);
      if (tok) out.push({ content: tok[0], start: m.index, end: m.index + m[0].length + tok[0].length });
    }
  }
  return out;
}

export function lastBoxed(s: string): BoxSpan | null {
  const all = findBoxed(s);
  return all.length > 0 ? all[all.length - 1]! : null;
}

// What may sit between boxes that together give one answer: "\boxed{1}, \boxed{2} and \boxed{3}".
const BOX_GAP = /^(?:\s|,|;|\$|\\quad|\\qquad|\\text\{\s*(?:and|or|,)?\s*\}|\band\b|\bor\b|\\\(|\\\)|\\\[|\\\]|\\,|\\;)*$/;

/**
 * A short gap that labels the parts of one answer: a connective ("and", "or", a comma) among
 * at most a few words ("for part (a) and", "papers and", "\) and \( y_2 ="), no sentence end.
 */
function labelledGap(gap: string): boolean {
  const t = gap.replace(/\text\{([^{}]*)\}/g, ' $1 ').replace(/\\[()[\]]|\$|\\quad|\\qquad|\\[,;!]/g, ' ').replace(/\s+/g, ' ').trim();
  const revises = /\b(?:then|corrected|correct|correction|actually|wait|instead|but|not|no|rather|so|hence|thus|gives|becomes|is|was|are|were|equals|answer|final)\b/i;
  return t.length <= 30 && /(?:^|\s)(?:and|or)(?:\s|$)|[,;]/.test(t) && !/[.!?:](?:\s|$)/.test(t) && !revises.test(t);
}

/** The last box, joined with the boxes before it that together form the answer (see labelledGap). */
export function boxedAnswer(text: string): string | null {
  const boxes = findBoxed(text);
  if (boxes.length === 0) return null;
  const picked = [boxes[boxes.length - 1]!];
  for (let k = boxes.length - 2; k >= 0 && picked.length < 20; k--) {
    const gap = text.slice(boxes[k]!.end, picked[0]!.start);
    if (!BOX_GAP.test(gap) && !labelledGap(gap)) break;
    picked.unshift(boxes[k]!);
  }
  const contents = picked.map((b) => b.content.trim());
  // A model restating the same box ("\boxed{5} \boxed{5}") gives one answer, not a list.
  const distinct = contents.filter((c, i) => i === 0 || c !== contents[i - 1]);
  return distinct.length === 1 ? distinct[0]! : distinct.join(', ');
}

const MATH_SPAN = /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|(?<!\\)\$((?:\\\$|[^$])+?)(?<!\\)\$/g;

function mathSpans(s: string): string[] {
  return mathSpanList(s).map((x) => x.content);
}

function mathSpanList(s: string): BoxSpan[] {
  const out: BoxSpan[] = [];
  for (const m of s.matchAll(MATH_SPAN)) {
    const v = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim();
    if (v !== '') out.push({ content: v, start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

/** The last span joined with the spans before it that only connectives separate: "$1$, $2$ and $3$". */
function lastSpanGroup(s: string, spans: BoxSpan[]): string | null {
  if (spans.length === 0) return null;
  const picked = [spans[spans.length - 1]!];
  for (let k = spans.length - 2; k >= 0 && picked.length < 20; k--) {
    if (!BOX_GAP.test(s.slice(spans[k]!.end, picked[0]!.start))) break;
    picked.unshift(spans[k]!);
  }
  return picked.map((x) => x.content).join(', ');
}

/** The answer phrase after a cue: the first math span in it, else the text up to the sentence end. */
function afterCue(rest: string): string | null {
  const line = rest.split(/\n\s*\n/)[0]!.replace(/\s*I hope it is correct\.?[\s\S]*$/i, '').replace(/^(?:[\s:*'`]|\\?")+/, '');
  const boxed = boxedAnswer(line);
  if (boxed !== null) return boxed;
  const spans = mathSpans(line);
  if (spans.length > 0 && /^(?:\$|\\\(|\\\[)/.test(line)) {
    // "$12$ and $13$" is one answer list; "$5$. Next ..." is just $5$.
    const list = mathSpanList(line);
    let n = 1;
    while (n < list.length && BOX_GAP.test(line.slice(list[n - 1]!.end, list[n]!.start))) n++;
    return list.slice(0, n).map((x) => x.content).join(', ');
  }
  const sentence = line.split(/\n|(?<!\d)\.(?=\s|$)|\.\s/)[0]!;
  const t = sentence.replace(/^[\s:*]+|[\s*]+$/g, '').replace(/\.$/, '').trim();
  // "The volume of $ABCD$ is 120": in a prose sentence the answer is its last math or number.
  if (/[A-Za-z]{3,}/.test(t.replace(/\$[^$]*\$|\\[a-zA-Z]+/g, ' '))) {
    const inner = lastMathOrNumber(t);
    if (inner !== null) return inner;
  }
  if (t !== '') return t;
  return spans[0] ?? null;
}

/** Whichever comes last in s: a math span or a bare number outside math. */
function lastMathOrNumber(s: string): string | null {
  let best: { at: number; v: string } | null = null;
  for (const m of s.matchAll(MATH_SPAN)) {
    const v = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim();
    if (v !== '') best = { at: m.index!, v };
  }
  const outside = s.replace(MATH_SPAN, (x) => ' '.repeat(x.length));
  for (const m of outside.matchAll(NUMBER)) if (!best || m.index! > best.at) best = { at: m.index!, v: m[0].replace(/,$/, '') };
  return best ? best.v : null;
}

function lastCue(text: string, re: RegExp): string | null {
  let last: RegExpExecArray | null = null;
  for (const m of text.matchAll(re)) last = m as RegExpExecArray;
  if (!last) return null;
  return afterCue(text.slice(last.index! + last[0].length));
}

const CONCLUSION = /^(?:therefore|thus|hence|so|consequently|finally|in conclusion|in total|altogether|overall)\b/i;

/**
 * The number a closing sentence states ("Therefore, there are 12 such sequences."), when it
 * stands after the working's last math span, with its position; chat artefacts and "I hope it is
 * correct." ignored.
 */
function statedNumber(text: string): { value: string; at: number } | null {
  const body = text.replace(/<\|[^|]*\|>[\s\S]*$/, '').replace(/\s*I hope it is correct\.?\s*$/i, '').replace(/\s+$/, '');
  const starts = [0];
  // A sentence ends at . ! ? or after display math ($$...$$, \[...\]) when a capital follows.
  for (const m of body.matchAll(/(?:[.!?]|\$\$|\\\])\s+(?=[A-Z])/g)) starts.push(m.index! + m[0].length);
  for (const start of starts.slice(-2).reverse()) {
    const sentence = body.slice(start);
    if (!CONCLUSION.test(sentence)) continue;
    const outside = sentence.replace(MATH_SPAN, (x) => ' '.repeat(x.length));
    let last: RegExpMatchArray | null = null;
    for (const m of outside.matchAll(NUMBER)) last = m;
    if (last) return { value: last[0].replace(/,$/, ''), at: start + last.index! };
  }
  return null;
}

const FINAL_CUE = /final answer\s*(?:is|:|=)?\s*(?:\*\*)?\s*:?/gi;
const ANSWER_CUE = /(?:\banswer\s*(?:is|:|=)|\banswer\*\*\s*:?|\banswer\s*:\s*\*\*)\s*/gi;
const NUMBER = /(?<![A-Za-z_\d.])-?\d[\d,]*(?:\.\d+)?(?:\s*\/\s*\d+)?/g;

export function extractAnswer(response: string): AnswerExtraction {
  let text = response;
  const think = text.lastIndexOf('</think>');
  if (think >= 0 && text.slice(think + 8).trim() !== '') text = text.slice(think + 8);
  const boxes = findBoxed(text);
  if (boxes.length > 0) {
    // A "final answer is" statement after the last box overrides boxes of intermediate results.
    const tail = text.slice(boxes[boxes.length - 1]!.end);
    const late = FINAL_CUE.test(tail) ? lastCue(tail, FINAL_CUE) : null;
    FINAL_CUE.lastIndex = 0;
    // ...but only when it states something answer-like ("is correct." is not an answer).
    if (late && /[\d\\]/.test(late)) return { answer: late, rule: 'final-answer' };
    const boxed = boxedAnswer(text);
    if (boxed !== null && boxed.trim() !== '') return { answer: boxed.trim(), rule: 'boxed' };
  }
  const fin = lastCue(text, FINAL_CUE);
  if (fin) return { answer: fin, rule: 'final-answer' };
  const ans = lastCue(text, ANSWER_CUE);
  if (ans) return { answer: ans, rule: 'answer-is' };
  const spans = mathSpanList(text);
  const stated = statedNumber(text);
  if (stated && (spans.length === 0 || stated.at >= spans[spans.length - 1]!.end)) return { answer: stated.value, rule: 'stated-number' };
  const span = lastSpanGroup(text, spans);
  if (span !== null) return { answer: span, rule: 'math-span' };
  let lastNum: string | null = null;
  for (const m of text.matchAll(NUMBER)) lastNum = m[0];
  if (lastNum !== null) return { answer: lastNum.replace(/,$/, ''), rule: 'last-number' };
  return { answer: null, rule: 'none' };
}
