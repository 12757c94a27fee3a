/**
 * CoordinationQA (Agashe et al., LLM-Coordination, arXiv:2310.03903): 66 game scenarios
 * (Hanabi, Overcooked, Collab Capture/Escape) x 3 questions: Environment Comprehension (EC),
 * Theory of Mind (TOM) and Joint Planning (JP) = 198 items, read from the ORIGINAL
 * single_turn_trials.csv. Run as upstream src/reasoning_evals/main.py (@ 0ef4fc81, the file's last
 * change before HEAD 586733a3): the OpenAI message layout, sampling at temperature 0.6 /
 * top_p 0.9, 3 trials averaged.
 *
 * Extraction policy 'upstream' is main.py's find_answer_fuzzy and its scoring, behaviour for
 * behaviour: the text after the first "Action:" (else "Answer:"; `\s*` may cross a newline, then
 * the rest of that line), else the whole response; the first `([A-Z])[.)]` in it; else the option
 * of upstream's own list that fuzzywuzzy's extractOne (WRatio) ranks first. That list is every
 * non-empty line after "available actions:"/"available answers:" of the lower-cased question, so
 * the seven questions whose marker line ends in two spaces get a blank first option and their
 * fuzzy letters shift by one; an empty answer matches option A (all scores 0, first wins); a
 * failure scores wrong. A reply ending "Answer: B" (no full stop) therefore goes to the fuzzy
 * matcher, which compares "b" with the option texts. The letter counts when it is in the gold cell
 * split at "," without trimming, so in "D, F" only D scores. masa's WRatio is its own port
 * (python-Levenshtein's ratio; partial_ratio slides windows at word starts instead of using
 * matching blocks, so rare near-ties may rank differently).
 *
 * Policy 'robust' (masa's reading) departs from upstream as follows:
 * - the LAST "Answer:"/"Action:" cue wins (any case, markdown around it); the letter after it counts
 *   with or without a full stop or bracket, in any case, wrapped in "**", "$" or brackets, within
 *   the item's options; then the option whose full text follows the cue;
 * - without a cue: "the answer is B", a boxed letter, a last line that is only a letter, or an
 *   option's full text as the last line, or a last line "B) <that option's text>";
 * - no fuzzy matching, no letter out of prose (upstream takes the first capital followed by "."),
 *   no default option A for an empty answer;
 * - gold letters are trimmed ("D, F" accepts F).
 *
 * Two EC gold letters point past their option lists (rows 50 and 56, 0-based). By default they
 * are kept as upstream has them: only a reply naming that non-existent letter scores (under the
 * robust policy, which reads only letters within the options, never), so a model that picks the
 * right option text is marked wrong. They are listed in each affected item's `issue` (which
 * `masa eval` and `masa score` report), as are the six questions whose printed option letters skip
 * or repeat. Option `fixGold: true` instead takes the option whose text equals the stored answer text.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../core/csv.js';
import { MasaError } from '../core/errors.js';
import { letterAt, letterIndex } from './choices.js';
import { letterAtStart, optionByText, robustLetter } from './letters.js';
import type { Benchmark, ChatMessage, Extraction, ExtractionPolicy, GenerationHints, Item, TrialScore } from './types.js';

export type CoordType = 'EC' | 'TOM' | 'JP';
export const COORD_TYPES: readonly CoordType[] = ['EC', 'TOM', 'JP'];

export interface CoordinationQaOptions {
  /** Question types to include; the paper does not say whether it used all 198 or only JP. */
  types: CoordType[];
  trials: number;
  /** Re-derive out-of-range gold letters from the stored answer text (default false = upstream). */
  fixGold: boolean;
}

export interface CoordinationQaItem extends Item {
  /** 0-based data row of the CSV (the derived file's scenario_index). */
  row: number;
  type: CoordType;
  game: string;
  concept: string;
  map: string;
  directive: string;
  gameDescription: string;
  /** The question as upstream sends it, options included. */
  question: string;
  /** Option texts in order, without their "A. " labels. */
  options: string[];
  /** Accepted gold letters (trimmed). */
  gold: string[];
  /** The gold cell as stored ("D, F"): upstream splits it at "," without trimming. */
  goldRaw: string;
  answerText: string;
}

