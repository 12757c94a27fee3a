/**
 * `masa report`: one self-contained HTML page (inline SVG figures, inline CSS, no script,
 * no external file or network request) with the figures, the statistics with their
 * intervals, and a verdict for each of the paper's headline claims.
 */
import { writeFileAtomic } from '../core/atomic.js';
import type { CorrelationReport, PairAnalysis } from '../analysis/analyze-pair.js';
import type { PolicyEstimate } from '../analysis/sensitivity.js';
import type { RunCostRow } from '../analysis/run-costs.js';
import { costSection } from './cost-table.js';
import { buildFigures, type FigureOptions } from './all-figures.js';
import { escapeHtml, renderStatic, type ExportOptions } from './export.js';
import type { FigureData } from './figure-data.js';
import { fmtP } from './elasticity-intervals.js';
import { fmt } from './palette.js';
import { reportStats, type ReportOptions, type ReportStats } from './report-stats.js';
import { SYNTHETIC_MARK, type FigureSpec } from './spec.js';

export interface RenderedFigure {
  spec: FigureSpec;
  svg: string;
}

const LABELS: Record<string, string> = { sa: 'SA', ma_u: 'MA-U', ma_p: 'MA-P', ma_c: 'MA-C', ma_a: 'MA-A', ma_p_play: 'MA-P in play' };
const EVIDENCE: Record<string, string> = { V: 'verbatim in the paper', S: 'secondary write-up', U: 'unverified summary', I: 'our inference' };

const CSS = `
body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:1180px;margin:0 auto;padding:16px 24px 48px;line-height:1.45}
h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}
.meta{color:#555;font-size:14px}
.banner{background:#fde8e8;border:2px solid #b00;color:#900;padding:10px 14px;margin:12px 0;font-weight:bold}
table{border-collapse:collapse;font-size:13px;margin:6px 0 12px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f2f2f2}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.v-reproduced{background:#e3f4e3;color:#135e13;font-weight:bold}.s-changes{background:#fff1d6;color:#8a5a00;font-weight:bold}.v-not-reproduced{background:#fde8e8;color:#900;font-weight:bold}.v-not-testable{background:#f0f0f0;color:#555;font-weight:bold}
figure{margin:18px 0 28px}figure svg{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:14px;color:#333;max-width:900px}
.note{font-size:13px;color:#555}
nav a{margin-right:12px}
`;

const ci = (c: readonly [number, number] | readonly number[], d = 2): string => `[${fmt(c[0], d)}, ${fmt(c[1], d)}]`;

function claimsSection(s: ReportStats): string {
  if (s.claimsError) return `<p class="note">The claims could not be checked: ${escapeHtml(s.claimsError)}</p>`;
  const rows = s.claims
    .map(
      (c) => `<tr><td>${escapeHtml(c.statement)}<div class="note">${escapeHtml(c.id)} · evidence ${c.evidence} (${EVIDENCE[c.evidence] ?? ''}): ${escapeHtml(c.source)}</div></td>
<td class="v-${c.verdict.replace(/ /g, '-')}">${c.verdict}</td><td>${escapeHtml(c.detail)}</td></tr>`,
    )
    .join('\n');
  const counts = ['reproduced', 'not reproduced', 'not testable'].map((v) => `${s.claims.filter((c) => c.verdict === v).length} ${v}`).join(', ');
  return `<p>${counts}. ${s.synthetic ? '<b>These scores are simulated, so the verdicts test the pipeline, not the paper.</b>' : ''}</p>
<table><tr><th>Claim (source)</th><th>Verdict</th><th>What these results show</th></tr>${rows}</table>`;
}

function correlationTable(pairs: readonly PairAnalysis[]): string {
  const row = (p: PairAnalysis): string => {
    const cell = (est: number, c: CorrelationReport): string => `${fmt(est, 3)} ${ci(c.ci)} <span class="note">p ${fmtP(c.p)}, perm. ${fmtP(c.permutation_p)}</span>`;
    const part = p.partial_log_params ? `${fmt(p.partial_log_params.r, 3)} <span class="note">p ${fmtP(p.partial_log_params.p)}</span>` : '–';
    return `<tr><td>${LABELS[p.x]} vs ${LABELS[p.y]}</td><td class="num">${p.n}</td><td>${cell(p.pearson.r, p.pearson)}</td><td>${cell(p.spearman.rho, p.spearman)}</td><td>${cell(p.kendall.tau, p.kendall)}</td><td>${part}</td></tr>`;
  };
  return `<table><tr><th>Pair</th><th>n</th><th>Pearson r [95% CI]</th><th>Spearman ρ [95% CI]</th><th>Kendall τ-b [95% CI]</th><th>Partial r | log10 params</th></tr>${pairs.map(row).join('\n')}</table>
<p class="note">Intervals: bootstrap over models (BCa, percentile where BCa is undefined); p: analytic two-sided; perm.: permutation test.</p>`;
}

