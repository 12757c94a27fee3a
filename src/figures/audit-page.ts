/**
 * `masa audit` as one self-contained HTML page (inline CSS, no script, no external request):
 * per model and benchmark, the counts, then each group of responses the two extraction policies
 * read differently, found no answer in, or that were truncated, with the end of each example
 * response to read.
 */
import { writeFileAtomic } from '../core/atomic.js';
import { AUDIT_KINDS, type AuditExample, type AuditKind, type AuditResult } from '../analysis/audit.js';
import { escapeHtml } from './export.js';

const CSS = `
body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:1180px;margin:0 auto;padding:16px 24px 48px;line-height:1.45}
h1{font-size:24px}h2{font-size:19px;margin:28px 0 6px;border-bottom:1px solid #ddd}h3{font-size:15px;margin:16px 0 4px}
table{border-collapse:collapse;font-size:13px;margin:6px 0 12px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f2f2f2}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.k-disagree{color:#900}.k-no-answer{color:#8a5a00}.k-truncated{color:#555}
pre{white-space:pre-wrap;background:#f7f7f7;border:1px solid #e3e3e3;padding:6px 8px;font-size:12px;margin:4px 0 10px}
.note{font-size:13px;color:#555}.right{color:#135e13;font-weight:bold}.wrong{color:#900;font-weight:bold}
details{margin:2px 0 8px}summary{cursor:pointer}
`;

const LABEL: Record<AuditKind, string> = { disagree: 'the policies disagree', 'no-answer': 'no answer found', truncated: 'truncated' };

function verdict(v: AuditExample['upstream']): string {
  const a = v.extracted === null ? '<i>no answer</i>' : `<code>${escapeHtml(v.extracted.length > 120 ? `${v.extracted.slice(0, 117)}...` : v.extracted)}</code>`;
  return `${a} <span class="${v.correct ? 'right' : 'wrong'}">${v.correct ? 'right' : 'wrong'}</span> <span class="note">(${escapeHtml(v.rule)})</span>`;
}

function example(e: AuditExample): string {
  return `<div><b>${escapeHtml(e.item_id)}</b> trial ${e.trial} · gold <code>${escapeHtml(e.gold ?? '?')}</code> · upstream ${verdict(e.upstream)} · robust ${verdict(e.robust)}${e.rescored ? ' <span class="note">(rescored from the stored response)</span>' : ''}
<pre>${escapeHtml(e.response_tail)}</pre><span class="note">${e.response_chars} characters${e.finish_reason ? `, finish_reason ${escapeHtml(e.finish_reason)}` : ''}, run ${escapeHtml(e.run_id)}</span></div>`;
}

export function auditHtml(a: AuditResult, meta: { source: string; generated: string; synthetic: boolean }): string {
  const sections: string[] = [];
  let model = '';
  for (const s of a.runs) {
    if (s.model !== model) sections.push(`<h2>${escapeHtml((model = s.model))}</h2>`);
    const groups = a.groups.filter((g) => g.model === s.model && g.bench === s.bench);
    const counts = AUDIT_KINDS.map((k) => `<td class="num k-${k}">${s.counts[k]}</td>`).join('');
    sections.push(`<h3>${escapeHtml(s.bench)}</h3>
<table><tr><th>trials</th>${AUDIT_KINDS.map((k) => `<th>${LABEL[k]}</th>`).join('')}<th>right (upstream)</th><th>right (robust)</th></tr>
<tr><td class="num">${s.trials}</td>${counts}<td class="num">${s.upstream_correct}</td><td class="num">${s.robust_correct}</td></tr></table>`);
    for (const g of groups) {
      const who = g.kind === 'disagree' ? ` · only upstream right ${g.upstream_only}, only robust right ${g.robust_only}` : '';
      sections.push(`<details${g.kind === 'disagree' ? ' open' : ''}><summary><span class="k-${g.kind}">${LABEL[g.kind]}</span>: <code>${escapeHtml(g.rules)}</code> × ${g.count}${who}</summary>
${g.examples.map(example).join('\n')}</details>`);
    }
  }
  const banner = meta.synthetic ? '<p class="wrong">SYNTHETIC DATA: these responses come from the built-in simulator, not from real models.</p>' : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>masa audit</title><style>${CSS}</style></head>
<body>
<h1>Responses to read before trusting a score</h1>
<p class="note">masa audit · ${escapeHtml(meta.source)} · ${a.records} records · generated ${escapeHtml(meta.generated)}</p>
${banner}
<p>${a.totals.disagree} responses are read differently by the benchmark authors' own extraction (upstream) and masa's (robust), ${a.totals['no-answer']} have no answer either finds, ${a.totals.truncated} were cut by the token limit (scored as no answer). Grouped by model, benchmark and the rules that fired (upstream → robust); a few examples each, the end of the response shown.</p>
${sections.join('\n')}
</body></html>
`;
}

export function writeAuditPage(file: string, a: AuditResult, meta: { source: string; generated?: string; synthetic: boolean }): string {
  writeFileAtomic(file, auditHtml(a, { ...meta, generated: meta.generated ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z') }));
  return file;
}
