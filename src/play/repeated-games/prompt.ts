/**
 * The LLM side: Akata et al.'s prompt (eliaka/repeatedgames@224a605:pd/query_main.py and
 * bos/query_main.py: the rules sentences, one history sentence per round, "You are currently
 * playing round i.") with their SCoT questions (bos/query_main.py `act_gpt4reason`) asked in one
 * turn; its inverse for the simulator; and the reply reader.
 */
import type { ChatMessage } from '../../bench/types.js';
import { MAX_READ_CHARS } from '../common.js';
import type { Rng } from '../../core/rng.js';
import { identifyPayoffs, isMove, points, type Move, type Payoffs, type RGAction, type RGObs, type SeenRound } from './games.js';
import type { Decision } from './adaptive.js';

const HEAD = 'You are playing a game repeatedly with another player. In this game, you can choose between Option J and Option F.';

function rulesText(obs: RGObs): string {
  const lines = (['JJ', 'JF', 'FJ', 'FF'] as const).map((k) => {
    const [mine, theirs] = obs.payoffs[k];
    return `If you choose Option ${k[0]} and the other player chooses Option ${k[1]}, then you win ${mine} points and the other player wins ${theirs} points.`;
  });
  return `${HEAD} You will play ${obs.rounds} rounds in total with the same player. The rules of the game are as follows:\n${lines.join('\n')}`;
}

function historyLine(obs: RGObs, h: SeenRound, i: number): string {
  const [x, y] = points(obs.payoffs, h.me, h.other);
  return `In round ${i + 1}, you chose Option ${h.me} and the other player chose Option ${h.other}. Thus, you won ${x} points and the other player won ${y} points.`;
}

export function promptText(obs: RGObs): string {
  const [o1, o2] = obs.order;
  const parts = [rulesText(obs)];
  if (obs.history.length > 0) parts.push(obs.history.map((h, i) => historyLine(obs, h, i)).join('\n'));
  parts.push(
    [
      `You are currently playing round ${obs.round}.`,
      `Q: Which Option do you predict the other player will choose, Option ${o1} or Option ${o2}?`,
      `Q: Given your prediction, which Option do you choose, Option ${o1} or Option ${o2}?`,
      'You may reason first. End your reply with these two lines:',
      `Prediction: Option <${o1} or ${o2}>`,
      `Choice: Option <${o1} or ${o2}>`,
    ].join('\n'),
  );
  return parts.join('\n\n');
}

export function buildPrompt(obs: RGObs): ChatMessage[] {
  return [{ role: 'user', content: promptText(obs) }];
}

/** The observation a prompt was built from, or null if the text is not this game's prompt. */
export function readPromptText(text: string): RGObs | null {
  if (!text.startsWith(HEAD)) return null;
  const rounds = /You will play (\d+) rounds in total with the same player\./.exec(text);
  const payoffs: Partial<Payoffs> = {};
  for (const m of text.matchAll(/If you choose Option ([JF]) and the other player chooses Option ([JF]), then you win (-?\d+) points and the other player wins (-?\d+) points\./g)) {
    payoffs[`${m[1]}${m[2]}` as keyof Payoffs] = [Number(m[3]), Number(m[4])];
  }
  if (!rounds || Object.keys(payoffs).length !== 4) return null;
  const found = identifyPayoffs(payoffs as Payoffs);
  const current = /You are currently playing round (\d+)\./.exec(text);
  const order = /which Option do you choose, Option ([JF]) or Option ([JF])\?/.exec(text);
  if (!found || !current || !order || order[1] === order[2]) return null;
  const history: SeenRound[] = [];
  for (const m of text.matchAll(/In round (\d+), you chose Option ([JF]) and the other player chose Option ([JF])\./g)) {
    if (Number(m[1]) !== history.length + 1) return null;
    history.push({ me: m[2] as Move, other: m[3] as Move });
  }
  const round = Number(current[1]);
  if (round !== history.length + 1) return null;
  return { game: found.game, payoffs: payoffs as Payoffs, rounds: Number(rounds[1]), round, order: [order[1] as Move, order[2] as Move], history, hidden: null };
}

export function readPrompt(messages: readonly ChatMessage[]): RGObs | null {
  for (const m of messages) {
    if (m.role !== 'user') continue;
    const obs = readPromptText(m.content);
    if (obs) return obs;
  }
  return null;
}

type Said = { ok: true; move: Move } | { ok: false; error: string };

const CUE = (label: string) => `(?:final\\s+|my\\s+)?${label}[*_\\s]*:`;

/**
 * The move after the last `label:` cue that starts a line (markdown around it allowed:
 * "**Choice:** Option J", "- Final choice: J") or follows a comma, semicolon or full stop
 * ("Prediction: Option F, Choice: Option J"). A cue inside a sentence ("the other player's
 * choice: F") is not read. The answer runs to the end of its line or the next cue.
 */
