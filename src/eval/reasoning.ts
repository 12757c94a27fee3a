/**
 * Splitting a chat response into the answer (scored) and the reasoning (kept, never scored).
 * vLLM puts reasoning in `reasoning_content` (<= 0.11.0), in both `reasoning` and
 * `reasoning_content` (0.11.1+), or only `reasoning` (2026); without a reasoning parser the
 * <think>...</think> text stays inside `content`. A cut (finish_reason "length") response, or one
 * whose thinking never closed, has no answer.
 */

export interface SplitResponse {
  /** The text to score: content with any think block removed; null when there is none. */
  answer: string | null;
  reasoning: string | null;
  /** Cut by the token limit, or reasoning that never closed: scored as no answer. */
  truncated: boolean;
}

const OPEN = '<think>';
const CLOSE = '</think>';

function joinReasoning(parts: Array<string | null | undefined>): string | null {
  const kept = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return kept.length === 0 ? null : kept.join('\n');
}

/**
 * `field` is the server's reasoning field (reasoning ?? reasoning_content). Inline tags:
 * `<think>r</think>a` and the pre-filled form `r</think>a` (Qwen3-Thinking, QwQ templates put
 * <think> in the prompt) both give reasoning r and answer a; a leading `<think>` that never
 * closes is truncated reasoning.
 */
export function splitResponse(content: string | null | undefined, field: string | null | undefined, finishReason: string | null | undefined): SplitResponse {
  let answer: string | null = typeof content === 'string' ? content : null;
  let inline: string | null = null;
  let unclosed = false;
  if (answer !== null) {
    const close = answer.lastIndexOf(CLOSE);
    if (close >= 0) {
      const before = answer.slice(0, close);
      const open = before.indexOf(OPEN);
      inline = open >= 0 ? before.slice(open + OPEN.length) : before;
      const lead = open >= 0 ? before.slice(0, open) : '';
      answer = (lead.trim() === '' ? '' : lead) + answer.slice(close + CLOSE.length);
    } else {
      const open = answer.indexOf(OPEN);
      if (open >= 0 && answer.slice(0, open).trim() === '') {
        inline = answer.slice(open + OPEN.length);
        answer = '';
        unclosed = true;
      }
    }
    answer = answer.replace(/^\s+/, '');
  }
  const truncated = finishReason === 'length' || unclosed;
  return {
    answer: answer === null || answer === '' ? null : answer,
    reasoning: joinReasoning([field, inline]),
    truncated,
  };
}

/** The reasoning field of a chat message, whichever name the server version used. */
export function reasoningField(message: Record<string, unknown> | null | undefined): string | null {
  if (!message) return null;
  const r = message.reasoning ?? message.reasoning_content;
  return typeof r === 'string' ? r : null;
}
