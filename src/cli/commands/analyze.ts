import { analyzePair, pairAnalysisJson, type PairAnalysis, type PairOptions } from '../../analysis/analyze-pair.js';
import { compareClaims, type ClaimModel } from '../../analysis/claims.js';
import { column, modelMatrix, readScoresCsv, tidyRows, type ScoreRecord } from '../../analysis/load-scores.js';
import { hasPolicyColumns, rowsUnderPolicy } from '../../analysis/policy-scores.js';
import { sensitivity, sensitivityLines, type Sensitivity } from '../../analysis/sensitivity.js';
import { parseExtraction } from '../../bench/policies.js';
import type { ExtractionPolicy } from '../../bench/types.js';
import { GROUP_COLUMNS, type Weighting } from '../../analysis/tables.js';
import { MasaError } from '../../core/errors.js';
import { bool, num, required, str } from '../args.js';
import type { Command } from '../command.js';

const f3 = (v: number | null | undefined): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : '-');
const fp = (v: number): string => (v < 1e-4 ? v.toExponential(2) : v.toFixed(4));

/**
 * The chance level of a score column from a tidy table's `chance` column: a benchmark's own,
 * or for a group column the unweighted mean over the group's benchmarks (as the group score is).
 */
export function chanceOf(kind: string, tidy: readonly ScoreRecord[], col: string): number | null {
  if (kind !== 'tidy' || tidy.length === 0 || !('chance' in tidy[0]!)) return null;
  const groupName = (Object.entries(GROUP_COLUMNS).find(([, c]) => c === col) ?? [])[0];
  const rows = tidy.filter((r) => (groupName ? r.group === groupName : r.benchmark === col));
  const byBench = new Map<string, number[]>();
  for (const r of rows) {
    if (typeof r.chance !== 'number') return null;
    const b = String(r.benchmark);
    byBench.set(b, [...(byBench.get(b) ?? []), r.chance]);
  }
  if (byBench.size === 0) return null;
  const means = [...byBench.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  return means.reduce((a, b) => a + b, 0) / means.length;
}

function report(a: PairAnalysis, label: string): string[] {
  const out = [`${label}: ${a.y} on ${a.x}, n = ${a.n}${a.dropped ? ` (${a.dropped} rows with a missing value dropped)` : ''}`];
  const ci = (c: [number, number]): string => `[${f3(c[0])}, ${f3(c[1])}]`;
  const lvl = `${Math.round(a.level * 100)}%`;
  out.push(`  Pearson r    ${f3(a.pearson.r).padStart(7)}  p ${fp(a.pearson.p)}  ${lvl} ${a.pearson.ci_method} CI ${ci(a.pearson.ci)}  permutation p ${fp(a.pearson.permutation_p)}`);
  out.push(`  Spearman rho ${f3(a.spearman.rho).padStart(7)}  p ${fp(a.spearman.p)}  ${lvl} ${a.spearman.ci_method} CI ${ci(a.spearman.ci)}  permutation p ${fp(a.spearman.permutation_p)}`);
  out.push(`  Kendall tau  ${f3(a.kendall.tau).padStart(7)}  p ${fp(a.kendall.p)} (${a.kendall.method})  ${lvl} ${a.kendall.ci_method} CI ${ci(a.kendall.ci)}  permutation p ${fp(a.kendall.permutation_p)}`);
  if (a.partial_log_params) out.push(`  partial r | log10 params ${f3(a.partial_log_params.r)}  p ${fp(a.partial_log_params.p)} (df ${a.partial_log_params.df})`);
  const l = a.fits.linear;
  const signed = (v: number): string => (v < 0 ? `- ${f3(-v)}` : `+ ${f3(v)}`);
  out.push(`  linear    y = ${f3(l.a)} ${signed(l.b)}·x          R² ${f3(l.r2)}  AIC ${l.aic.toFixed(2)}  SE(b) ${f3(l.se.b)}  HC3 SE(b) ${f3(l.hc3_se?.b)}`);
  if (a.fits.log) out.push(`  log       y = ${f3(a.fits.log.a)} ${signed(a.fits.log.b)}·ln x       R² ${f3(a.fits.log.r2)}  AIC ${a.fits.log.aic.toFixed(2)}  SE(b) ${f3(a.fits.log.se.b)}`);
  const g = a.fits.logistic;
  if (g) out.push(`  logistic  y = ${f3(g.floor)} + (1-${f3(g.floor)})·σ(${f3(g.w)}·x ${signed(g.c)})  R² ${f3(g.r2)}  AIC ${g.aic.toFixed(2)}  SE(w) ${f3(g.se.w)}  floor ${g.floor_fitted ? 'fitted' : 'fixed'}${g.converged ? '' : '  (did not converge)'}`);
  out.push(`  lowest AIC: ${a.best_form}`);
  if (a.elasticity) {
    const e = a.elasticity;
    out.push(`  elasticity d(${a.y})/d(${a.x}) ${f3(e.slope)}  bootstrap CI ${ci(e.ci)}  one-sided p(slope < 1) ${fp(e.p_below_1)}`);
  }
  for (const n of a.notes) out.push(`  note: ${n}`);
  return out;
}

/** Tidy records with accuracy, stderr and interval taken from one policy's columns. */
function recordsUnderPolicy(records: readonly ScoreRecord[], policy: ExtractionPolicy): ScoreRecord[] {
  return records.map((r) => ({ ...r, accuracy: r[`accuracy_${policy}`] ?? r.accuracy ?? null, stderr: r[`stderr_${policy}`] ?? r.stderr ?? null, ci_low: r[`ci_low_${policy}`] ?? r.ci_low ?? null, ci_high: r[`ci_high_${policy}`] ?? r.ci_high ?? null, extraction: policy }));
}

export const command: Command = {
  name: 'analyze',
  summary: 'correlate two score columns across models and fit linear, log and logistic-with-floor curves, with uncertainty',
  usage: ['masa analyze --scores <scores.csv> --x <col> --y <col> [--by family] [--seed S] [--extraction upstream|robust] [--json]'],
  flags: {
    scores: { type: 'string', arg: '<scores.csv>', description: 'tidy table (masa summarize --out) or groups table (--groups-out)' },
    x: { type: 'string', arg: '<col>', description: 'x column: sa, ma_u, ma_p, a benchmark id, params_b, log10(params_b), ...' },
    y: { type: 'string', arg: '<col>', description: 'y column (as --x)' },
    by: { type: 'string', arg: '<family>', description: "also analyse each subset by this column (only 'family')" },
    seed: { type: 'number', description: 'seed for bootstrap and permutations', default: 0 },
    resamples: { type: 'number', description: 'bootstrap resamples', default: 2000 },
    permutations: { type: 'number', description: 'permutations for the permutation p-values', default: 5000 },
    level: { type: 'number', description: 'interval coverage', default: 0.95 },
    floor: { type: 'string', arg: '<p|fit|chance>', description: "logistic floor: a number, 'fit' (within [0, min y]), or 'chance' (the y benchmarks' chance level from the tidy table)", default: 'chance, else fit' },
    size: { type: 'string', arg: '<params_b|active_params_b>', description: 'size column for the partial correlation', default: 'params_b' },
    'block-bootstrap': { type: 'boolean', description: 'resample whole families instead of models' },
    weighting: { type: 'string', arg: '<unweighted|items>', description: 'group scores from a tidy table', default: 'unweighted' },
    claims: { type: 'boolean', description: "also check the paper's headline claims (data/paper/claims.json) against these scores" },
    json: { type: 'boolean', description: 'print one JSON object as the last line of stdout' },
    extraction: { type: 'string', arg: '<upstream|robust>', description: "with a tidy table holding both policies' columns: analyse the accuracies under this answer parser (default: the table's accuracy column)" },
  },
  details: [
    "With a tidy table from 'masa summarize' (which writes accuracy_upstream and accuracy_robust), the",
    'headline statistics (SA-MA correlations, log-fit slope and R², generation deltas) are also computed',
    "under both answer parsers and any conclusion whose sign or significance changes is flagged (JSON: 'sensitivity').",
  ].join('\n'),
  async run(args) {
    const file = required(args, 'scores', 'analyze');
    const xName = required(args, 'x', 'analyze');
    const yName = required(args, 'y', 'analyze');
    const by = str(args, 'by');
    if (by !== undefined && by !== 'family') throw new MasaError(`masa analyze: --by supports 'family' only, got '${by}'`, { exitCode: 2 });
    const weighting = str(args, 'weighting', 'unweighted') as Weighting;
    const read = readScoresCsv(file);
    const kind = read.kind;
    const both = kind === 'tidy' && hasPolicyColumns(read.records);
    const extractionFlag = str(args, 'extraction');
    if (extractionFlag !== undefined && !both) throw new MasaError(`masa analyze: --extraction needs a tidy table with accuracy_upstream and accuracy_robust columns (${file} has none; run masa summarize again)`, { exitCode: 2 });
    const records = extractionFlag !== undefined ? recordsUnderPolicy(read.records, parseExtraction(extractionFlag, 'masa analyze --extraction')) : read.records;
    const models = modelMatrix(kind, records, weighting);
    const x = column(models, xName);
    const y = column(models, yName);
    const sizeName = str(args, 'size', 'params_b');
    const size = models.some((m) => typeof m[sizeName] === 'number') ? column(models, sizeName) : undefined;
    const family = models.map((m) => String(m.family ?? ''));
    const floorFlag = str(args, 'floor');
    let floor: number | 'fit';
    let floorBounds: [number, number] | undefined;
    let floorNote: string;
    const finiteY = y.filter((v) => Number.isFinite(v));
    const fitBounds: [number, number] = [0, Math.max(0, Math.min(...finiteY))];
    if (floorFlag === undefined || floorFlag === 'chance') {
      const chance = chanceOf(kind, records, yName);
      if (chance !== null) {
        floor = chance;
        floorNote = `logistic floor fixed at the chance level of ${yName}: ${f3(chance)}`;
      } else if (floorFlag === 'chance') {
        throw new MasaError(`masa analyze: no chance level for '${yName}' in ${file} (needs a tidy table with a chance column); pass --floor <p> or --floor fit`, { exitCode: 2 });
      } else {
        floor = 'fit';
        floorBounds = fitBounds;
        floorNote = `chance level of ${yName} unknown: logistic floor fitted within [0, min ${yName} = ${f3(fitBounds[1])}]`;
      }
    } else if (floorFlag === 'fit') {
      floor = 'fit';
      floorBounds = fitBounds;
      floorNote = `logistic floor fitted within [0, ${f3(fitBounds[1])}]`;
    } else {
      floor = Number(floorFlag);
      if (!(floor >= 0 && floor < 1)) throw new MasaError(`masa analyze: --floor must be a number in [0, 1), 'fit' or 'chance', got '${floorFlag}'`, { exitCode: 2 });
      floorNote = `logistic floor fixed at ${floor}`;
    }
    const opts: PairOptions = {
      seed: num(args, 'seed', 0),
      resamples: num(args, 'resamples', 2000),
      permutations: num(args, 'permutations', 5000),
      level: num(args, 'level', 0.95),
      floor,
      floorBounds,
      size,
      blocks: bool(args, 'block-bootstrap') ? family : undefined,
    };
    const main = analyzePair(xName, yName, x, y, opts);
    const synthetic = models.some((m) => m.synthetic === true || String(m.model ?? '').startsWith('sim/'));
    const lines: string[] = [];
    if (synthetic) lines.push('note: these scores include simulated (sim/) models: synthetic data, not measurements');
    lines.push(floorNote);
    lines.push(...report(main, 'all models'));
    const byFamily: Record<string, ReturnType<typeof pairAnalysisJson> | { error: string }> = {};
    if (by) {
      for (const fam of [...new Set(family)].sort()) {
        const rows = family.map((f, i) => i).filter((i) => family[i] === fam);
        try {
          const a = analyzePair(xName, yName, rows.map((i) => x[i]!), rows.map((i) => y[i]!), {
            ...opts,
            size: size ? rows.map((i) => size[i]!) : undefined,
            blocks: undefined,
            floorBounds: floor === 'fit' ? [0, Math.max(0, Math.min(...rows.map((i) => y[i]!).filter((v) => Number.isFinite(v))))] : undefined,
          });
          byFamily[fam] = pairAnalysisJson(a);
          lines.push('', ...report(a, `family ${fam}`));
        } catch (e) {
          if (!(e instanceof MasaError)) throw e;
          byFamily[fam] = { error: e.message };
          lines.push('', `family ${fam}: not analysable (${e.message})`);
        }
      }
    }
    let claims: ReturnType<typeof compareClaims> | undefined;
    if (bool(args, 'claims')) {
      claims = compareClaims(models as unknown as ClaimModel[], undefined, { seed: opts.seed, resamples: opts.resamples, level: opts.level });
      lines.push('', "the paper's claims (evidence: V verbatim, S secondary, U unverified, I inferred):");
      for (const c of claims) lines.push(`  [${c.evidence}] ${c.id}: ${c.verdict.toUpperCase()}${c.synthetic ? ' (synthetic data)' : ''}`, `      ${c.detail}`);
    }
    let sens: Sensitivity | undefined;
    if (both) {
      const rows = tidyRows(read.records);
      sens = sensitivity({ upstream: rowsUnderPolicy(rows, read.records, 'upstream'), robust: rowsUnderPolicy(rows, read.records, 'robust') });
      lines.push('', 'sensitivity to the answer parser (the headline statistics under the upstream and the robust extraction):', ...sensitivityLines(sens).map((l) => `  ${l}`));
    } else if (kind === 'tidy') lines.push('', `note: ${file} has one extraction policy only; run masa summarize again for the parser sensitivity table`);
    process.stdout.write(lines.join('\n') + '\n');
    if (bool(args, 'json')) {
      const json = { ...pairAnalysisJson(main), synthetic, floor_note: floorNote, ...(by ? { by: { family: byFamily } } : {}), ...(claims ? { claims } : {}), ...(sens ? { sensitivity: sens } : {}) };
      process.stdout.write(JSON.stringify(json, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n');
    }
    return 0;
  },
};
