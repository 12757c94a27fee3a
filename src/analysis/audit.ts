/**
 * `masa audit`'s engine: the responses a person should read before trusting a score. From a
 * results folder, the record that counts per (item, trial) (as summarize takes it), sorted into
 * three kinds: the two extraction policies disagree (one scores it right and the other not, or
 * one finds an answer and the other none), no answer found by either, and truncated by the token
 * limit. Grouped by model, benchmark, kind and the rules that fired, with counts and a few
 * examples each. Records written before both verdicts were kept are rescored from their stored
 * response (no request), as summarize does.
 */
import { MasaError } from '../core/errors.js';
import type { ExtractionPolicy, PolicyScores } from '../bench/types.js';
import type { PolicyVerdict, SampleRecord } from '../eval/records.js';
import { listRuns, readRecords, replacesKept } from '../eval/store.js';
import { registryAdapters, type BenchAdapterFactory } from './summarize-results.js';

export type AuditKind = 'disagree' | 'no-answer' | 'truncated';

export const AUDIT_KINDS: readonly AuditKind[] = ['disagree', 'no-answer', 'truncated'];

export interface AuditExample {
  run_id: string;
  item_id: string;
  trial: number;
  gold: string | null;
  upstream: PolicyVerdict;
  robust: PolicyVerdict;
  finish_reason: string | null;
  /** The end of the response (where answers stand), at most `tailChars` characters. */
  response_tail: string;
  response_chars: number;
  /** True when the record predates both verdicts and was rescored here. */
  rescored: boolean;
}

export interface AuditGroup {
  model: string;
  bench: string;
  kind: AuditKind;
  /** 'upstream rule → robust rule' (truncated: the finish reason). */
  rules: string;
  count: number;
  /** Of a 'disagree' group: how many only upstream, or only robust, scores right. */
  upstream_only: number;
  robust_only: number;
  examples: AuditExample[];
}

export interface AuditRunSummary {
  model: string;
  bench: string;
  run_id: string;
  trials: number;
  counts: Record<AuditKind, number>;
  upstream_correct: number;
  robust_correct: number;
  rescored: number;
}

export interface AuditResult {
  groups: AuditGroup[];
  runs: AuditRunSummary[];
  totals: Record<AuditKind, number>;
  records: number;
  warnings: string[];
}

export interface AuditOptions {
  benches?: readonly string[];
  models?: readonly string[];
  /** Examples kept per group (default 3). */
  examples?: number;
  tailChars?: number;
  dataRoot?: string;
  adapters?: BenchAdapterFactory;
  onWarning?: (message: string) => void;
}

/** Which kind a counted trial is, or null when both policies agree on a found answer. */
export function auditKind(truncated: boolean, up: PolicyVerdict, rob: PolicyVerdict): AuditKind | null {
  if (truncated) return 'truncated';
  if (up.correct !== rob.correct || (up.extracted === null) !== (rob.extracted === null)) return 'disagree';
  if (up.extracted === null && rob.extracted === null) return 'no-answer';
  return null;
}

function brief(v: { extracted: string | null; rule: string; correct: boolean; status?: string | null }): PolicyVerdict {
  return { extracted: v.extracted, rule: v.rule, correct: v.correct, status: v.status ?? null };
}

function tail(s: string | null, n: number): string {
  if (s === null) return '';
  return s.length <= n ? s : `…${s.slice(s.length - n)}`;
}

async function verdictsOf(r: SampleRecord, rescore: ((r: SampleRecord) => Promise<PolicyScores | null>) | null): Promise<{ up: PolicyVerdict; rob: PolicyVerdict; rescored: boolean }> {
  if (r.policies) return { up: r.policies.upstream, rob: r.policies.robust, rescored: false };
  const both = rescore ? await rescore(r) : null;
  if (both) return { up: brief(both.upstream), rob: brief(both.robust), rescored: true };
  const one = brief({ extracted: r.extracted, rule: r.rule ?? 'none', correct: r.correct === true, status: r.status });
  return { up: one, rob: one, rescored: false };
}

