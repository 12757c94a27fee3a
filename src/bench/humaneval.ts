/**
 * HumanEval (Chen et al. 2021): 164 Python functions, each scored by running hidden unit
 * tests on the model's code. As upstream (openai/human-eval execution.py): the program is
 * `prompt + completion + "\n" + test + "\n" + "check(entry_point)"`, executed with a 3 s
 * limit, passed when it runs to the end; pass@k from n samples by the unbiased estimator.
 *
 * Extraction policy 'upstream' is how OpenAI scores HumanEval for chat models, simple-evals
 * humaneval_eval.py @ 093107e0 (find_code), behaviour for behaviour: the first block opened by
 * exactly "```python\n", else the whole response; then everything up to the first ":\n    " is cut
 * off (meant to remove the signature: when there is none, `find` gives -1 and the first character
 * goes); the rest is appended to the prompt, `prompt + completion + "\n" + test + "\n" +
 * "check(entry_point)"` as human-eval execution.py builds it. A helper function before the entry
 * point, a "```py" fence or code without a signature therefore fails there.
 *
 * Policy 'robust' (masa's reading) departs from upstream as follows (and scores the same way
 * otherwise):
 * - Chat models answer with a whole function in a code block, not a raw continuation: the
 *   extraction takes the block defining the entry point (any python fence, else the first
 *   block, else bare code; reasoning before </think> skipped). A full function is prefixed with
 *   the prompt's text before its `def` (its imports and helper functions, e.g. `encode_cyclic`); a
 *   bare body is appended to the prompt as upstream does (re-indented if the model dedented it).
 *
 * Where masa departs from upstream under both policies, on purpose:
 * - The code runs in a real sandbox (src/bench/sandbox.ts), not in-process with
 *   `reliability_guard`. The 3 s are CPU seconds; a wall-clock limit (10 s) catches code that
 *   sleeps or blocks. Outcomes: passed, failed (with the failing assertion or exception),
 *   timeout, crashed (killed by a signal), rejected (the sandbox refused to run it).
 *   As with upstream's exec in a fresh namespace, `if __name__ == "__main__":` blocks do not
 *   run, and nothing leaks between problems (Reflexion's harness exec'd into its own globals,
 *   which is why one of its recorded passes fails here; see test/bench/humaneval-replay.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MasaError } from '../core/errors.js';
import { parseJsonl } from '../core/jsonl.js';
import { passAtK } from './passk.js';
import { requireSandbox, runPython, type RunResult } from './sandbox.js';
import type { Benchmark, ChatMessage, Extraction, ExtractionPolicy, GenerationHints, Item, Trial, TrialScore } from './types.js';

export interface HumanEvalItem extends Item {
  /** Signature and docstring (with the imports and helpers before it). */
  prompt: string;
  entry_point: string;
  /** Upstream's reference body (appended to the prompt it passes). */
  canonical_solution: string;
  /** Python source defining `check(candidate)`. */
  test: string;
}

export interface HumanEvalOptions {
  /** Completions per problem (n). */
  samples: number;
  /** k of the pass@k an item's score estimates from its n samples. */
  pass_k: number;
  max_tokens: number;
  /** CPU seconds per problem (upstream timeout: 3.0). */
  timeout_s: number;
  /** Wall-clock seconds per problem. */
  wall_timeout_s: number;
  /** Address space per process, MiB. */
  memory_mb: number;
  /** Processes (and threads) at once inside one problem's sandbox. */
  max_procs: number;
  /** Output (stdout + stderr) before the run is killed, KiB. */
  max_output_kb: number;
  /** Run the code without bubblewrap (set by --unsafe-exec). */
  unsafe_exec: boolean;
  /** The Python that runs the code. */
  python: string;
}

export const HUMANEVAL_DEFAULTS: HumanEvalOptions = {
  samples: 1,
  pass_k: 1,
  max_tokens: 1024,
  timeout_s: 3,
  wall_timeout_s: 10,
  memory_mb: 512,
  max_procs: 16,
  max_output_kb: 1024,
  unsafe_exec: false,
  python: '/usr/bin/python3',
};

const FILE = 'HumanEval.jsonl';