export interface CoordinationQaIssue {
  id: string;
  source: string;
  message: string;
}

export const COORDINATIONQA_DEFAULTS: CoordinationQaOptions = { types: ['EC', 'TOM', 'JP'], trials: 3, fixGold: false };

const REQUIRED = ['Game Description', 'Game', 'Map', 'Concept'];
const COLUMNS: Record<CoordType, { question: string; answer: string; ordinal: string; directive: string }> = {
  EC: { question: 'EC Question', answer: 'EC Answer', ordinal: 'EC Answer Ordinal', directive: 'EC Directive' },
  TOM: { question: 'TOM Question', answer: 'TOM Answer', ordinal: 'TOM Answer Ordinal', directive: 'TOM Directive' },
  JP: { question: 'JP Question', answer: 'JP Answer', ordinal: 'JP Answer Ordinal', directive: 'JP Directive' },
};

/**
 * Option texts listed after "Available Actions:" / "Available Answers:" as "A. ..." lines, in
 * order. Upstream's fuzzy matcher letters options by position, so a mislabelled line (six
 * upstream questions skip or repeat a letter) still counts as the next option; `labels` keeps
 * what was printed, and the loader reports the mismatch. Gold letters stay as stored.
 */
export function parseOptions(question: string): { options: string[]; labels: string[] } {
  const m = /available (?:actions|answers)\s*:/i.exec(question);
  const options: string[] = [];
  const labels: string[] = [];
  if (!m) return { options, labels };
  for (const raw of question.slice(m.index + m[0].length).split('\n')) {
    const opt = /^([A-Z])\.\s*(.*)$/.exec(raw.trim());
    if (!opt) continue;
    labels.push(opt[1]!);
    options.push(opt[2]!.trim());
  }
  return { options, labels };
}