function fitsTable(pairs: readonly PairAnalysis[]): string {
  const rows: string[] = [];
  for (const p of pairs) {
    const forms = (['linear', 'log', 'logistic'] as const).filter((f) => p.fits[f]);
    const best = Math.min(...forms.map((f) => p.fits[f]!.aic));
    for (const f of forms) {
      const fit = p.fits[f]!;
      const params = Object.keys(fit.se)
        .map((k) => `${k} = ${fmt(fit.params[k], 3)} ± ${fmt(fit.se[k], 3)}`)
        .concat(f === 'logistic' && !('floor' in fit.se) ? [`floor = ${fmt(fit.params.floor, 3)} (fixed: chance)`] : [])
        .join(', ');
      const eq = f === 'linear' ? 'y = a + b·x' : f === 'log' ? 'y = a + b·ln x' : 'y = floor + (1 − floor)·σ(w·x + c)';
      rows.push(`<tr><td>${LABELS[p.y]} on ${LABELS[p.x]}</td><td>${f}: ${eq}</td><td>${params}</td><td class="num">${fmt(fit.r2, 3)}</td><td class="num">${fmt(fit.aic, 1)}</td><td class="num">${fmt(fit.aic - best, 1)}${p.best_form === f ? ' (best)' : ''}</td></tr>`);
    }
  }
  return `<table><tr><th>Relation</th><th>Form</th><th>Parameters ± SE</th><th>R²</th><th>AIC</th><th>ΔAIC</th></tr>${rows.join('\n')}</table>`;
}

function elasticityTable(s: ReportStats): string {
  const rows = s.elasticity.map(
    (r) => `<tr><td>${LABELS[r.metric]} per SA</td><td>${escapeHtml(r.subset)}</td><td class="num">${r.result.n}</td><td class="num">${fmt(r.result.slope, 3)}</td><td class="num">${ci(r.ci, 3)} (${r.ci_method})</td><td class="num">${ci(r.result.ci_analytic, 3)}</td><td class="num">${fmtP(r.result.p_below_1)}</td><td class="num">${fmtP(r.result.p_below_1_bootstrap)}</td></tr>`,
  );
  return `<table><tr><th>Elasticity</th><th>Models</th><th>n</th><th>Slope</th><th>Bootstrap 95% CI</th><th>t 95% CI</th><th>p for H0: slope ≥ 1 (t)</th><th>same, bootstrap</th></tr>${rows.join('\n')}</table>`;
}

function deltasTable(s: ReportStats): string {
  const rows = s.deltas
    .filter((d) => d.size_class === 'all')
    .map(
      (d) => `<tr><td>${escapeHtml(d.family)}</td><td>${LABELS[d.metric]}</td><td>${escapeHtml(d.from_generation)} → ${escapeHtml(d.to_generation)}</td><td class="num">${fmt(d.from, 3)} → ${fmt(d.to, 3)}</td><td class="num">${d.delta >= 0 ? '+' : ''}${fmt(d.delta, 3)} ${ci(d.ci, 3)}</td></tr>`,
    );
  return `<table><tr><th>Family</th><th>Group</th><th>Generations</th><th>Mean score</th><th>Δ [95% CI]</th></tr>${rows.join('\n')}</table>
<p class="note">All sizes pooled within each generation; per size class in the generation-delta figure. Intervals cover item sampling only.</p>`;
}

function sensitivitySection(s: ReportStats): string {
  const sen = s.sensitivity;
  if (!sen) return '<p class="note">The scores table holds one extraction policy only (written before masa kept both); run <code>masa summarize</code> again to add accuracy_upstream and accuracy_robust.</p>';
  const cell = (e: PolicyEstimate | null): string => (e ? `${fmt(e.estimate, 3)}${e.p === null ? '' : ` <span class="note">p ${fmtP(e.p)}</span>`}` : '–');
  const rows = sen.stats.map(
    (x) => `<tr><td>${escapeHtml(x.statistic)}</td><td class="num">${cell(x.upstream)}</td><td class="num">${cell(x.robust)}</td><td${x.flag ? ' class="s-changes"' : ''}>${x.flag ? `changes: ${escapeHtml(x.flag)}` : 'same'}</td></tr>`,
  );
  const gaps = sen.largest_gap.map((g) => `${escapeHtml(g.benchmark)} ${fmt(g.upstream, 3)} → ${fmt(g.robust, 3)} (${escapeHtml(g.model)})`).join('; ');
  return `<p>Each headline statistic computed from the scores under the benchmark authors' own answer parser (upstream) and under masa's (robust), ${sen.models.robust} models. <b>${sen.flagged} of ${sen.stats.length}</b> change sign or significance (two-sided, alpha ${sen.alpha}) with the parser.</p>
<table><tr><th>Statistic</th><th>Upstream parser</th><th>Robust parser</th><th>Conclusion</th></tr>${rows.join('\n')}</table>
<p class="note">Largest accuracy change per benchmark (upstream → robust): ${gaps || 'none: every benchmark scores the same under both'}. p: analytic (t for correlations and the log-fit slope, normal for deltas); the bootstrap intervals above are the chosen policy's. <code>masa audit</code> lists the responses the parsers read differently.</p>`;
}

