/**
 * Published single-agent scores (what model makers and benchmark authors printed for Qwen and
 * Llama models), curated from ../shared/published/scores.csv into data/published/scores.csv.
 * Every source row is kept, copied as printed; curation only adds what a reader needs to
 * compare fairly: the masa benchmark a row measures (only when its variant IS masa's benchmark:
 * MATH is not MATH-500, GPQA main is not Diamond, an EvalScope subset is not the test set), the
 * value as a fraction, the thinking mode, and a caveat naming why a row is not comparable.
 * Published rows carry source = 'published' wherever they meet measured scores, so they are never
 * mixed with them unlabelled.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv, toCsv } from '../core/csv.js';
import type { ModelInfo } from '../core/catalog.js';
import { findModel } from '../core/catalog-load.js';
import { MasaError } from '../core/errors.js';
import { projectRoot } from '../core/paths.js';

export interface PublishedScore {
  model: string;
  /** data/models.csv id, when the model is in the catalog. */
  catalog_id: string;
  benchmark: string;
  variant: string;
  /** The masa benchmark id this row measures; '' when it measures another benchmark or variant. */
  masa_benchmark: string;
  /** True when the row measures masa's benchmark on its full test set (see caveat otherwise). */
  comparable: boolean;
  caveat: string;
  metric: string;
  /** The value as a fraction in [0, 1]. */
  value: number;
  /** As printed by the source. */
  value_printed: string;
  scale: string;
  /** 'on' / 'off' for Qwen3's thinking modes, '' where the model has none or the source does not say. */
  thinking: string;
  setting: string;
  source: string;
  confidence: 'as printed' | 'low';
  snippet: string;
}

export const PUBLISHED_COLUMNS: ReadonlyArray<keyof PublishedScore> = [
  'model', 'catalog_id', 'benchmark', 'variant', 'masa_benchmark', 'comparable', 'caveat', 'metric', 'value', 'value_printed', 'scale', 'thinking', 'setting', 'source', 'confidence', 'snippet',
];

export function publishedFile(): string {
  return join(projectRoot(), 'data', 'published', 'scores.csv');
}

/** Which masa benchmark a published row measures, and why it is not comparable when it is not. */
export function classifyPublished(benchmark: string, variant: string, source: string): { masa: string; comparable: boolean; caveat: string } {
  const low = /^LOW-CONFIDENCE/i.test(source);
  const subset = /^SUBSET/i.test(variant);
  const no = (masa: string, caveat: string) => ({ masa, comparable: false, caveat });
  if (low) return no(benchmark === 'EmoBench' ? 'emobench' : benchmark === 'ToMBench' ? 'tombench' : '', 'low-confidence source (unidentified third-party report, "best protocol" aggregation)');
  if (subset) return no(benchmark === 'MATH-500' ? 'math500' : benchmark === 'MMLU-Pro' ? 'mmlu-pro' : benchmark === 'GPQA' ? 'gpqa-diamond' : '', 'a small mixed subset (EvalScope collection), not the full test set');
  switch (benchmark) {
    case 'MATH-500':
      return { masa: 'math500', comparable: true, caveat: '' };
    case 'MATH':
      return no('', 'full MATH (5,000 problems), not MATH-500');
    case 'GPQA':
      if (/^Diamond$|equal Qwen3 TR GPQA-Diamond/.test(variant)) return { masa: 'gpqa-diamond', comparable: true, caveat: '' };
      return no('', /main/.test(variant) ? 'GPQA main set (448 questions), not Diamond' : 'GPQA subset not stated (Diamond or main)');
    case 'MMLU-Pro':
      return { masa: 'mmlu-pro', comparable: true, caveat: '' };
    case 'HumanEval':
      return /HumanEval-Mul/.test(variant) ? no('', 'multilingual HumanEval-Mul, not Python HumanEval') : { masa: 'humaneval', comparable: true, caveat: '' };
    case 'ToMBench':
      return no('tombench', 'macro average over ToMBench tasks or abilities, not accuracy over items');
    case 'EmoBench':
      return no('emobench', 'aggregation not stated');
    default:
      return no('', `benchmark '${benchmark}' is not one of masa's`);
  }
}

export function thinkingOf(setting: string): string {
  if (/non-thinking|enable_thinking=False/i.test(setting)) return 'off';
  if (/thinking mode/i.test(setting)) return 'on';
  return '';
}