interface RawProblem {
  task_id?: unknown;
  prompt?: unknown;
  entry_point?: unknown;
  canonical_solution?: unknown;
  test?: unknown;
}

/** Parses upstream HumanEval JSONL text (one problem a line). */
export function parseHumanEval(text: string, file: string): HumanEvalItem[] {
  const items: HumanEvalItem[] = [];
  const seen = new Set<string>();
  for (const { line, value } of parseJsonl<RawProblem>(text, file)) {
    for (const key of ['task_id', 'prompt', 'entry_point', 'test'] as const) {
      if (typeof value[key] !== 'string' || (key !== 'prompt' && (value[key] as string).trim() === '')) {
        throw new MasaError(`${file}:${line}: field "${key}" must be a non-empty string`);
      }
    }
    const id = value.task_id as string;
    if (seen.has(id)) throw new MasaError(`${file}:${line}: duplicate task_id ${id}`);
    seen.add(id);
    const entry = value.entry_point as string;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(entry)) throw new MasaError(`${file}:${line}: entry_point "${entry}" is not a Python name`);
    items.push({
      id,
      tags: {},
      cluster: id,
      source: `${file}:${line}`,
      prompt: value.prompt as string,
      entry_point: entry,
      canonical_solution: typeof value.canonical_solution === 'string' ? value.canonical_solution : '',
      test: value.test as string,
    });
  }
  return items;
}

/** Reads `<dir>/HumanEval.jsonl`, or the upstream `.jsonl.gz`. */
export function loadHumanEval(dir: string): HumanEvalItem[] {
  const plain = join(dir, FILE);
  if (existsSync(plain)) return parseHumanEval(readFileSync(plain, 'utf8'), plain);
  const gz = `${plain}.gz`;
  if (existsSync(gz)) return parseHumanEval(gunzipSync(readFileSync(gz)).toString('utf8'), gz);
  throw new MasaError(`HumanEval: neither ${plain} nor ${gz} exists`);
}

export function humanEvalMessages(item: HumanEvalItem): ChatMessage[] {
  const prompt = item.prompt.endsWith('\n') ? item.prompt : `${item.prompt}\n`;
  return [
    {
      role: 'user',
      content:
        `Complete the following Python function \`${item.entry_point}\`. ` +
        'Reply with the complete function (its signature, and any imports it needs) in a single ```python code block.\n\n' +
        '```python\n' +
        prompt +
        '```',
    },
  ];
}

const PY_LANGS = new Set(['', 'python', 'py', 'python3', 'py3']);

function definesAt(code: string, entry: string): RegExpExecArray | null {
  return new RegExp(`^(?:async[ \\t]+)?def[ \\t]+${entry}[ \\t]*\\(`, 'm').exec(code);
}

function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}

/** Fenced code blocks, line by line; an unterminated block (a truncated reply) runs to the end. */
function codeBlocks(text: string): Array<{ lang: string; code: string }> {
  const blocks: Array<{ lang: string; code: string }> = [];
  let open: { lang: string; lines: string[] } | null = null;
  for (const line of text.split('\n')) {
    if (open === null) {
      const m = /^[ \t]*```[ \t]*([A-Za-z0-9_+-]*)/.exec(line);
      if (m) open = { lang: m[1]!.toLowerCase(), lines: [] };
    } else if (/^[ \t]*```[ \t]*\r?$/.test(line)) {
      blocks.push({ lang: open.lang, code: open.lines.join('\n') });
      open = null;
    } else {
      open.lines.push(line);
    }
  }
  if (open) blocks.push({ lang: open.lang, code: open.lines.join('\n') });
  return blocks;
}

/**
 * The code of a response: the code block defining the entry point (else the first Python
 * block, else any block), or the bare text. `rule` says which, and whether the code is a
 * whole function ('function') or a body to append to the prompt ('body').
 */
