/**
 * Reading and writing a game run's log (turns.jsonl, prompts.jsonl; see episode-records.ts),
 * on the record store's own writer and torn-tail handling (store.ts).
 *
 * Resume reads the log once: finished episodes (an `episode` record) are done; for the others
 * it keeps, per turn, the action that was applied, and the unusable first reply of a turn whose
 * re-ask was never answered, so the runner can replay the episode through its deterministic
 * rules and ask only what is missing. Failed requests (`error`) leave their turn to ask again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sha256, stableStringify } from '../core/hash.js';
import { streamJsonl } from '../core/jsonl.js';
import type { ChatMessage } from '../bench/types.js';
import { INLINE_PROMPT_CHARS, PROMPTS_FILE, TURNS_FILE, type EpisodeRecord, type GameRecord, type TurnRecord } from './episode-records.js';
import type { Redactor } from './redact.js';
import { SampleWriter, setAsideTornTail, type TornLine } from './store.js';

export interface AppliedTurn {
  action: unknown;
  seat: number;
  forfeit: boolean;
  /** Unusable replies at this turn (0, 1, or 2 for a forfeit). */
  invalid: number;
  rewards: number[];
  completion_tokens: number | null;
  /** Where it was recorded, for errors: `turns.jsonl:<line>`. */
  line: number;
}

export interface EpisodeResume {
  applied: Map<number, AppliedTurn>;
  /** Turns whose first reply was unusable and whose re-ask has no answer yet. */
  reask: Map<number, { reply: string; error: string }>;
  /** Model requests already answered for this episode (they are not asked again). */
  answered: number;
}

export interface GameScan {
  done: Set<string>;
  partial: Map<string, EpisodeResume>;
  records: number;
  badLines: number[];
  torn: TornLine | null;
}

function resumeOf(map: Map<string, EpisodeResume>, id: string): EpisodeResume {
  let r = map.get(id);
  if (!r) map.set(id, (r = { applied: new Map(), reask: new Map(), answered: 0 }));
  return r;
}

/** Indexes a game run's log for resuming (and sets a torn last line aside, as scanRun does). */
export async function scanGameRun(runDir: string): Promise<GameScan> {
  const file = join(runDir, TURNS_FILE);
  const torn = setAsideTornTail(file);
  const done = new Set<string>();
  const partial = new Map<string, EpisodeResume>();
  const badLines: number[] = [];
  let records = 0;
  if (!existsSync(file)) return { done, partial, records, badLines, torn };
  for await (const { value, line } of streamJsonl<GameRecord>(file, (l) => badLines.push(l))) {
    records++;
    if (!value || typeof value.episode_id !== 'string') {
      badLines.push(line);
      continue;
    }
    if (value.kind === 'episode') {
      done.add(value.episode_id);
      partial.delete(value.episode_id);
      continue;
    }
    if (value.kind !== 'turn' || done.has(value.episode_id) || value.error !== null) continue;
    const r = resumeOf(partial, value.episode_id);
    if (value.request_key !== null) r.answered++;
    if (value.applied) {
      r.reask.delete(value.turn);
      r.applied.set(value.turn, {
        action: value.action,
        seat: value.seat,
        forfeit: value.forfeit,
        invalid: value.forfeit ? 2 : value.ask,
        rewards: value.rewards ?? [],
        completion_tokens: value.usage?.completion_tokens ?? null,
        line,
      });
    } else if (value.ask === 0 && !r.applied.has(value.turn)) {
      r.reask.set(value.turn, { reply: value.response ?? '', error: value.parse_error ?? 'unusable reply' });
    }
  }
  return { done, partial, records, badLines, torn };
}

/** Streams the episode records of a game run (the summaries' input). */
export async function* readEpisodeRecords(runDir: string, onBadLine?: (line: number) => void): AsyncGenerator<EpisodeRecord> {
  const file = join(runDir, TURNS_FILE);
  if (!existsSync(file)) return;
  for await (const { value } of streamJsonl<GameRecord>(file, (l) => onBadLine?.(l))) {
    if (value && value.kind === 'episode') yield value;
  }
}

/** Streams every record of a game run in file order (transcripts, audits). */
export async function* readGameRecords(runDir: string, onBadLine?: (line: number) => void): AsyncGenerator<GameRecord> {
  const file = join(runDir, TURNS_FILE);
  if (!existsSync(file)) return;
  for await (const { value } of streamJsonl<GameRecord>(file, (l) => onBadLine?.(l))) if (value) yield value;
}

/** The writers of a game run: turns.jsonl, and prompts.jsonl for prompts too long to keep inline. */
export class GameLog {
  readonly turns: SampleWriter;
  private prompts: SampleWriter | null = null;
  private readonly kept = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly redactor: Redactor,
  ) {
    this.turns = new SampleWriter(join(dir, TURNS_FILE), redactor);
  }

  /** The fields a turn record keeps of its messages: the messages, or their hash and where they are. */
  messagesFields(messages: ChatMessage[]): Pick<TurnRecord, 'messages' | 'messages_sha256' | 'messages_ref'> {
    let chars = 0;
    for (const m of messages) chars += m.content.length;
    if (chars <= INLINE_PROMPT_CHARS) return { messages, messages_sha256: null, messages_ref: null };
    const hash = sha256(stableStringify(messages));
    if (!this.kept.has(hash)) {
      this.kept.add(hash);
      this.prompts ??= new SampleWriter(join(this.dir, PROMPTS_FILE), this.redactor);
      this.prompts.append({ sha256: hash, messages });
    }
    return { messages: null, messages_sha256: hash, messages_ref: PROMPTS_FILE };
  }

  append(record: GameRecord): void {
    this.turns.append(record);
  }

  flush(): void {
    this.prompts?.flush();
    this.turns.flush();
  }

  close(): void {
    this.prompts?.close();
    this.turns.close();
  }
}

/** The messages a turn record was sent, from the record or from prompts.jsonl. */
export async function turnMessages(runDir: string, rec: TurnRecord): Promise<ChatMessage[] | null> {
  if (rec.messages) return rec.messages;
  if (!rec.messages_sha256 || !rec.messages_ref) return null;
  const file = join(runDir, rec.messages_ref);
  if (!existsSync(file)) return null;
  for await (const { value } of streamJsonl<{ sha256: string; messages: ChatMessage[] }>(file, () => {})) {
    if (value?.sha256 === rec.messages_sha256) return value.messages;
  }
  return null;
}