function normText(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

export function parseCoordinationQaCsv(
  text: string,
  file: string,
  options: Pick<CoordinationQaOptions, 'fixGold'> = COORDINATIONQA_DEFAULTS,
): { items: CoordinationQaItem[]; issues: CoordinationQaIssue[] } {
  const rows = parseCsv(text, file);
  const header = rows.length ? Object.keys(rows[0]!.record) : [];
  const need = [...REQUIRED, ...COORD_TYPES.flatMap((t) => Object.values(COLUMNS[t]))];
  const missing = need.filter((c) => rows.length && !header.includes(c));
  if (rows.length === 0) throw new MasaError(`${file}: no scenario rows`);
  if (missing.length) throw new MasaError(`${file}: missing column(s) ${missing.join(', ')}`);
  const items: CoordinationQaItem[] = [];
  const issues: CoordinationQaIssue[] = [];
  rows.forEach(({ line, record: r }, row) => {
    for (const type of COORD_TYPES) {
      const cols = COLUMNS[type];
      const where = `${file}:${line}`;
      const id = `${row}-${type}`;
      const question = r[cols.question]!;
      const { options: opts, labels } = parseOptions(question);
      const misplaced = labels.findIndex((l, k) => l !== letterAt(k));
      if (misplaced >= 0) {
        issues.push({
          id,
          source: where,
          message: `option ${misplaced + 1} is labelled ${labels[misplaced]}, not ${letterAt(misplaced)}; options are lettered by position, as upstream's matcher does`,
        });
      }
      if (opts.length < 2) throw new MasaError(`${where}: ${cols.question} of row ${row} lists fewer than 2 lettered options`);
      let gold = r[cols.ordinal]!.split(',').map((g) => g.trim().toUpperCase()).filter((g) => g !== '');
      if (gold.length === 0 || gold.some((g) => letterIndex(g) < 0)) {
        throw new MasaError(`${where}: ${cols.ordinal} of row ${row} is '${r[cols.ordinal]}', not a list of letters`);
      }
      const outside = gold.filter((g) => letterIndex(g) >= opts.length);
      if (outside.length) {
        // The stored answer text names the intended option, exactly or nearly ("... generator 1.").
        const exact = opts.findIndex((o) => normText(o) === normText(r[cols.answer]!));
        const near = bestOptionMatch(r[cols.answer]!, opts);
        const byText = exact >= 0 ? exact : near >= 0 && weightedRatio(r[cols.answer]!, opts[near]!) >= 85 ? near : -1;
        const fix = byText >= 0 ? letterAt(byText) : null;
        issues.push({
          id,
          source: where,
          message:
            `gold ${outside.join(',')} is past the ${opts.length} options` +
            (fix ? ` (the answer text is option ${fix})` : '') +
            (options.fixGold && fix ? `; scored as ${fix}` : '; kept as upstream: only that missing letter scores'),
        });
        if (options.fixGold && fix) gold = [...gold.filter((g) => !outside.includes(g)), fix];
      }
      items.push({
        id,
        tags: { type, game: r.Game! },
        cluster: `scenario-${row}`,
        source: where,
        row,
        type,
        game: r.Game!,
        concept: r.Concept!,
        map: r.Map!,
        directive: r[cols.directive]!,
        gameDescription: r['Game Description']!,
        question,
        options: opts,
        gold,
        goldRaw: r[cols.ordinal]!,
        answerText: r[cols.answer]!,
      });
    }
  });
  return { items, issues };
}

/** The `types` option as a list; a CLI string "EC,JP" is accepted too. */
export function coordTypes(value: unknown): CoordType[] {
  const list = (Array.isArray(value) ? value : String(value).split(/[,+/\s]+/)).map((t) => String(t).trim().toUpperCase()).filter((t) => t !== '');
  const bad = list.filter((t) => !(COORD_TYPES as readonly string[]).includes(t));
  if (bad.length || list.length === 0) throw new MasaError(`coordinationqa option types: '${String(value)}' is not a list of EC, TOM, JP`);
  return list as CoordType[];
}

export function loadCoordinationQa(dir: string, options: CoordinationQaOptions): CoordinationQaItem[] {
  const types = coordTypes(options.types);
  const file = join(dir, 'original', 'single_turn_trials.csv');
  if (!existsSync(file)) throw new MasaError(`${file}: CoordinationQA question file not found`);
  const { items, issues } = parseCoordinationQaCsv(readFileSync(file, 'utf8'), file, options);
  const byId = new Map<string, string[]>();
  for (const i of issues) byId.set(i.id, [...(byId.get(i.id) ?? []), `${i.message} (${i.source})`]);
  for (const it of items) {
    const messages = byId.get(it.id);
    if (messages) it.issue = messages.join('; ');
  }
  return items.filter((it) => types.includes(it.type));
}

// ---- fuzzy matching (fuzzywuzzy's WRatio, re-implemented small) ----

/** Levenshtein distance with substitutions costing 2, as python-Levenshtein's ratio uses. */
function indelDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 2);
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, sub));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** 0-100 similarity: (len(a)+len(b) - indel distance) / (len(a)+len(b)). */
export function ratio(a: string, b: string): number {
  const total = a.length + b.length;
  if (total === 0) return 100;
  return Math.round((100 * (total - indelDistance(a, b))) / total);
}

/** Best ratio of the shorter string against same-length windows of the longer (at word starts). */
export function partialRatio(a: string, b: string): number {
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  if (s.length === 0) return 0;
  let best = ratio(s, l.slice(0, s.length));
  for (let i = 1; i + s.length <= l.length && best < 100; i++) {
    if (l[i - 1] !== ' ') continue;
    best = Math.max(best, ratio(s, l.slice(i, i + s.length)));
  }
  if (l.length > s.length) best = Math.max(best, ratio(s, l.slice(l.length - s.length)));
  return best;
}

const tokens = (s: string): string[] => s.split(/\s+/).filter((t) => t !== '');

export function tokenSortRatio(a: string, b: string, partial = false): number {
  const sa = tokens(a).sort().join(' ');
  const sb = tokens(b).sort().join(' ');
  return partial ? partialRatio(sa, sb) : ratio(sa, sb);
}

export function tokenSetRatio(a: string, b: string, partial = false): number {
  const ta = new Set(tokens(a));
  const tb = new Set(tokens(b));
  const inter = [...ta].filter((t) => tb.has(t)).sort().join(' ');
  const diffA = [...ta].filter((t) => !tb.has(t)).sort().join(' ');
  const diffB = [...tb].filter((t) => !ta.has(t)).sort().join(' ');
  const c1 = `${inter} ${diffA}`.trim();
  const c2 = `${inter} ${diffB}`.trim();
  const f = partial ? partialRatio : ratio;
  return Math.max(f(inter, c1), f(inter, c2), f(c1, c2));
}