function pcaSection(s: ReportStats): string {
  if (!s.pca) return `<p class="note">PCA not computed: ${escapeHtml(s.pcaError ?? '')}</p>`;
  const p = s.pca;
  const k = Math.min(3, p.loadings.length);
  const head = Array.from({ length: k }, (_, c) => `<th>PC${c + 1} (${fmt(100 * p.explained_ratio[c]!, 1)}%)</th>`).join('');
  const rows = p.columns.map((col, j) => `<tr><td>${escapeHtml(col)}</td>${Array.from({ length: k }, (_, c) => `<td class="num">${fmt(p.loadings[c]![j], 3)}</td>`).join('')}</tr>`);
  return `<p>Explained variance: ${p.explained_ratio.map((r, c) => `PC${c + 1} ${fmt(100 * r, 1)}%`).join(', ')} (n = ${p.n} models with every benchmark${p.dropped ? `, ${p.dropped} dropped for a missing score` : ''}).</p>
<table><tr><th>Benchmark loading</th>${head}</tr>${rows.join('\n')}</table>`;
}

function holdoutTable(s: ReportStats): string {
  if (!s.holdout) return '<p class="note">Held-out check not possible: no family has three small models of two sizes and one larger.</p>';
  const rows = s.holdout.summaries.map(
    (h) => `<tr><td>${h.group}</td><td>${escapeHtml(h.family)}</td><td class="num">${h.n_train}</td><td class="num">${h.n_test}</td><td class="num">${fmt(h.mae, 3)}</td><td class="num">${fmt(h.rmse, 3)}</td><td class="num">${fmt(100 * h.coverage, 0)}%</td></tr>`,
  );
  return `<p>Fit score = a + b·log10(params) per family on models of at most ${s.holdout.cutoffB}B parameters; predict the larger ones.</p>
<table><tr><th>Group</th><th>Family</th><th>Fitted on</th><th>Predicted</th><th>MAE</th><th>RMSE</th><th>In 95% prediction interval</th></tr>${rows.join('\n')}</table>`;
}

function pillarsSection(s: ReportStats): string {
  const p = s.pillars;
  if (!p) return '<p class="note">No game was played, so only understanding and planning were measured, as in the paper (masa eval --bench refgame,repeated-games,hanabi adds communication, adaptation and planning in play).</p>';
  const errors = p.pairErrors.length > 0 ? `<p class="note">${p.pairErrors.map((e) => `${escapeHtml(e.pair)}: ${escapeHtml(e.reason)}`).join('; ')}</p>` : '';
  const rows = p.games
    .slice()
    .sort((a, b) => a.benchmark.localeCompare(b.benchmark) || a.partner.localeCompare(b.partner) || a.model.localeCompare(b.model))
    .map(
      (g) =>
        `<tr><td>${escapeHtml(g.model)}</td><td>${escapeHtml(g.benchmark)}</td><td>${escapeHtml(g.group)}</td><td>${escapeHtml(g.partner)}</td><td class="num">${g.n}</td><td class="num">${fmt(g.score, 3)} ${ci(g.ci, 3)}</td><td class="num">${g.invalid_rate === null ? '–' : `${fmt(100 * g.invalid_rate, 1)}%`}</td></tr>`,
    );
  return `<p>The paper names four pillars of multi-agent intelligence and measures two, with single-turn questions. masa's games measure the other two over turns, between agents: <b>efficient communication</b> (MA-C: the repeated reference game's communication score, and Hanabi's points per hint), <b>adaptation</b> (MA-A: repeated 2×2 games against partners who change, and Hanabi's cross-play retention), and <b>planning in play</b> (Hanabi's score, beside the paper's MA-P, which stays CoordinationQA). Each score is on [0, 1]; intervals are over episodes.</p>
${p.pairs.length > 0 ? correlationTable(p.pairs) + fitsTable(p.pairs) : ''}${errors}
<h3>Every game run</h3>
<table><tr><th>Model</th><th>Measure</th><th>Group</th><th>Partner</th><th>Episodes</th><th>Score [95% CI]</th><th>Invalid moves</th></tr>${rows.join('\n')}</table>
<p class="note">Invalid moves: replies of the model under evaluation that did not parse into a legal move, over its requests (each is re-asked once, then the game's forfeit is played); they are part of the result, not noise. Cross-play rows (partner other than the game's default) do not feed the group scores; retention summarises them.</p>`;
}

