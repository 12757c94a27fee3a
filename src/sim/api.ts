/**
 * The wire format of vLLM's OpenAI-compatible server as the simulator emulates it (facts in
 * ../shared/notes/vllm-api.md): request validation with vLLM's statuses and messages, the
 * nested error body of vLLM >= 0.10.1, and response objects listing every field (nulls too).
 * Emulated version: 0.11.1 (both `reasoning` and `reasoning_content` are sent).
 */
export const EMULATED_VLLM_VERSION = '0.11.1';
export const MAX_LOGPROBS = 20;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export function badRequest(message: string, param: string | null = null): ApiError {
  return new ApiError(400, 'BadRequestError', message, param);
}

/** vLLM >= 0.10.1 error body: {"error":{message,type,param,code}} with code = HTTP status. */
export function errorBody(e: ApiError): string {
  return JSON.stringify({ error: { message: e.message, type: e.type, param: e.param, code: e.status } });
}

export interface ChatRequest {
  model: string | undefined;
  /** Text of every message in order (multi-part contents joined), for hashing and token counts. */
  contents: string[];
  /** Role of every message, in the same order: games read their observation back from the conversation, and the prefix cache tokenizes the template's role markers. */
  roles: string[];
  /** Text of the last user message: what the simulator recognises. */
  lastUser: string;
  n: number;
  temperature: number | null;
  seed: number | null;
  maxTokens: number | null;
  stop: string[];
  includeStopStr: boolean;
  logprobs: boolean;
  topLogprobs: number;
  stream: boolean;
  includeUsage: boolean;
  /** chat_template_kwargs.enable_thinking; undefined = the model's default. */
  enableThinking: boolean | undefined;
  includeReasoning: boolean;
}

type Json = Record<string, unknown>;

function pydantic(loc: string, msg: string, input: unknown): ApiError {
  // The shape of str(RequestValidationError) that vLLM returns for field errors, shortened.
  return badRequest(`[{'type': 'value_error', 'loc': ('body', '${loc}'), 'msg': '${msg}', 'input': ${JSON.stringify(input) ?? 'None'}}]`, loc);
}

