/**
 * The LLM side of the reference game: chat messages from an observation, a reply into an action,
 * the re-ask, the forfeits, and `readPrompt` (the inverse of `prompt`, for the simulator).
 *
 * The texts follow ICCA's GPT templates (lil-lab/ICCA, src/args/intro_texts_spkr.json "GPT",
 * intro_texts_lsnr.json "GPT"/"standard", src/MLLMs.py GPTModel), with "image" read as "object".
 * The interaction is ICCA's: a system message, the intro, then per round a user turn, the
 * model's reply as the assistant turn and the feedback, merged into the next user turn as
 * ICCA's `enforce_alternating_roles` does (some chat templates refuse two user turns in a row).
 */
import type { ChatMessage } from '../../bench/types.js';
import { MAX_READ_CHARS, chooseMove, moveLabel, quoteMessage, showMessage, wordCount } from '../common.js';
import { CONTEXT_SIZE, describe, parseReferent, type Referent } from './referents.js';
import {
  MAX_MESSAGE_CHARS,
  WORD_LIMIT,
  type ListenerAction,
  type ListenerObs,
  type ListenerRound,
  type RefObs,
  type SpeakerAction,
  type SpeakerObs,
  type SpeakerRound,
} from './rules.js';

export const INSTRUCTIONS = ['simple', 'gricean_hint', 'explicit', 'explicit_consistency'] as const;
export type Instructions = (typeof INSTRUCTIONS)[number];

// ICCA GPTModel's system messages, verbatim.
export const SPEAKER_SYSTEM = "you are a smart assistant that will follow the user's instructions";
export const LISTENER_SYSTEM =
  'You are an assistant who will play a series of reference games with the user. You will pay close attention to the conversation history as more rounds are played.';

const SPEAKER_OPENING =
  'Play a repeated reference game with me and a third player (the listener). You will act as the speaker in the game. This game consists of multiple rounds in which the speaker interacts with me and the listener on the same referential context (4 objects). In each round, I give you one of the 4 objects as the target. You should communicate the target to the listener in a message. The listener will try to choose the target correctly based on your message.';
const SPEAKER_ORDER =
  ' The listener will see the 4 objects in a different order every round so you cannot communicate the target simply by using its position or label (A, B, C, D).';
const SPEAKER_FORMAT =
  '\n\nYour reply should only contain the message and the message should always be shorter than 20 words. Throughout, your message should not exceed one sentence but it does not need to be a full sentence.';
const GRICEAN =
  " Your message should contain enough information for the listener to choose the target correctly. However, every token you generate has a cost. A longer message costs more reading time for the listener, so it’s not ideal if a shorter message is enough. Think about how the amount of information needed may change as more rounds are played and based on the listener's performance in previous rounds.";
const EXPLICIT =
  " Start with more detailed messages to ensure the listener's accuracy. As more rounds are completed and the listener understands you better, gradually condense your messages, making them shorter and shorter every round.";
const CONSISTENCY =
  " When creating a shorter message for an object, try to extract salient tokens from the previous messages for this object rather than introducing new words. The short messages should still allow the listener to choose the target correctly. For each object, when you reach a message you think can not be further shortened without hurting the listener's accuracy, you should keep using that message for the rest of the game.";

/** ICCA's four speaker intros (its "explicit" ones drop "so you may adjust ..."). */
export function speakerIntro(v: Instructions): string {
  const tells = v === 'simple' || v === 'gricean_hint' ? " I will tell you which object the listener chooses, so you may adjust your message based on the listener's accuracy." : ' I will tell you which object the listener chooses.';
  const extra = v === 'gricean_hint' ? GRICEAN : v === 'explicit' ? EXPLICIT : v === 'explicit_consistency' ? EXPLICIT + CONSISTENCY : '';
  return SPEAKER_OPENING + tells + SPEAKER_ORDER + SPEAKER_FORMAT + extra;
}

