/**
 * What every game's LLM side shares: a lettered list of legal moves, reading the move back out
 * of a reply, and quoting one agent's message to another as data.
 *
 * Reading a move follows LLM-Coordination's `find_best_match`
 * (eric-ai-lab/llm_coordination@586733a, src/agentic_evals/*_action_manager.py): the text after
 * the last `Action:`, then an exact or a contained match with a legal move. Departures, on purpose:
 *  - no fuzzy matching (fuzzywuzzy's extractOne) and never a random legal move when nothing
 *    matches: an unreadable reply is an invalid move, re-asked once and then forfeited, and the
 *    invalid-move rate is reported (LLM-Co's random fallback hides it);
 *  - a lone letter after `Action:` ("Action: B", "Action: (b)", "Action: **B.**") is read as
 *    that letter's move;
 *  - a reply naming two different legal moves after its last `Action:` is ambiguous, so invalid.
 */

/** Labels A, B, ..., Z, then AA, AB, ... (Hanabi can have more than 26 legal moves). */
export function moveLabel(i: number): string {
  const A = 65;
  return i < 26 ? String.fromCharCode(A + i) : String.fromCharCode(A + Math.floor(i / 26) - 1) + String.fromCharCode(A + (i % 26));
}

/** "A. Play card 0.\nB. Discard card 0." */
export function letteredList(moves: readonly string[]): string {
  return moves.map((m, i) => `${moveLabel(i)}. ${m}`).join('\n');
}

/** Longest reply text that is read at all: a hostile megabyte reply costs no more than this. */
export const MAX_READ_CHARS = 20_000;

function norm(s: string): string {
  return s
    .toLowerCase()
    .replace(/[*_`"'’“”]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export type MoveChoice = { ok: true; index: number } | { ok: false; error: string };

/**
 * The index of the legal move a reply chose. The reply is untrusted: only its last
 * `Action:` line (or, with `bare`, the whole reply when it has none) is read, and only
 * `MAX_READ_CHARS` of it.
 */
export function chooseMove(reply: string, moves: readonly string[], opts: { cue?: RegExp; bare?: boolean } = {}): MoveChoice {
  const text = reply.length > MAX_READ_CHARS ? reply.slice(-MAX_READ_CHARS) : reply;
  const cue = opts.cue ?? /action\s*:/gi;
  let last = -1;
  let m: RegExpExecArray | null;
  const re = new RegExp(cue.source, cue.flags.includes('g') ? cue.flags : cue.flags + 'g');
  while ((m = re.exec(text)) !== null) {
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  if (last < 0 && !opts.bare) return { ok: false, error: 'no "Action:" line found' };
  const after = (last < 0 ? text : text.slice(last)).split('\n').find((l) => l.trim() !== '') ?? '';
  const said = after.trim();
  if (said === '') return { ok: false, error: 'nothing after "Action:"' };
  // "B", "(b)", "**B.**", "B. Play card 0.", "B) play card 0": a label, alone or with its own move's text.
  const labelled = /^[\s*_`(\[]*([A-Za-z]{1,2})(?:[\s*_`)\].:]+(.*))?$/.exec(said);
  if (labelled) {
    const idx = moves.findIndex((_, i) => moveLabel(i) === labelled[1]!.toUpperCase());
    const rest = norm(labelled[2] ?? '');
    if (idx >= 0 && (rest === '' || rest === norm(moves[idx]!))) return { ok: true, index: idx };
    if (idx >= 0 && moves.some((mv) => norm(mv) === rest)) return { ok: false, error: `"${said.slice(0, 80)}": the letter and the move's text disagree` };
  }
  const n = norm(said);
  if (n === '') return { ok: false, error: `"${said.slice(0, 80)}" names no move` };
  const exact = moves.findIndex((mv) => norm(mv) === n);
  if (exact >= 0) return { ok: true, index: exact };
  const contained = moves.map((mv, i) => ({ i, t: norm(mv) })).filter((x) => x.t !== '' && ` ${n} `.includes(` ${x.t} `));
  // Several moves inside the reply: the longest wins only when the others are part of it ("reveal red" inside "reveal red cards").
  if (contained.length === 1) return { ok: true, index: contained[0]!.i };
  if (contained.length > 1) {
    contained.sort((a, b) => b.t.length - a.t.length);
    const top = contained[0]!;
    if (contained.every((c) => ` ${top.t} `.includes(` ${c.t} `))) return { ok: true, index: top.i };
    return { ok: false, error: `"${said.slice(0, 80)}" matches more than one legal move` };
  }
  return { ok: false, error: `"${said.slice(0, 80)}" is not one of the legal moves` };
}

export interface QuotedMessage {
  /** The text as the other agent is shown it. */
  text: string;
  words: number;
  /** True when the message was cut at the cap. */
  cut: boolean;
}

/** Whitespace-separated words. */
export function wordCount(text: string): number {
  const t = text.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/**
 * One agent's message as data for another: on one line, without the quote marks that delimit
 * it (so it cannot close its own quotation and speak as the harness), at most `maxWords` words
 * and `maxChars` characters.
 */
export function quoteMessage(raw: string, maxWords: number, maxChars = 400): QuotedMessage {
  let t = raw.length > MAX_READ_CHARS ? raw.slice(0, MAX_READ_CHARS) : raw;
  // eslint-disable-next-line no-control-regex
  t = t.replace(/[\u0000-\u001f\u007f"«»<>]/g, ' ').replace(/\s+/g, ' ').trim();
  const words = t === '' ? [] : t.split(' ');
  let cut = false;
  if (words.length > maxWords) {
    words.length = maxWords;
    cut = true;
  }
  let text = words.join(' ');
  if (text.length > maxChars) {
    text = text.slice(0, maxChars).trimEnd();
    cut = true;
  }
  return { text, words: wordCount(text), cut };
}

/** How a quoted message is shown inside a prompt: between guillemet-free double quotes, labelled as the other agent's words. */
export function showMessage(who: string, q: QuotedMessage): string {
  return `${who} said: "${q.text}"`;
}