/**
 * fuzzywuzzy's utils.full_process(force_ascii=True): characters 128-255 dropped, every character
 * that is not a letter, digit or underscore made a space, lower case, ends stripped.
 */
export function fullProcess(s: string): string {
  return s
    .replace(/[\u0080-\u00ff]/g, '')
    .replace(/[^\p{L}\p{N}_]/gu, ' ')
    .toLowerCase()
    .trim();
}

/** fuzzywuzzy's WRatio: the best of plain, partial and token ratios, scaled as it does. */
export function weightedRatio(a: string, b: string): number {
  const p1 = fullProcess(a);
  const p2 = fullProcess(b);
  if (!p1 || !p2) return 0;
  const base = ratio(p1, p2);
  const lenRatio = Math.max(p1.length, p2.length) / Math.min(p1.length, p2.length);
  if (lenRatio < 1.5) return Math.round(Math.max(base, tokenSortRatio(p1, p2) * 0.95, tokenSetRatio(p1, p2) * 0.95));
  const scale = lenRatio > 8 ? 0.6 : 0.9;
  return Math.round(
    Math.max(base, partialRatio(p1, p2) * scale, tokenSortRatio(p1, p2, true) * 0.95 * scale, tokenSetRatio(p1, p2, true) * 0.95 * scale),
  );
}

/** Index of the best-matching option (first on ties, like process.extractOne), or -1. */
export function bestOptionMatch(text: string, options: readonly string[]): number {
  let best = -1;
  let bestScore = 0;
  options.forEach((o, k) => {
    const s = weightedRatio(text, o);
    if (s > bestScore) {
      best = k;
      bestScore = s;
    }
  });
  return best;
}

/** process.extractOne's pick: the first option with the highest WRatio (option 0 when all score 0). */
export function extractOneIndex(query: string, choices: readonly string[]): number {
  let best = 0;
  let bestScore = -1;
  choices.forEach((c, k) => {
    const sc = weightedRatio(query, c);
    if (sc > bestScore) {
      best = k;
      bestScore = sc;
    }
  });
  return best;
}

/** Upstream's option list: every non-empty line after the marker of the lower-cased question, label stripped. */
export function upstreamActionList(question: string): string[] {
  const q = question.trim().toLowerCase();
  let list: string[] = [];
  if (q.includes('actions')) list = q.split('available actions:').pop()!.split('\n');
  else if (q.includes('answer')) list = q.split('available answers:').pop()!.split('\n');
  list = list.filter((a) => a !== '').filter((a) => a !== ' ');
  return list.map((a) => a.replace(/^[a-z]\.\s*/, '').trim());
}

/** Upstream find_answer_fuzzy (see the file header): a letter, possibly past the options. */
export function extractCoordUpstream(response: string, question: string): Extraction {
  const m = /Action:\s*([^\n]*)/.exec(response) ?? /Answer:\s*([^\n]*)/.exec(response);
  let answerText = m ? m[1]! : response;
  const letter = /([A-Z])[.)]/.exec(answerText);
  if (letter) return { answer: letter[1]!, rule: m ? 'after-label-letter' : 'letter' };
  const actions = upstreamActionList(question);
  // extractOne over an empty list returns None, whose unpacking raises: upstream scores '2'.
  if (actions.length === 0) return { answer: null, rule: 'error' };
  let start = answerText.indexOf('Action:');
  if (start === -1) start = answerText.indexOf('Answer:');
  if (start !== -1) answerText = answerText.slice(start + 7).trim();
  answerText = answerText.replace(/^[a-z]\.\s*/, '').trim();
  return { answer: letterAt(extractOneIndex(answerText, actions)), rule: 'fuzzy' };
}

const COORD_CUE = /\b(?:answer|action)\b[\s*_]*[:：]|\b(?:answer|action)\*\*[\s*_]*[:：]?/gi;