/** ICCA's GPT "standard" listener intro, told that the order changes and that the speaker is another player. */
export const LISTENER_INTRO =
  'Play a game with multiple rounds involving the same set of objects. In each round, the speaker will refer to one of the objects with a message. You will guess which object the speaker is referring to. The objects are listed in a new order every round. If present, the history of previous rounds may help you better understand how the speaker refers to specific objects. In each round, answer with the object\'s label, i.e. one of [A, B, C, D]. You should still make a guess even when you are not sure. Do not output anything other than the object label you guess.';

const NEW_LISTENER = 'A new listener has joined the game and plays from this round on. The new listener has not seen any of the previous rounds.';
const NO_MESSAGE = '<no message>';
const NO_ANSWER = '<no answer>';
const SILENT = 'The speaker sent no message.';
const QUESTION = 'Which object is this message referring to? Output the object label only (a single letter).';
const LABELS = Array.from({ length: CONTEXT_SIZE }, (_, i) => moveLabel(i));
const LABEL_LIST = `[${LABELS.join(', ')}]`;

function objectLines(objects: readonly Referent[]): string {
  return objects.map((r, i) => `Object ${moveLabel(i)}: ${describe(r)}`).join('\n');
}

// ---- speaker ----

function roundLine(round: number, target: number): string {
  return `Round ${round + 1},\nThe target is Object ${moveLabel(target)}.`;
}

function speakerFeedback(h: SpeakerRound): string {
  if (h.picked === null) return "The listener didn't give a valid answer.";
  return `The listener ${h.picked === h.target ? 'correctly' : 'mistakenly'} answered Object ${moveLabel(h.picked)}.`;
}

export function speakerPrompt(obs: SpeakerObs, v: Instructions): ChatMessage[] {
  const msgs: ChatMessage[] = [{ role: 'system', content: SPEAKER_SYSTEM }];
  const rounds = [...obs.history.map((h) => h.target), obs.target];
  const next = (i: number): string => (obs.newListenerAt === i ? NEW_LISTENER + '\n\n' : '') + roundLine(i, rounds[i]!);
  msgs.push({ role: 'user', content: `${speakerIntro(v)}\n\n${objectLines(obs.objects)}\n\n${next(0)}` });
  obs.history.forEach((h, i) => {
    msgs.push({ role: 'assistant', content: h.message === '' ? NO_MESSAGE : h.message });
    msgs.push({ role: 'user', content: `${speakerFeedback(h)}\n\n${next(i + 1)}` });
  });
  return msgs;
}

// ---- listener ----

function listenerBlock(round: number, objects: readonly Referent[], message: string): string {
  const said = message === '' ? SILENT : showMessage('The speaker', { text: message, words: wordCount(message), cut: false });
  return `Round ${round + 1},\n${objectLines(objects)}\n${said}\n${QUESTION}`;
}

function listenerFeedback(h: ListenerRound): string {
  if (h.picked === null) return `Invalid answer. Answer must be one of ${LABEL_LIST}. The speaker was referring to Object ${moveLabel(h.target)}.`;
  return h.picked === h.target ? 'Correct.' : `Wrong, the speaker was referring to Object ${moveLabel(h.target)}.`;
}

export function listenerPrompt(obs: ListenerObs): ChatMessage[] {
  const msgs: ChatMessage[] = [{ role: 'system', content: LISTENER_SYSTEM }];
  const blocks = [...obs.history.map((h, i) => listenerBlock(i, h.objects, h.message)), listenerBlock(obs.round, obs.objects, obs.message)];
  msgs.push({ role: 'user', content: `${LISTENER_INTRO}\n\n${blocks[0]}` });
  obs.history.forEach((h, i) => {
    msgs.push({ role: 'assistant', content: h.picked === null ? NO_ANSWER : moveLabel(h.picked) });
    msgs.push({ role: 'user', content: `${listenerFeedback(h)}\n\n${blocks[i + 1]}` });
  });
  return msgs;
}

export function prompt(obs: RefObs, v: Instructions): ChatMessage[] {
  return obs.role === 'speaker' ? speakerPrompt(obs, v) : listenerPrompt(obs);
}

// ---- parsing replies ----

export type ParsedAction<A> = { ok: true; action: A } | { ok: false; error: string };