function optNumber(body: Json, key: string): number | null {
  const v = body[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw pydantic(key, 'Input should be a valid number', v);
  return v;
}

function optInt(body: Json, key: string): number | null {
  const v = optNumber(body, key);
  if (v !== null && !Number.isInteger(v)) throw pydantic(key, 'Input should be a valid integer', v);
  return v;
}

function optBool(body: Json, key: string): boolean | null {
  const v = body[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') throw pydantic(key, 'Input should be a valid boolean', v);
  return v;
}

function messageText(m: unknown, i: number): { role: string; text: string } {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw pydantic(`messages.${i}`, 'Input should be a valid dictionary', m);
  const msg = m as Json;
  if (typeof msg.role !== 'string') throw pydantic(`messages.${i}.role`, 'Field required', msg.role);
  const c = msg.content;
  if (c === undefined || c === null) return { role: msg.role, text: '' };
  if (typeof c === 'string') return { role: msg.role, text: c };
  if (Array.isArray(c)) {
    const parts: string[] = [];
    for (const p of c) {
      if (typeof p === 'string') parts.push(p);
      else if (p && typeof p === 'object' && typeof (p as Json).text === 'string') parts.push((p as Json).text as string);
    }
    return { role: msg.role, text: parts.join('\n') };
  }
  throw pydantic(`messages.${i}.content`, 'Input should be a valid string', c);
}

/**
 * Parses and validates a chat request body the way vLLM does: unknown fields are accepted and
 * ignored; field and sampling-parameter errors are 400 BadRequestError (never 422).
 */
export function parseChatRequest(raw: unknown): ChatRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw pydantic('', 'Input should be a valid dictionary', raw);
  const body = raw as Json;
  if (body.model !== undefined && body.model !== null && typeof body.model !== 'string') throw pydantic('model', 'Input should be a valid string', body.model);
  if (!Array.isArray(body.messages)) throw pydantic('messages', body.messages === undefined ? 'Field required' : 'Input should be a valid list', body.messages);
  if (body.messages.length === 0) throw badRequest('messages must not be empty', 'messages');
  const contents: string[] = [];
  const roles: string[] = [];
  let lastUser = '';
  let sawUser = false;
  body.messages.forEach((m, i) => {
    const { role, text } = messageText(m, i);
    contents.push(text);
    roles.push(role);
    if (role === 'user') {
      lastUser = text;
      sawUser = true;
    }
  });
  if (!sawUser) lastUser = contents[contents.length - 1]!;

  const n = optInt(body, 'n') ?? 1;
  if (n < 1) throw badRequest(`n must be at least 1, got ${n}.`, 'n');
  const temperature = optNumber(body, 'temperature');
  if (temperature !== null && temperature < 0) throw badRequest(`temperature must be non-negative, got ${temperature}.`, 'temperature');
  if (temperature !== null && temperature < 1e-5 && n > 1) throw badRequest(`n must be 1 when using greedy sampling, got ${n}.`, 'n');
  const topP = optNumber(body, 'top_p');
  if (topP !== null && (topP <= 0 || topP > 1)) throw badRequest(`top_p must be in (0, 1], got ${topP}.`, 'top_p');
  const topK = optInt(body, 'top_k');
  if (topK !== null && topK < -1) throw badRequest(`top_k must be 0 (disable), or at least 1, got ${topK}.`, 'top_k');
  const minP = optNumber(body, 'min_p');
  if (minP !== null && (minP < 0 || minP > 1)) throw badRequest(`min_p must be in [0, 1], got ${minP}.`, 'min_p');
  const rep = optNumber(body, 'repetition_penalty');
  if (rep !== null && rep <= 0) throw badRequest(`repetition_penalty must be greater than zero, got ${rep}.`, 'repetition_penalty');
  for (const key of ['presence_penalty', 'frequency_penalty']) {
    const v = optNumber(body, key);
    if (v !== null && (v < -2 || v > 2)) throw badRequest(`${key} must be in [-2, 2], got ${v}.`, key);
  }
  const seed = optInt(body, 'seed');
  if (seed !== null && (seed < -9223372036854775808 || seed > 9223372036854775807)) throw pydantic('seed', 'Input should be less than or equal to 9223372036854775807', seed);
  const maxTokens = optInt(body, 'max_completion_tokens') ?? optInt(body, 'max_tokens');
  if (maxTokens !== null && maxTokens < 1) throw badRequest(`max_tokens must be at least 1, got ${maxTokens}.`, 'max_tokens');

  let stop: string[] = [];
  if (typeof body.stop === 'string') stop = [body.stop];
  else if (Array.isArray(body.stop)) {
    if (!body.stop.every((s) => typeof s === 'string')) throw pydantic('stop', 'Input should be a valid string', body.stop);
    stop = body.stop as string[];
  } else if (body.stop !== undefined && body.stop !== null) throw pydantic('stop', 'Input should be a valid string', body.stop);
  stop = stop.filter((s) => s !== '');

  const logprobs = optBool(body, 'logprobs') ?? false;
  const topLogprobs = optInt(body, 'top_logprobs') ?? 0;
  if (topLogprobs > 0 && !logprobs) throw badRequest('when using `top_logprobs`, `logprobs` must be set to true.', 'top_logprobs');
  if (topLogprobs < 0) throw badRequest('`top_logprobs` must be a positive value.', 'top_logprobs');
  if (topLogprobs > MAX_LOGPROBS) throw badRequest(`Requested sample logprobs of ${topLogprobs}, which is greater than max allowed: ${MAX_LOGPROBS}`, 'top_logprobs');

  const stream = optBool(body, 'stream') ?? false;
  const so = body.stream_options;
  if (so !== undefined && so !== null && !stream) throw badRequest('Stream options can only be defined when `stream=True`.', 'stream_options');
  const includeUsage = stream && typeof so === 'object' && so !== null && (so as Json).include_usage === true;

  if (optBool(body, 'add_generation_prompt') === true && optBool(body, 'continue_final_message') === true) {
    throw badRequest('Cannot set both `continue_final_message` and `add_generation_prompt` to True.', 'continue_final_message');
  }
  if (body.tool_choice !== undefined && body.tool_choice !== null && body.tool_choice !== 'none' && (body.tools === undefined || body.tools === null)) {
    throw badRequest('When using `tool_choice`, `tools` must be set.', 'tool_choice');
  }
  if (body.tool_choice === 'auto' || (body.tools !== undefined && body.tools !== null && body.tool_choice === undefined)) {
    throw badRequest('"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', 'tool_choice');
  }

  let enableThinking: boolean | undefined;
  const kw = body.chat_template_kwargs;
  if (kw !== undefined && kw !== null) {
    if (typeof kw !== 'object' || Array.isArray(kw)) throw pydantic('chat_template_kwargs', 'Input should be a valid dictionary', kw);
    const et = (kw as Json).enable_thinking;
    if (typeof et === 'boolean') enableThinking = et;
  }

  return {
    model: (body.model as string | undefined | null) ?? undefined,
    contents,
    roles,
    lastUser,
    n,
    temperature,
    seed,
    maxTokens,
    stop,
    includeStopStr: optBool(body, 'include_stop_str_in_output') ?? false,
    logprobs,
    topLogprobs,
    stream,
    includeUsage,
    enableThinking,
    includeReasoning: optBool(body, 'include_reasoning') ?? true,
  };
}

export function unknownModel(name: string): ApiError {
  return new ApiError(404, 'NotFoundError', `The model \`${name}\` does not exist.`, 'model');
}

/** vLLM ~0.10.2/0.11 wording of the context-length errors (match on "maximum context length"). */
export function promptTooLong(maxLen: number, promptTokens: number): ApiError {
  return badRequest(
    `This model's maximum context length is ${maxLen} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`,
    'input_tokens',
  );
}

export function completionTooLong(maxLen: number, promptTokens: number, maxTokens: number): ApiError {
  return badRequest(
    `'max_tokens' or 'max_completion_tokens' is too large: ${maxTokens}. This model's maximum context length is ${maxLen} tokens and your request has ${promptTokens} input tokens (${maxTokens} > ${maxLen} - ${promptTokens}).`,
    'max_tokens',
  );
}

/** 32 lowercase hex characters, like vLLM's random_uuid(). */
export function randomHex32(next: () => number): string {
  let s = '';
  for (let i = 0; i < 4; i++) s += (Math.floor(next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
  return s;
}

export interface ModelCardInput {
  id: string;
  root: string;
  maxModelLen: number;
}

export function modelList(models: readonly ModelCardInput[], nowSec: number, next: () => number): object {
  return {
    object: 'list',
    data: models.map((m) => ({
      id: m.id,
      object: 'model',
      created: nowSec,
      owned_by: 'vllm',
      root: m.root,
      parent: null,
      max_model_len: m.maxModelLen,
      permission: [
        {
          id: `modelperm-${randomHex32(next)}`,
          object: 'model_permission',
          created: nowSec,
          allow_create_engine: false,
          allow_sampling: true,
          allow_logprobs: true,
          allow_search_indices: false,
          allow_view: true,
          allow_fine_tuning: false,
          organization: '*',
          group: null,
          is_blocking: false,
        },
      ],
    })),
  };
}