/** masa's reading (see the file header): a letter within the item's options. */
export function extractCoordRobust(response: string, options: readonly string[]): Extraction {
  const cues = [...response.matchAll(COORD_CUE)];
  for (let c = cues.length - 1; c >= 0; c--) {
    const start = cues[c]!.index! + cues[c]![0].length;
    const k = letterAtStart(response.slice(start, start + 80), options.length);
    if (k !== null) return { answer: letterAt(k), rule: 'cue-letter' };
    const line = response.slice(start).replace(/^[\s*_]+/, '').split('\n')[0]!;
    const byText = optionByText(line, options);
    if (byText !== null) return { answer: letterAt(byText), rule: 'cue-text' };
  }
  const r = robustLetter(response, options.length, options);
  return r ? { answer: letterAt(r.index), rule: r.rule } : { answer: null, rule: 'none' };
}

/** Backward-compatible name: upstream's reading when given the question, robust otherwise. */
export function extractCoordAnswer(response: string, item: Pick<CoordinationQaItem, 'question' | 'options'>, policy: ExtractionPolicy = 'robust'): Extraction {
  return policy === 'upstream' ? extractCoordUpstream(response, item.question) : extractCoordRobust(response, item.options);
}

function scoreCoord(item: CoordinationQaItem, response: string | null, policy: ExtractionPolicy): TrialScore {
  const gold = item.gold.join(',');
  if (response === null) return { extracted: null, rule: 'no-response', gold, correct: false };
  const { answer, rule } = extractCoordAnswer(response, item, policy);
  // Upstream: `letter in ordinal.split(',')`, untrimmed; a gold corrected by fixGold stands as corrected.
  const corrected = item.gold.join(',') !== item.goldRaw.split(',').map((g) => g.trim().toUpperCase()).filter((g) => g !== '').join(',');
  const accepted = policy === 'upstream' && !corrected ? item.goldRaw.split(',') : item.gold;
  return { extracted: answer, rule, gold, correct: answer !== null && accepted.includes(answer) };
}

export const coordinationqa: Benchmark<CoordinationQaItem, CoordinationQaOptions> = {
  id: 'coordinationqa',
  title: 'CoordinationQA',
  group: 'MA-P',
  pillar: 'planning',
  metric: 'accuracy',
  dataset: 'CoordinationQA',
  citation: 'Agashe et al., LLM-Coordination: Evaluating and Analyzing Multi-agent Coordination Abilities in Large Language Models (arXiv:2310.03903)',
  defaultOptions: COORDINATIONQA_DEFAULTS,
  optionDocs: {
    types: {
      description: 'Question types, a list or separated by + or commas (EC+JP on the CLI): EC (environment comprehension), TOM (theory of mind), JP (joint planning); default all 198 items.',
    },
    trials: { description: 'Samples per item, averaged (upstream num_trials = 3).' },
    fixGold: {
      description:
        "false (default, upstream): the two out-of-range EC gold letters stay, so no listed option scores on those items; true: use the option the stored answer text names (B for row 50, C for row 56).",
      choices: [false, true],
    },
  },
  async load(dir, options) {
    return loadCoordinationQa(dir, options);
  },
  trials(_item, options) {
    return Array.from({ length: options.trials }, (_, index) => ({ index, permutation: null }));
  },
  messages(item): ChatMessage[] {
    return [
      { role: 'system', content: item.directive },
      { role: 'user', content: item.gameDescription },
      { role: 'assistant', content: 'Got it!' },
      { role: 'user', content: item.question },
    ];
  },
  generation(): GenerationHints {
    return { temperature: 0.6, top_p: 0.9, max_tokens: 1000 };
  },
  extract(response, item, _trial, _options, policy = 'robust') {
    return extractCoordAnswer(response, item, policy);
  },
  score(item, response, _trial, _options, policy = 'robust'): TrialScore {
    return scoreCoord(item, response, policy);
  },
  reduce(_item, trials) {
    return trials.length === 0 ? 0 : trials.filter((t) => t.correct).length / trials.length;
  },
  chance(items) {
    if (items.length === 0) return 0;
    const p = (it: CoordinationQaItem): number => new Set(it.gold.filter((g) => letterIndex(g) < it.options.length)).size / it.options.length;
    return items.reduce((s, it) => s + p(it), 0) / items.length;
  },
};