/** Strips the XML prologue so the SVG can sit inline in HTML. */
function inlineSvg(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}

export function reportHtml(
  s: ReportStats,
  figures: readonly RenderedFigure[],
  meta: { source: string; generated: string; skipped?: Array<{ name: string; reason: string }>; costs?: readonly RunCostRow[] },
): string {
  const banner = s.synthetic
    ? `<div class="banner">${SYNTHETIC_MARK}: these scores come from the built-in simulator, not from real models. They demonstrate the analysis; no finding about real models can be drawn from them.</div>`
    : '';
  const figs = figures
    .map((f) => `<figure id="${f.spec.name}">${inlineSvg(f.svg)}<figcaption><b>${escapeHtml(f.spec.title)}.</b> ${escapeHtml(f.spec.caption)}</figcaption></figure>`)
    .join('\n');
  const skipped = meta.skipped && meta.skipped.length > 0 ? `<p class="note">Not drawn: ${meta.skipped.map((k) => `${escapeHtml(k.name)} (${escapeHtml(k.reason)})`).join('; ')}</p>` : '';
  const pairErrors = s.pairErrors.length > 0 ? `<p class="note">${s.pairErrors.map((e) => `${escapeHtml(e.pair)}: ${escapeHtml(e.reason)}`).join('; ')}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>masa report${s.synthetic ? ' (synthetic data)' : ''}</title>
<style>${CSS}</style></head>
<body>
<h1>Does single-agent skill predict multi-agent skill?</h1>
<p class="meta">masa report · scores: ${escapeHtml(meta.source)} · ${s.models} models × ${s.benchmarks} benchmarks · bootstrap ${s.resamples} resamples, seed ${s.seed} · generated ${escapeHtml(meta.generated)}</p>
${banner}
${s.unscored.length > 0 ? `<p class="note">Left out: ${s.unscored.length} run(s) with no scored item (every request failed): ${s.unscored.map((u) => `${escapeHtml(u.model)} on ${escapeHtml(u.benchmark)}`).join(', ')}.</p>` : ''}
<nav><a href="#claims">Claims</a><a href="#correlations">Correlations</a><a href="#fits">Fits</a><a href="#elasticity">Elasticity</a><a href="#deltas">Generations</a><a href="#sensitivity">Parser sensitivity</a><a href="#pca">PCA</a><a href="#holdout">Held-out</a><a href="#pillars">Four pillars</a><a href="#figures">Figures</a>${meta.costs ? '<a href="#costs">Costs</a>' : ''}</nav>
<h2 id="claims">The paper's headline claims</h2>
${claimsSection(s)}
<h2 id="correlations">Correlations across models</h2>
${correlationTable(s.pairs)}${pairErrors}
<h2 id="fits">Fits: linear, log and logistic with a chance floor</h2>
${fitsTable(s.pairs)}
<h2 id="elasticity">Elasticity: MA points gained per SA point</h2>
${elasticityTable(s)}
<h2 id="deltas">Earliest vs latest generation</h2>
${deltasTable(s)}
<h2 id="sensitivity">Sensitivity to the answer parser</h2>
${sensitivitySection(s)}
<h2 id="pca">Structure: principal components</h2>
${pcaSection(s)}
<h2 id="holdout">Held-out: fit small models, predict large</h2>
${holdoutTable(s)}
<h2 id="pillars">The four pillars: communication and adaptation, played</h2>
${pillarsSection(s)}
<h2 id="figures">Figures</h2>
${banner}
${figs}
${skipped}
${meta.costs ? `<h2 id="costs">What the server spent</h2>\n${costSection(meta.costs)}` : ''}
</body></html>
`;
}

/** Computes the statistics, draws every figure as SVG (one headless Chromium) and writes the page. */
export async function writeReport(
  data: FigureData,
  file: string,
  opts: ReportOptions & FigureOptions & { exportOptions?: ExportOptions; generated?: string; costs?: readonly RunCostRow[] } = {},
): Promise<{ file: string; stats: ReportStats; figures: string[] }> {
  const stats = reportStats(data, opts);
  const set = buildFigures(data, opts);
  const rendered = await renderStatic(set.figures, ['svg'], opts.exportOptions);
  const figures = set.figures.map((spec, i) => ({ spec, svg: rendered[i]!.svg!.toString('utf8') }));
  const html = reportHtml(stats, figures, { source: data.source, generated: opts.generated ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'), skipped: set.skipped, costs: opts.costs });
  writeFileAtomic(file, html);
  return { file, stats, figures: set.figures.map((f) => f.name) };
}