/** Curates the raw published table (../shared/published/scores.csv) row by row; every row is kept. */
export function curatePublished(text: string, file: string, catalog?: readonly ModelInfo[]): PublishedScore[] {
  const rows = parseCsv(text, file);
  return rows.map(({ line, record: r }) => {
    for (const c of ['model', 'benchmark', 'variant', 'metric', 'value', 'scale', 'setting', 'source']) {
      if (r[c] === undefined) throw new MasaError(`${file}:${line}: missing column '${c}'`);
    }
    const printed = Number(r.value);
    if (!Number.isFinite(printed)) throw new MasaError(`${file}:${line}: value '${r.value}' is not a number`);
    const percent = /^percent/.test(r.scale!);
    const cls = classifyPublished(r.benchmark!, r.variant!, r.source!);
    return {
      model: r.model!,
      catalog_id: findModel(r.model!, catalog)?.id ?? '',
      benchmark: r.benchmark!,
      variant: r.variant!,
      masa_benchmark: cls.masa,
      comparable: cls.comparable,
      caveat: cls.caveat,
      metric: r.metric!,
      value: percent ? printed / 100 : printed,
      value_printed: r.value!,
      scale: r.scale!,
      thinking: thinkingOf(r.setting!),
      setting: r.setting!,
      source: r.source!,
      confidence: /^LOW-CONFIDENCE/i.test(r.source!) ? 'low' : 'as printed',
      snippet: r.snippet ?? '',
    };
  });
}

export function publishedCsv(rows: readonly PublishedScore[]): string {
  return toCsv(PUBLISHED_COLUMNS, rows as unknown as Array<Record<string, unknown>>);
}

/** Reads data/published/scores.csv (or another curated table); errors name the file and line. */
export function loadPublished(file = publishedFile()): PublishedScore[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new MasaError(`${file}: cannot read the published scores (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseCsv(text, file).map(({ line, record: r }) => {
    const value = Number(r.value);
    if (!Number.isFinite(value) || value < 0 || value > 1) throw new MasaError(`${file}:${line}: value '${r.value}' is not a fraction in [0, 1]`);
    if (r.comparable !== 'true' && r.comparable !== 'false') throw new MasaError(`${file}:${line}: comparable '${r.comparable}' is not true or false`);
    if (!r.source) throw new MasaError(`${file}:${line}: no source`);
    return {
      ...(r as unknown as PublishedScore),
      value,
      comparable: r.comparable === 'true',
      confidence: r.confidence === 'low' ? 'low' : 'as printed',
    };
  });
}

export interface PublishedPoint extends PublishedScore {
  family: string;
  generation: string;
  generation_rank: number | null;
  params_b: number | null;
  /** Always 'published': these are not masa's measurements. */
  origin: 'published';
}

/** Comparable rows joined with the catalog (family, generation, size); optionally one thinking mode. */
export function publishedPoints(rows: readonly PublishedScore[], catalog: readonly ModelInfo[], opts: { thinking?: 'on' | 'off' } = {}): PublishedPoint[] {
  const out: PublishedPoint[] = [];
  for (const r of rows) {
    if (!r.comparable || !r.catalog_id) continue;
    if (opts.thinking && r.thinking !== '' && r.thinking !== opts.thinking) continue;
    const m = catalog.find((c) => c.id === r.catalog_id);
    if (!m) continue;
    out.push({ ...r, family: m.family, generation: m.generation, generation_rank: m.generation_rank, params_b: m.params_b, origin: 'published' });
  }
  return out;
}

export interface GenerationSummary {
  family: string;
  generation: string;
  generation_rank: number | null;
  masa_benchmark: string;
  /** Median over the generation's published values (one per model and source). */
  median: number;
  min: number;
  max: number;
  models: number;
  values: number;
  sources: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = Math.floor(s.length / 2);
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
}

/** Per family, generation and benchmark: what the published numbers say (median, range, how many). */
export function publishedByGeneration(points: readonly PublishedPoint[]): GenerationSummary[] {
  const groups = new Map<string, PublishedPoint[]>();
  for (const p of points) {
    const k = `${p.family}\u0000${p.generation}\u0000${p.masa_benchmark}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  return [...groups.values()]
    .map((ps) => {
      const vs = ps.map((p) => p.value);
      return {
        family: ps[0]!.family,
        generation: ps[0]!.generation,
        generation_rank: ps[0]!.generation_rank,
        masa_benchmark: ps[0]!.masa_benchmark,
        median: median(vs),
        min: Math.min(...vs),
        max: Math.max(...vs),
        models: new Set(ps.map((p) => p.model)).size,
        values: vs.length,
        sources: new Set(ps.map((p) => p.source.split(';')[0])).size,
      };
    })
    .sort((a, b) => a.masa_benchmark.localeCompare(b.masa_benchmark) || a.family.localeCompare(b.family) || (a.generation_rank ?? 0) - (b.generation_rank ?? 0));
}
