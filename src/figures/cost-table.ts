/**
 * The report's "What the server spent" section, from `masa summarize --costs-out` (costs.csv,
 * src/analysis/run-costs.ts): one row per run and a total, with what the prefix cache saved.
 */
import { readFileSync } from 'node:fs';
import { parseCsv, parseCsvRows } from '../core/csv.js';
import { MasaError } from '../core/errors.js';
import { COST_COLUMNS, type RunCostRow } from '../analysis/run-costs.js';
import { escapeHtml } from './export.js';

const TEXT = new Set(['model', 'benchmark', 'run_id']);
const FLAGS = new Set(['reasoning_estimated', 'synthetic']);

/** Reads a cost table, naming the file and the column at fault. */
export function readCosts(file: string): RunCostRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MasaError(`${file}: cannot read the cost table (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const header = parseCsvRows(text.split(/\r?\n/, 1)[0] ?? '', file)[0]?.cells ?? [];
  const rows = parseCsv(text, file);
  for (const c of COST_COLUMNS) if (!header.includes(c)) throw new MasaError(`${file}: missing column '${c}' (a cost table from 'masa summarize --costs-out')`);
  return rows.map(({ line, record }) => {
    const out: Record<string, unknown> = {};
    for (const c of COST_COLUMNS) {
      const v = record[c] ?? '';
      if (TEXT.has(c)) out[c] = v;
      else if (FLAGS.has(c)) out[c] = v === 'true';
      else if (v === '') out[c] = null;
      else if (Number.isFinite(Number(v))) out[c] = Number(v);
      else throw new MasaError(`${file}:${line}: column '${c}' is '${v}', expected a number`);
    }
    return out as unknown as RunCostRow;
  });
}

const n = (v: number | null, d = 0): string => (v === null ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));

/** The section's HTML: the total first, then a row per run. */
export function costSection(rows: readonly RunCostRow[]): string {
  if (rows.length === 0) return '<p class="note">No cost table.</p>';
  const sum = (f: (r: RunCostRow) => number | null): number | null => {
    let s = 0;
    for (const r of rows) {
      const v = f(r);
      if (v === null) return null;
      s += v;
    }
    return s;
  };
  const total = {
    requests: sum((r) => r.requests),
    prompt: sum((r) => r.prompt_tokens),
    cached: sum((r) => r.cached_tokens),
    computed: sum((r) => r.computed_prompt_tokens),
    completion: sum((r) => r.completion_tokens),
    reasoning: sum((r) => r.reasoning_tokens),
    wall: sum((r) => r.wall_s),
  };
  const cell = (r: RunCostRow): string =>
    `<tr><td>${escapeHtml(r.model)}</td><td>${escapeHtml(r.benchmark)}</td><td class="num">${n(r.requests)}</td><td class="num">${n(r.prompt_tokens)}</td><td class="num">${n(r.cached_tokens)}</td><td class="num">${n(r.computed_prompt_tokens)}</td><td class="num">${n(r.completion_tokens)}</td><td class="num">${n(r.reasoning_tokens)}${r.reasoning_estimated ? '~' : ''}</td><td class="num">${n(r.wall_s, 1)}</td><td class="num">${n(r.tokens_per_s)}</td></tr>`;
  const saved = total.cached !== null && total.prompt ? ` The prefix cache served ${n((100 * total.cached) / total.prompt, 1)}% of the prompt tokens.` : ' The server did not report cached tokens (vLLM: --enable-prompt-tokens-details).';
  return `<p>${n(total.requests)} requests, ${n(total.prompt)} prompt tokens (${n(total.computed)} computed), ${n(total.completion)} completion tokens of which ${n(total.reasoning)} reasoning, over ${n(total.wall, 0)} s of runs.${saved}${rows.some((r) => r.synthetic) ? " <b>Simulated models: the token counts are the simulator's, synthetic.</b>" : ''}</p>
<table><tr><th>Model</th><th>Benchmark</th><th>Requests</th><th>Prompt tokens</th><th>cached</th><th>computed</th><th>Completion tokens</th><th>reasoning</th><th>Wall s</th><th>Tokens/s</th></tr>${rows.map(cell).join('\n')}</table>
<p class="note">A request shared by several trials counts once. ~: reasoning tokens estimated from the reasoning text's share of the answer. Tokens/s: (computed prompt + completion tokens) per second of wall time.</p>`;
}