export async function auditResults(dir: string, opts: AuditOptions = {}): Promise<AuditResult> {
  const runs = listRuns(dir);
  if (runs.length === 0) throw new MasaError(`${dir}: no run folders (expected <dir>/<run_id>/samples.jsonl)`, { exitCode: 2 });
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
    opts.onWarning?.(m);
  };
  const adapters = opts.adapters ?? registryAdapters(opts.dataRoot, warn);
  const keep = opts.examples ?? 3;
  const tailChars = opts.tailChars ?? 400;
  const groups = new Map<string, AuditGroup>();
  const summaries: AuditRunSummary[] = [];
  const totals: Record<AuditKind, number> = { disagree: 0, 'no-answer': 0, truncated: 0 };
  let records = 0;
  for (const run of runs) {
    const latest = new Map<string, SampleRecord>();
    for await (const r of readRecords(run.dir)) {
      if (opts.benches && !opts.benches.includes(r.bench)) break;
      if (opts.models && !opts.models.includes(r.model)) break;
      records++;
      const k = `${r.item_id}\u0000${r.trial}`;
      if (replacesKept(latest.has(k) ? latest.get(k)!.error === null : undefined, r.error === null)) latest.set(k, r);
    }
    const first = latest.values().next().value as SampleRecord | undefined;
    if (!first) continue;
    const adapter = await adapters(first.bench, run.meta?.bench_options ?? {});
    const rescore = adapter.rescore
      ? async (r: SampleRecord): Promise<PolicyScores | null> => {
          const item = adapter.item(r.item_id);
          return item ? adapter.rescore!(item, r.truncated ? null : r.response, { index: r.trial, permutation: r.permutation }) : null;
        }
      : null;
    const s: AuditRunSummary = { model: first.model, bench: first.bench, run_id: run.run_id, trials: 0, counts: { disagree: 0, 'no-answer': 0, truncated: 0 }, upstream_correct: 0, robust_correct: 0, rescored: 0 };
    const ordered = [...latest.values()].filter((r) => r.error === null).sort((a, b) => a.item_id.localeCompare(b.item_id, undefined, { numeric: true }) || a.trial - b.trial);
    for (const r of ordered) {
      const v = await verdictsOf(r, rescore);
      s.trials++;
      if (v.rescored) s.rescored++;
      if (v.up.correct) s.upstream_correct++;
      if (v.rob.correct) s.robust_correct++;
      const kind = auditKind(r.truncated === true, v.up, v.rob);
      if (!kind) continue;
      s.counts[kind]++;
      totals[kind]++;
      const rules = kind === 'truncated' ? `finish_reason ${r.finish_reason ?? '?'}` : `${v.up.rule} → ${v.rob.rule}`;
      const key = [r.model, r.bench, kind, rules].join('\u0000');
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { model: r.model, bench: r.bench, kind, rules, count: 0, upstream_only: 0, robust_only: 0, examples: [] }));
      g.count++;
      if (v.up.correct && !v.rob.correct) g.upstream_only++;
      if (v.rob.correct && !v.up.correct) g.robust_only++;
      if (g.examples.length < keep) {
        g.examples.push({
          run_id: run.run_id,
          item_id: r.item_id,
          trial: r.trial,
          gold: r.gold,
          upstream: v.up,
          robust: v.rob,
          finish_reason: r.finish_reason,
          response_tail: tail(r.response, tailChars),
          response_chars: r.response?.length ?? 0,
          rescored: v.rescored,
        });
      }
    }
    if (s.rescored > 0) warn(`${run.run_id}: ${s.rescored} record(s) written before both extraction policies were kept: rescored from their stored responses (no request)`);
    summaries.push(s);
  }
  const order = (k: AuditKind): number => AUDIT_KINDS.indexOf(k);
  const list = [...groups.values()].sort((a, b) => a.model.localeCompare(b.model) || a.bench.localeCompare(b.bench) || order(a.kind) - order(b.kind) || b.count - a.count || a.rules.localeCompare(b.rules));
  summaries.sort((a, b) => a.model.localeCompare(b.model) || a.bench.localeCompare(b.bench));
  return { groups: list, runs: summaries, totals, records, warnings };
}

const KIND_LABEL: Record<AuditKind, string> = { disagree: 'policies disagree', 'no-answer': 'no answer found', truncated: 'truncated' };

function verdictText(p: ExtractionPolicy, v: PolicyVerdict): string {
  const a = v.extracted === null ? 'no answer' : JSON.stringify(v.extracted.length > 60 ? `${v.extracted.slice(0, 57)}...` : v.extracted);
  return `${p} ${a} (${v.correct ? 'right' : 'wrong'})`;
}

/** The audit as terminal text, grouped by model, then benchmark and rule. */
export function auditText(a: AuditResult, source: string): string[] {
  const out = [
    `masa audit: ${source}: ${a.records} records in ${a.runs.length} runs; ${a.totals.disagree} read differently by the two extraction policies, ${a.totals['no-answer']} with no answer found, ${a.totals.truncated} truncated`,
  ];
  let model = '';
  for (const s of a.runs) {
    if (s.model !== model) out.push('', `model ${(model = s.model)}`);
    out.push(`  ${s.bench}: ${s.counts.disagree} disagree, ${s.counts['no-answer']} no answer, ${s.counts.truncated} truncated of ${s.trials} trials; right under upstream ${s.upstream_correct}, under robust ${s.robust_correct}${s.rescored ? ` (${s.rescored} rescored)` : ''}`);
    for (const g of a.groups.filter((x) => x.model === s.model && x.bench === s.bench)) {
      const who = g.kind === 'disagree' ? ` (only upstream right ${g.upstream_only}, only robust right ${g.robust_only})` : '';
      out.push(`    ${KIND_LABEL[g.kind]}: ${g.rules}  x${g.count}${who}`);
      for (const e of g.examples) {
        out.push(`      ${e.item_id} trial ${e.trial}: ${verdictText('upstream', e.upstream)} · ${verdictText('robust', e.robust)} · gold ${e.gold ?? '?'}`);
        const t = e.response_tail.replace(/\s+/g, ' ').trim();
        if (t) out.push(`        "${t.length > 160 ? `…${t.slice(t.length - 160)}` : t}"`);
      }
    }
  }
  return out;
}