export function extractCode(response: string, entryPoint: string): Extraction {
  // A reasoning model's thoughts are not the answer.
  const think = response.lastIndexOf('</think>');
  const text = think >= 0 ? response.slice(think + '</think>'.length) : response;
  const blocks = codeBlocks(text);
  let code: string;
  let source: string;
  if (blocks.length > 0) {
    const py = blocks.filter((b) => PY_LANGS.has(b.lang));
    const pick = py.find((b) => definesAt(b.code, entryPoint)) ?? py[0] ?? blocks[0]!;
    code = trimBlankLines(pick.code);
    source = 'fenced';
  } else {
    code = trimBlankLines(text);
    source = 'bare';
    // Prose before a bare function: start at the first top-level import, decorator or def.
    if (definesAt(code, entryPoint)) {
      const start = /^(?:from[ \t]+\S+[ \t]+import[ \t]|import[ \t]|@|(?:async[ \t]+)?def[ \t]|class[ \t])/m.exec(code);
      if (start && start.index > 0) code = code.slice(start.index);
    }
  }
  if (code.trim() === '') return { answer: null, rule: 'none' };
  // A whole function indented as a block (e.g. inside a markdown list item): dedent it.
  if (!definesAt(code, entryPoint)) {
    const flat = dedent(code);
    if (definesAt(flat, entryPoint)) code = flat;
  }
  return { answer: code, rule: `${source}-${definesAt(code, entryPoint) ? 'function' : 'body'}` };
}

/** Removes the leading whitespace all non-blank lines share (Python's textwrap.dedent). */
function dedent(code: string): string {
  const lines = code.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0]);
  if (indents.length === 0) return code;
  let common = indents[0]!;
  for (const ind of indents) while (!ind.startsWith(common)) common = common.slice(0, -1);
  return common === '' ? code : lines.map((l) => (l.startsWith(common) ? l.slice(common.length) : l.trimStart())).join('\n');
}

/** Re-indents a body the model wrote flush left, so it continues the prompt's function. */
function asBody(code: string): string {
  const first = code.split('\n').find((l) => l.trim() !== '') ?? '';
  if (/^[ \t]/.test(first)) return code;
  return code
    .split('\n')
    .map((l) => (l.trim() === '' ? l : `    ${l}`))
    .join('\n');
}

/** The prompt's text before the entry point's `def`: its imports and helper functions. */
export function promptPreamble(item: HumanEvalItem): string {
  const m = definesAt(item.prompt, item.entry_point);
  if (m) return item.prompt.slice(0, m.index);
  return item.prompt
    .split('\n')
    .filter((l) => /^(?:from|import)[ \t]/.test(l))
    .join('\n');
}

/** simple-evals find_code (see the file header). */
export function findCodeUpstream(completion: string): string {
  const m = /```python\n([\s\S]*?)```/.exec(completion);
  const code = m ? m[1]! : completion;
  return code.slice(code.indexOf(':\n    ') + 2);
}

/** human-eval execution.py's check_program for a completion. */
export function upstreamProgram(item: HumanEvalItem, completion: string): string {
  return `${item.prompt}${completion}\n${item.test}\ncheck(${item.entry_point})`;
}

/** The program the sandbox runs for an extracted completion (null = nothing extracted). */
export function buildProgram(item: HumanEvalItem, code: string | null): string {
  let solution: string;
  if (code !== null && definesAt(code, item.entry_point)) solution = `${promptPreamble(item)}\n${code}`;
  else solution = item.prompt + (code === null ? '' : asBody(code));
  return `${solution}\n\n${item.test}\n\ncheck(${item.entry_point})\n`;
}

function limitsOf(o: HumanEvalOptions) {
  return {
    cpuSeconds: o.timeout_s,
    wallSeconds: o.wall_timeout_s,
    memoryMb: o.memory_mb,
    maxProcesses: o.max_procs,
    maxOutputBytes: Math.round(o.max_output_kb * 1024),
  };
}

/** Executes a program for an item under the options' limits. */
export function execute(program: string, options: HumanEvalOptions): Promise<RunResult> {
  return runPython({ program, limits: limitsOf(options), unsafe: options.unsafe_exec, python: options.python });
}

