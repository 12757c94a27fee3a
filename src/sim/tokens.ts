/**
 * The simulator's tokenizer is an approximation: one token per 4 characters (rounded up),
 * the usual rule of thumb for English BPE vocabularies. A chat prompt also pays 4 tokens per
 * message (role markers of a chat template) and 3 for the assistant header. Counts are only
 * used for usage, context-length checks, max_tokens cuts and latency, so the approximation
 * keeps them consistent with each other, not with any real tokenizer.
 */
export const CHARS_PER_TOKEN = 4;
export const TOKENS_PER_MESSAGE = 4;
export const TOKENS_PER_REPLY = 3;

export function countTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function promptTokens(contents: readonly string[]): number {
  let n = TOKENS_PER_REPLY;
  for (const c of contents) n += TOKENS_PER_MESSAGE + countTokens(c);
  return n;
}

/** The first `tokens` tokens of a text. */
export function cutToTokens(text: string, tokens: number): string {
  return text.slice(0, Math.max(0, tokens) * CHARS_PER_TOKEN);
}

/** A text split into its approximate tokens (4-character pieces). */
export function splitTokens(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += CHARS_PER_TOKEN) out.push(text.slice(i, i + CHARS_PER_TOKEN));
  return out;
}
