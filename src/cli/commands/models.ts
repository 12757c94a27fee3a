import type { SamplingPreset } from '../../core/catalog.js';
import { type CatalogModel, CATALOG_COLUMNS, filterModels, loadCatalog } from '../../core/catalog-load.js';
import { toCsv } from '../../core/csv.js';
import { MasaError } from '../../core/errors.js';
import { bool, num, str } from '../args.js';
import type { Command } from '../command.js';

function presetText(p: SamplingPreset | undefined): string {
  if (!p) return '';
  const short: Record<string, string> = { temperature: 't', top_p: 'p', top_k: 'k', min_p: 'minp', repetition_penalty: 'rep', presence_penalty: 'pres' };
  return Object.entries(p)
    .map(([k, v]) => `${short[k] ?? k}=${v}`)
    .join(' ');
}

function paramsText(m: CatalogModel): string {
  return m.is_moe ? `${m.params_b}/${m.active_params_b}` : String(m.params_b);
}

/** Fixed-width table; the last column is left unpadded so long presets do not add trailing spaces. */
export function formatModelTable(models: readonly CatalogModel[]): string {
  const header = ['id', 'generation', 'params_b', 'released', 'context', 'think', 'paper', 'facts', 'sampling'];
  const rows = models.map((m) => [
    m.id,
    m.generation,
    paramsText(m),
    m.release_date,
    String(m.context_length),
    m.thinking ? 'yes' : '',
    m.in_paper_scope ? 'yes' : '',
    m.fact_status ?? '',
    m.thinking ? `${presetText(m.sampling)} | no-think: ${presetText(m.sampling_nothink)}` : presetText(m.sampling),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** A catalog row back in the CSV's own column layout (so `--csv` output is a valid catalog). */
function toCsvRecord(m: CatalogModel): Record<string, unknown> {
  const nt = m.sampling_nothink ?? {};
  return {
    ...m,
    ...m.sampling,
    sampling_nothink_temperature: nt.temperature,
    sampling_nothink_top_p: nt.top_p,
    sampling_nothink_top_k: nt.top_k,
    sampling_nothink_min_p: nt.min_p,
  };
}

export const command: Command = {
  name: 'models',
  summary: 'list and filter the model catalog (data/models.csv)',
  usage: ['masa models [--family F] [--generation G] [--min-params N] [--max-params N] [--scope paper|all] [--thinking] [--json|--csv]'],
  flags: {
    family: { type: 'string', description: 'Qwen or Llama', arg: '<F>' },
    generation: { type: 'list', description: 'generation label(s), e.g. Qwen2.5 or Llama-3.1 (comma-separated)', arg: '<G>' },
    'min-params': { type: 'number', description: 'keep models with at least N billion total params', arg: '<N>' },
    'max-params': { type: 'number', description: 'keep models with at most N billion total params', arg: '<N>' },
    scope: { type: 'string', description: "'paper' keeps the models believed to be in the paper's 41", default: 'all', arg: 'paper|all' },
    thinking: { type: 'boolean', description: 'only models with a thinking mode (Qwen3 hybrids)' },
    json: { type: 'boolean', description: 'print a JSON array of catalog rows' },
    csv: { type: 'boolean', description: 'print CSV in the catalog layout' },
    catalog: { type: 'string', description: 'another catalog file', default: 'data/models.csv', arg: '<file>' },
  },
  details: [
    'params_b shows total/active for MoE models. "facts" says whether every fact of the row was',
    'checked against its source (see the fact_note column of --json/--csv for what was checked).',
    'Sampling is the preset masa sends (t=temperature p=top_p k=top_k); Qwen3 hybrids show the',
    'thinking preset and the no-think one (used with enable_thinking=false).',
  ].join('\n'),
  async run(args) {
    const scope = str(args, 'scope', 'all');
    if (scope !== 'paper' && scope !== 'all') throw new MasaError(`masa models: --scope must be paper or all, got '${scope}'`, { exitCode: 2 });
    if (bool(args, 'json') && bool(args, 'csv')) throw new MasaError('masa models: give --json or --csv, not both', { exitCode: 2 });
    const catalog = loadCatalog(str(args, 'catalog'));
    const gens = args.flags.generation as string[] | undefined;
    const models = filterModels(catalog, {
      family: str(args, 'family'),
      generation: gens,
      minParams: num(args, 'min-params'),
      maxParams: num(args, 'max-params'),
      scope,
      thinking: bool(args, 'thinking'),
    });
    if (bool(args, 'json')) {
      process.stdout.write(JSON.stringify(models, null, 2) + '\n');
    } else if (bool(args, 'csv')) {
      process.stdout.write(toCsv(CATALOG_COLUMNS, models.map(toCsvRecord)));
    } else {
      process.stdout.write(formatModelTable(models));
      process.stderr.write(`${models.length} of ${catalog.length} models\n`);
    }
    return 0;
  },
};