/** The verdicts of the asked policies; a program both policies build runs once. */
async function scoreHumanEval(item: HumanEvalItem, response: string | null, options: HumanEvalOptions, policies: ExtractionPolicy[]): Promise<Partial<Record<ExtractionPolicy, TrialScore>>> {
  requireSandbox(options.unsafe_exec);
  const out: Partial<Record<ExtractionPolicy, TrialScore>> = {};
  if (response === null) {
    for (const p of policies) out[p] = { extracted: null, rule: 'none', gold: 'pass', correct: false, status: 'failed', detail: 'no response' };
    return out;
  }
  const runs = new Map<string, Promise<RunResult>>();
  const run = (program: string): Promise<RunResult> => {
    let r = runs.get(program);
    if (!r) runs.set(program, (r = execute(program, options)));
    return r;
  };
  await Promise.all(
    policies.map(async (p) => {
      const ex = p === 'upstream' ? { answer: findCodeUpstream(response), rule: 'find-code' } : extractCode(response, item.entry_point);
      const program = p === 'upstream' ? upstreamProgram(item, ex.answer!) : buildProgram(item, ex.answer);
      const r = await run(program);
      const s: TrialScore = { extracted: ex.answer, rule: ex.rule, gold: 'pass', correct: r.status === 'passed', status: r.status };
      if (r.detail) s.detail = r.detail;
      out[p] = s;
    }),
  );
  return out;
}

export const humaneval: Benchmark<HumanEvalItem, HumanEvalOptions> = {
  id: 'humaneval',
  title: 'HumanEval',
  group: 'SA',
  pillar: 'single-agent',
  metric: 'pass@1',
  dataset: 'HumanEval',
  citation: 'Chen et al. 2021, Evaluating Large Language Models Trained on Code (arXiv 2107.03374)',
  defaultOptions: HUMANEVAL_DEFAULTS,
  optionDocs: {
    samples: { description: 'Completions per problem (n); the item score is the unbiased pass@k estimate from them (default 1).' },
    pass_k: { description: 'k of pass@k (default 1: the item score is the fraction of passing samples).' },
    max_tokens: { description: 'Token budget of a completion (default 1024).' },
    timeout_s: { description: 'CPU seconds a problem may use (upstream timeout 3.0; default 3).' },
    wall_timeout_s: { description: 'Wall-clock seconds a problem may take, for code that sleeps or blocks (default 10).' },
    memory_mb: { description: 'Address space per process in MiB (default 512; allocating more raises MemoryError).' },
    max_procs: { description: 'Processes and threads at once in a problem\'s sandbox (default 16; a fork bomb stops there).' },
    max_output_kb: { description: 'stdout + stderr a problem may print before it is killed and failed, KiB (default 1024).' },
    unsafe_exec: {
      description: 'Run the code WITHOUT the bubblewrap sandbox, under resource limits only (--unsafe-exec; default false).',
      choices: [false, true],
    },
    python: { description: "Python that runs the code (default Debian's /usr/bin/python3)." },
  },

  async load(dir) {
    return loadHumanEval(dir);
  },

  trials(_item, options) {
    return Array.from({ length: options.samples }, (_, index) => ({ index, permutation: null }));
  },

  messages(item) {
    return humanEvalMessages(item);
  },

  generation(options): GenerationHints {
    if (options.samples <= 1) return { max_tokens: options.max_tokens, temperature: 0 };
    // Codex paper: T = 0.2 for pass@1 estimated from samples, 0.8 for larger k.
    return { max_tokens: options.max_tokens, temperature: options.pass_k > 1 ? 0.8 : 0.2, top_p: 0.95 };
  },

  extract(response, item, _trial, _options, policy = 'robust') {
    return policy === 'upstream' ? { answer: findCodeUpstream(response), rule: 'find-code' } : extractCode(response, item.entry_point);
  },

  async score(item, response, _trial: Trial, options, policy = 'robust'): Promise<TrialScore> {
    const both = await scoreHumanEval(item, response, options, [policy]);
    return both[policy]!;
  },

  async scoreBoth(item, response, _trial: Trial, options) {
    const both = await scoreHumanEval(item, response, options, ['upstream', 'robust']);
    return { upstream: both.upstream!, robust: both.robust! };
  },

  reduce(item, trials, options) {
    const n = trials.length;
    if (n === 0) return 0;
    const c = trials.filter((t) => t.correct).length;
    if (options.pass_k > n) throw new MasaError(`${item.id}: pass@${options.pass_k} needs at least ${options.pass_k} samples, got ${n}`);
    return passAtK(n, c, options.pass_k);
  },

  chance() {
    return 0;
  },
};