function lastAnswer(text: string, label: string): Said {
  const re = new RegExp(`(?:^[ \\t>*_#\`-]*|[,;.][ \\t*_]*)${CUE(label)}(.*)$`, 'gim');
  let last: string | null = null;
  for (const m of text.matchAll(re)) last = m[1]!;
  const name = `${label[0]!.toUpperCase()}${label.slice(1)}:`;
  if (last === null) return { ok: false, error: `no line starting with "${name}"` };
  const answer = last.split(new RegExp(`[,;.]?[ \\t*_]*${CUE('(?:choice|prediction)')}`, 'i'))[0]!;
  const letters = new Set(
    answer
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w === 'j' || w === 'f'),
  );
  const shown = answer.trim().slice(0, 80);
  if (letters.size === 1) return { ok: true, move: [...letters][0] === 'j' ? 'J' : 'F' };
  if (letters.size === 0) return { ok: false, error: `"${name} ${shown}" names neither Option J nor Option F` };
  return { ok: false, error: `"${name} ${shown}" names both Option J and Option F` };
}

export type ReadReply = { ok: true; action: RGAction } | { ok: false; error: string };

/** Reads a reply; only its last `MAX_READ_CHARS` are looked at. A missing prediction is recorded as null, not an error. */
export function parseReply(reply: string): ReadReply {
  const text = reply.length > MAX_READ_CHARS ? reply.slice(-MAX_READ_CHARS) : reply;
  const choice = lastAnswer(text, 'choice');
  if (choice.ok === false) return { ok: false, error: choice.error };
  const prediction = lastAnswer(text, 'prediction');
  return { ok: true, action: { choice: choice.move, prediction: prediction.ok === true ? prediction.move : null } };
}

export function reaskMessages(error: string, obs: RGObs): ChatMessage[] {
  const [o1, o2] = obs.order;
  return [
    {
      role: 'user',
      content: `Your reply could not be read: ${error}. Answer again, ending with exactly these two lines:\nPrediction: Option <${o1} or ${o2}>\nChoice: Option <${o1} or ${o2}>`,
    },
  ];
}

const BELIEFS: Record<string, string> = {
  'always-j': 'to choose Option J every round',
  'always-f': 'to choose Option F every round',
  'tit-for-tat': 'to repeat whatever I chose in the round before',
  grim: 'to cooperate with Option J only as long as I never choose Option F',
  'defect-once': 'to have opened with Option F and then settled on Option J',
  'alternate-jf': 'to alternate, starting with Option J',
  'alternate-fj': 'to alternate, starting with Option F',
  'j-then-f': 'to stick with Option J for now, though that may not last',
  'f-then-j': 'to stick with Option F for now, though that may change',
  'tft-then-f': 'to mirror my previous choice for now',
  'alternate-then-j': 'to alternate for now, starting with Option F',
  'alternate-then-f': 'to alternate for now, starting with Option F',
};

/** What a switcher plays after its switch. */
const AFTER: Record<string, Move> = { 'j-then-f': 'F', 'f-then-j': 'J', 'tft-then-f': 'F', 'alternate-then-j': 'J', 'alternate-then-f': 'F' };

function answerLines(a: RGAction): string {
  return `Prediction: Option ${a.prediction ?? 'J'}\nChoice: Option ${a.choice}`;
}

/** The simulator's reply for an adaptive decision: a short reason, then the two answer lines. */
export function adaptiveText(obs: RGObs, d: Decision): string {
  const [mine, theirs] = points(obs.payoffs, d.choice, d.prediction);
  let why: string;
  if (obs.history.length === 0) why = 'There is no history yet, so I go by how players like this usually open.';
  else if (d.belief === null) why = `Their choices fit no simple pattern, so I expect them to repeat their last move, Option ${d.prediction}.`;
  else if (d.switchedAt !== null) why = `The other player changed course in round ${d.switchedAt} and has chosen Option ${AFTER[d.belief] ?? d.prediction} since.`;
  else {
    const n = obs.history.length;
    why = `Looking at the ${n === 1 ? 'first round' : `${n} rounds so far`}, the other player seems ${BELIEFS[d.belief] ?? 'to follow a pattern'}.`;
  }
  const plan =
    obs.round === obs.rounds
      ? `This is the last round, so only this round's points matter.`
      : `Thinking about the rounds still to come as well as this one, Option ${d.choice} looks best.`;
  return `${why} I expect Option ${d.prediction} from them. ${plan} If they do choose Option ${d.prediction}, I get ${mine} points and they get ${theirs}.\n${answerLines({ choice: d.choice, prediction: d.prediction })}`;
}

const SHRUGS = [
  'Hard to tell what they will do.',
  "I'll go with my instinct this round.",
  'Either option could work out here.',
  'I am not sure, so I will just pick one.',
];

export function randomText(a: RGAction, rng: Rng): string {
  return `${SHRUGS[rng.int(SHRUGS.length)]}\n${answerLines(a)}`;
}

export function isAction(x: unknown): x is RGAction {
  if (typeof x !== 'object' || x === null) return false;
  const a = x as Record<string, unknown>;
  return isMove(a.choice) && (a.prediction === null || isMove(a.prediction));
}