/**
 * The speaker's message: the whole reply (ICCA: "Your reply should only contain the message"),
 * or the text after its last "Message:" cue, without wrapping quotes or markdown, on one line
 * and without quote marks (so it cannot close its quotation in the listener's prompt).
 */
export function parseSpeaker(reply: string): ParsedAction<SpeakerAction> {
  let text = reply.length > MAX_READ_CHARS ? reply.slice(0, MAX_READ_CHARS) : reply;
  const cues = [...text.matchAll(/message\s*:/gi)];
  if (cues.length > 0) {
    const last = cues[cues.length - 1]!;
    text = text.slice(last.index! + last[0].length);
  }
  text = text.trim().replace(/^[*_`'’‘]+|[*_`'’‘]+$/g, '');
  const q = quoteMessage(text, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  if (q.words === 0) return { ok: false, error: 'the message is empty' };
  if (q.words >= WORD_LIMIT) return { ok: false, error: `the message has ${q.words} words; it must be shorter than ${WORD_LIMIT} words` };
  if (q.text.length > MAX_MESSAGE_CHARS) return { ok: false, error: `the message has ${q.text.length} characters; at most ${MAX_MESSAGE_CHARS} are allowed` };
  return { ok: true, action: { message: q.text } };
}

/** The listener's letter: "B", "Answer: B", "Object B", "(b)", or an object's full description. */
export function parseListener(reply: string, obs: ListenerObs): ParsedAction<ListenerAction> {
  const text = (reply.length > MAX_READ_CHARS ? reply.slice(-MAX_READ_CHARS) : reply).replace(/\b(?:object|image)\s+([A-Za-z])\b/gi, '$1');
  const c = chooseMove(text, obs.objects.map(describe), { cue: /(?:answer|action)\s*:/gi, bare: true });
  return c.ok === true ? { ok: true, action: { pick: c.index } } : { ok: false, error: c.error };
}

export function parse(reply: string, obs: RefObs): ParsedAction<SpeakerAction | ListenerAction> {
  return obs.role === 'speaker' ? parseSpeaker(reply) : parseListener(reply, obs);
}

const REASK_SPEAKER = 'Your message could not be used: ';
const REASK_LISTENER = 'Invalid answer (';

export function reask(error: string, obs: RefObs): ChatMessage[] {
  const content =
    obs.role === 'speaker'
      ? `${REASK_SPEAKER}${error}. Reply with the message only; it must be shorter than ${WORD_LIMIT} words.`
      : `${REASK_LISTENER}${error}). Answer must be one of ${LABEL_LIST}. Output the object label only (a single letter).`;
  return [{ role: 'user', content }];
}

/** After two unusable replies: the speaker says nothing; the listener gives no valid answer (scored wrong, as ICCA scores an invalid answer). */
export function forfeit(obs: RefObs): SpeakerAction | ListenerAction {
  return obs.role === 'speaker' ? { message: '' } : { pick: null };
}

// ---- reading a prompt back (the simulator) ----

function readObjects(block: string): Referent[] | null {
  const out: Referent[] = [];
  for (const line of block.split('\n')) {
    const m = /^Object ([A-Z]): (.*)$/.exec(line);
    if (!m) continue;
    const r = parseReferent(m[2]!);
    if (!r || m[1] !== moveLabel(out.length)) return null;
    out.push(r);
  }
  return out.length === CONTEXT_SIZE ? out : null;
}

function labelIndex(l: string): number {
  return LABELS.indexOf(l);
}

function readSpeaker(m: readonly ChatMessage[]): SpeakerObs | null {
  const intro = m[1]!.content;
  if (!intro.startsWith(SPEAKER_OPENING)) return null;
  const objects = readObjects(intro);
  if (!objects || m.length % 2 !== 0) return null;
  const rounds: number[] = [];
  let newListenerAt: number | null = null;
  const history: SpeakerRound[] = [];
  for (let k = 1; k < m.length; k += 2) {
    const i = (k - 1) / 2;
    const user = m[k]!;
    if (user.role !== 'user') return null;
    const rl = /(?:^|\n\n)(A new listener has joined[^\n]*\n\n)?Round (\d+),\nThe target is Object ([A-Z])\.$/.exec(user.content);
    if (!rl || Number(rl[2]) !== i + 1 || labelIndex(rl[3]!) < 0) return null;
    if (rl[1] !== undefined) newListenerAt = i;
    rounds.push(labelIndex(rl[3]!));
    if (i === 0) continue;
    const said = m[k - 1]!;
    if (said.role !== 'assistant') return null;
    const fb = /^The listener (?:(correctly|mistakenly) answered Object ([A-Z])\.|didn't give a valid answer\.)\n\n/.exec(user.content);
    if (!fb) return null;
    const picked = fb[2] === undefined ? null : labelIndex(fb[2]);
    if (picked !== null && picked < 0) return null;
    history.push({ target: rounds[i - 1]!, message: said.content === NO_MESSAGE ? '' : said.content, picked });
  }
  const round = rounds.length - 1;
  return { role: 'speaker', objects, round, target: rounds[round]!, history, newListenerAt };
}

function readBlock(text: string, round: number): { objects: Referent[]; message: string } | null {
  const head = `Round ${round + 1},\n`;
  const at = text.lastIndexOf(head);
  if (at < 0 || !text.endsWith(`\n${QUESTION}`)) return null;
  const lines = text.slice(at + head.length).split('\n');
  if (lines.length !== CONTEXT_SIZE + 2) return null;
  const objects = readObjects(lines.slice(0, CONTEXT_SIZE).join('\n'));
  const said = lines[CONTEXT_SIZE]!;
  const q = /^The speaker said: "([^"]*)"$/.exec(said);
  if (!objects || (!q && said !== SILENT)) return null;
  return { objects, message: q ? q[1]! : '' };
}

function readListener(m: readonly ChatMessage[]): ListenerObs | null {
  if (!m[1]!.content.startsWith(LISTENER_INTRO) || m.length % 2 !== 0) return null;
  const history: ListenerRound[] = [];
  let last: { objects: Referent[]; message: string } | null = null;
  for (let k = 1; k < m.length; k += 2) {
    const i = (k - 1) / 2;
    if (m[k]!.role !== 'user') return null;
    const block = readBlock(m[k]!.content, i);
    if (!block) return null;
    if (i > 0) {
      const answer = m[k - 1]!;
      if (answer.role !== 'assistant') return null;
      const picked = answer.content === NO_ANSWER ? null : labelIndex(answer.content);
      if (picked !== null && picked < 0) return null;
      const fb = /^(?:Correct\.|Wrong, the speaker was referring to Object ([A-Z])\.|Invalid answer\. Answer must be one of \[[A-Z, ]+\]\. The speaker was referring to Object ([A-Z])\.)\n\n/.exec(m[k]!.content);
      if (!fb) return null;
      const named = fb[1] ?? fb[2];
      const target = named === undefined ? picked : labelIndex(named);
      if (target === null || target < 0) return null;
      history.push({ objects: last!.objects, message: last!.message, picked, target });
    }
    last = block;
  }
  return { role: 'listener', round: history.length, objects: last!.objects, message: last!.message, history };
}

/**
 * The observation a prompt was built from, or null when it is not this game's prompt. A re-ask
 * (the unusable reply and `reask`'s turn appended) reads as the prompt it follows.
 */
export function readPrompt(messages: readonly ChatMessage[]): RefObs | null {
  const n = messages.length;
  const tail = messages[n - 1];
  if (n >= 4 && tail?.role === 'user' && messages[n - 2]!.role === 'assistant' && (tail.content.startsWith(REASK_SPEAKER) || tail.content.startsWith(REASK_LISTENER))) {
    return readPrompt(messages.slice(0, -2));
  }
  if (messages.length < 2 || messages[0]!.role !== 'system' || messages[1]!.role !== 'user') return null;
  if (messages[0]!.content === SPEAKER_SYSTEM) return readSpeaker(messages);
  if (messages[0]!.content === LISTENER_SYSTEM) return readListener(messages);
  return null;
}
