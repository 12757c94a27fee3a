/**
 * Fitting a request into the model's context window. vLLM rejects (400) any request whose
 * prompt + max_tokens exceeds max_model_len, so a short-context model (Llama-2 chat: 4,096)
 * would fail every request of a benchmark that asks 4,096 new tokens. Two layers:
 *  1. before sending, when /v1/models reported max_model_len, max_tokens is capped so an
 *     over-estimate of the prompt (chars/3 + per-message overhead) still fits;
 *  2. a 400 "maximum context length" that still happens carries the server's exact input-token
 *     count: the request is sent once more with max_tokens = max_model_len - input_tokens.
 * And because the estimate over-counts, a capped answer cut by the limit is requested once more
 * with the room the server's own prompt count leaves, so capping never truncates an answer
 * that would have fit. The request key stays that of the planned (uncapped) request, so a run
 * resumes the same whatever cap a server needed; the cap actually sent is in each record.
 */
import type { ChatBody } from './generation.js';

/** Tokens the chat template adds per message (role markers) and once per prompt (generation prompt). */
const PER_MESSAGE_TOKENS = 8;
const PER_PROMPT_TOKENS = 16;

/** An upper-bound guess of a prompt's token count: tokenizers give about 3.5-4.5 characters a token on English and LaTeX. */
export function estimatePromptTokens(messages: ReadonlyArray<{ content?: unknown }>): number {
  let chars = 0;
  for (const m of messages) {
    const c = m.content;
    if (typeof c === 'string') chars += c.length;
    else if (c !== undefined && c !== null) chars += JSON.stringify(c).length;
  }
  return Math.ceil(chars / 3) + PER_MESSAGE_TOKENS * messages.length + PER_PROMPT_TOKENS;
}

function maxTokensOf(body: ChatBody): number | null {
  const m = body.max_tokens;
  return typeof m === 'number' && Number.isFinite(m) ? m : null;
}

/**
 * The body to send given the model's context length: max_tokens lowered so the estimated prompt
 * plus max_tokens fits. Unchanged (same object) when it already fits, when the body sets no
 * max_tokens, when the context length is unknown, or when even the estimate leaves no room
 * (the server's exact count then decides, through the 400 retry).
 */
export function capToContext(body: ChatBody, maxModelLen: number | null): ChatBody {
  const want = maxTokensOf(body);
  if (want === null || maxModelLen === null || !(maxModelLen > 0)) return body;
  const room = maxModelLen - estimatePromptTokens(body.messages);
  if (room < 1 || want <= room) return body;
  return { ...body, max_tokens: room };
}

export interface ContextError {
  /** The model's context length, when the message states it. */
  maxModelLen: number | null;
  /** Tokens of the prompt as the server counted them. */
  inputTokens: number;
}

// Every wording in ../shared/notes/vllm-api.md §6 (vLLM <= 0.10.1, ~0.10.2/0.11, 2026 builds).
const INPUT_PATTERNS = [
  /\((\d+) in the messages/, // "you requested 4600 tokens (4000 in the messages, 600 in the completion)"
  /you requested (\d+) tokens in the messages/, // prompt alone too long, old wording
  /request has (\d+) input tokens/, // ~0.10.2/0.11, both cases
  /contains at least (\d+) input tokens/, // 2026 builds
  /parameter=input_tokens, value=(\d+)/,
];

/** Reads a context-length rejection; null when the message is not one (or names no input count). */
export function parseContextError(message: string): ContextError | null {
  if (!/maximum context length/i.test(message)) return null;
  const len = /maximum context length is (\d+)/i.exec(message);
  for (const re of INPUT_PATTERNS) {
    const m = re.exec(message);
    if (m) return { maxModelLen: len ? Number(len[1]) : null, inputTokens: Number(m[1]) };
  }
  return null;
}

/**
 * After a 400 context-length rejection: the body to send once more (max_tokens = context length
 * - the server's input count), or null when the prompt alone does not fit (record the error).
 */
export function bodyAfterContextError(body: ChatBody, message: string, knownMaxModelLen: number | null): ChatBody | null {
  const e = parseContextError(message);
  if (!e) return null;
  const maxLen = e.maxModelLen ?? knownMaxModelLen;
  if (maxLen === null) return null;
  const room = maxLen - e.inputTokens;
  if (room < 1) return null;
  const want = maxTokensOf(body);
  if (want !== null && want <= room) return null; // not what the server complained about: do not loop
  return { ...body, max_tokens: room };
}

/**
 * After an answer cut by a max_tokens that capping lowered: the body to send once more with the
 * room the server's prompt count leaves (up to the planned max_tokens), or null when the cap
 * already gave all the room there was.
 */
export function bodyAfterCappedTruncation(
  sent: ChatBody,
  planned: number | null,
  finishReason: string | null,
  promptTokens: number | null,
  maxModelLen: number | null,
): ChatBody | null {
  const capped = maxTokensOf(sent);
  if (finishReason !== 'length' || capped === null || planned === null || capped >= planned) return null;
  if (promptTokens === null || maxModelLen === null) return null;
  const room = Math.min(planned, maxModelLen - promptTokens);
  if (room <= capped) return null;
  return { ...sent, max_tokens: room };
}
