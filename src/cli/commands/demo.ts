import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { benchmarkIds } from '../../bench/registry.js';
import { locateDataset } from '../../bench/data.js';
import { getBenchmark } from '../../bench/registry.js';
import { sensitivityLines } from '../../analysis/sensitivity.js';
import { projectRoot } from '../../core/paths.js';
import { bool, list, num, str } from '../args.js';
import { gameIds } from '../../play/registry.js';
import type { Command } from '../command.js';
import { DEMO_CROSSPLAY, gatherSimScores, writeFiguresAndReport, writeScoreTables } from '../pipeline.js';

const fmt = (v: number | null | undefined, d = 2): string => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '-');

export const command: Command = {
  name: 'demo',
  summary: 'run the whole pipeline on the built-in simulator (the embedded default)',
  usage: ['masa demo [--out data/demo] [--figures figures] [--profile paper|emergence|<file>] [--models <filter>] [--limit N] [--seed S]'],
  flags: {
    out: { type: 'string', arg: '<dir>', description: 'where the per-sample logs and score tables go', default: 'data/demo' },
    figures: { type: 'string', arg: '<dir>', description: 'where the figures and report.html go', default: 'figures' },
    profile: { type: 'string', arg: '<name|file>', description: 'simulator profile (an assumption about the world, not a finding)', default: 'paper' },
    models: { type: 'string', arg: '<filter>', description: "catalog models to simulate: ids, a family, a generation, 'paper' or 'all'", default: 'paper' },
    limit: { type: 'number', arg: '<n>', description: 'items per benchmark (a seeded sample; the bundled samples are smaller)', default: 30 },
    seed: { type: 'number', arg: '<s>', description: 'seed for item sampling, option shuffles and resampling', default: 0 },
    data: { type: 'string', arg: '<dir>', description: 'dataset root (folders like ../shared/datasets); default: fetched data, else the bundled samples' },
    resamples: { type: 'number', arg: '<n>', description: 'bootstrap resamples for intervals', default: 2000 },
    games: { type: 'list', arg: '<id,...>', description: `interactive games to play after the benchmarks ('none' for none)`, default: gameIds().join(',') },
    'game-episodes': { type: 'number', arg: '<n>', description: 'episodes per game (a seeded sample)', default: 8 },
    'no-crossplay': { type: 'boolean', description: "skip Hanabi's cross-play (with the simple and smart bots, and among the first four models)" },
    quiet: { type: 'boolean', description: 'no progress lines' },
  },
  details: [
    'Starts the simulator (no GPU, no vLLM), evaluates its models on all seven benchmarks with masa eval,',
    'then plays the games (refgame, repeated-games, hanabi, with Hanabi cross-play) for the four pillars',
    '(resumable: a rerun requests only what is missing), summarizes the per-sample logs into score tables,',
    'draws every figure (HTML, SVG, PNG) and writes figures/report.html. Every number and figure it prints',
    'comes from these simulated models and is marked as synthetic.',
  ].join('\n'),
  async run(args) {
    const root = projectRoot();
    const out = str(args, 'out', join(root, 'data', 'demo'));
    const figuresDir = str(args, 'figures', join(root, 'figures'));
    const seed = num(args, 'seed', 0);
    const limit = num(args, 'limit', 30);
    const dataRoot = str(args, 'data');
    const quiet = bool(args, 'quiet');
    const say = (m: string): void => {
      process.stdout.write(m + '\n');
    };
    const rel = (p: string): string => {
      const r = relative(process.cwd(), p);
      return r === '' ? '.' : r.startsWith('..') ? p : r;
    };
    const t0 = Date.now();
    const elapsed = (): string => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

    const origins = benchmarkIds().map((id) => `${id}: ${locateDataset(getBenchmark(id), dataRoot).origin}`);
    say(`masa demo: simulated models (profile '${str(args, 'profile', 'paper')}') on ${benchmarkIds().length} benchmarks, up to ${limit} items each`);
    say(`  items from ${origins.join(', ')}`);
    if (!dataRoot && origins.some((o) => o.endsWith('samples'))) say("  (the bundled samples are a few hand-written items; `npx masa data fetch` gets the real benchmarks)");

    say(`\n[1/3] evaluating (per-sample logs in ${rel(join(out, 'runs'))}) ...`);
    const games = (list(args, 'games') ?? gameIds()).filter((g) => g !== 'none');
    if (games.length > 0) say(`  then the games: ${games.join(', ')}, ${num(args, 'game-episodes', 8)} episodes each${games.includes('hanabi') && !bool(args, 'no-crossplay') ? ', with Hanabi cross-play' : ''}`);
    const gathered = await gatherSimScores({
      profile: str(args, 'profile', 'paper'),
      models: str(args, 'models', 'paper'),
      limit,
      games,
      gameEpisodes: num(args, 'game-episodes', 8),
      crossplay: games.includes('hanabi') && !bool(args, 'no-crossplay') ? DEMO_CROSSPLAY : undefined,
      seed,
      out: join(out, 'runs'),
      dataRoot,
      progress: quiet ? 'none' : 'plain',
      log: quiet ? () => {} : (m) => process.stderr.write(m + '\n'),
    });
    const failed = gathered.rows.filter((r) => r.status !== 'done');
    say(`  ${gathered.models.length} models x ${benchmarkIds().length} benchmarks${games.length > 0 ? ` and ${games.length} games` : ''}: ${gathered.rows.length - failed.length} runs done, ${failed.length} partial or failed (${elapsed()})`);
    for (const r of failed.slice(0, 8)) say(`  - ${r.model} ${r.bench}: ${r.status}${r.reason ? ` (${r.reason})` : ''}${r.errors ? `, ${r.errors} errors` : ''}`);
    if (gathered.interrupted) {
      say('interrupted: rerun `npm run demo` to finish (it resumes)');
      return 130;
    }

    say(`\n[2/3] summarizing ...`);
    const tables = await writeScoreTables(join(out, 'runs'), out, dataRoot);
    say(`  ${tables.records} records -> ${tables.tidy.length} (model, benchmark) scores, ${tables.groups.length} models (${elapsed()})`);

    say(`\n[3/3] statistics, figures and report ...`);
    const figs = await writeFiguresAndReport(tables.scoresCsv, figuresDir, seed, num(args, 'resamples', 2000));
    const s = figs.stats;
    say(`  SYNTHETIC DATA: these numbers describe simulated models, not real ones.`);
    for (const p of s.pairs) {
      say(
        `  ${p.x} -> ${p.y} (n=${p.n}): Pearson r ${fmt(p.pearson.r)} [${fmt(p.pearson.ci[0])}, ${fmt(p.pearson.ci[1])}], ` +
          `log fit R^2 ${fmt(p.fits.log?.r2)}, slope ${fmt(p.elasticity?.slope)} [${fmt(p.elasticity?.ci[0])}, ${fmt(p.elasticity?.ci[1])}]`,
      );
    }
    for (const p of s.pillars?.pairs ?? []) {
      say(`  ${p.x} -> ${p.y} (n=${p.n}): Pearson r ${fmt(p.pearson.r)} [${fmt(p.pearson.ci[0])}, ${fmt(p.pearson.ci[1])}], log fit R^2 ${fmt(p.fits.log?.r2)}`);
    }
    const verdicts = new Map<string, number>();
    for (const c of s.claims) verdicts.set(c.verdict, (verdicts.get(c.verdict) ?? 0) + 1);
    say(`  paper's claims on these data: ${[...verdicts].map(([v, n]) => `${n} ${v}`).join(', ')}`);
    if (s.sensitivity) {
      say(`  sensitivity to the answer parser (upstream = the benchmark authors' extraction, robust = masa's):`);
      for (const l of sensitivityLines(s.sensitivity)) say(`    ${l}`);
      say(`  responses the two parsers read differently: masa audit --results ${rel(join(out, 'runs'))}`);
    }

    say(`\nwhere everything went (${elapsed()}):`);
    say(`  per-sample logs  ${rel(join(out, 'runs'))}/<run>/samples.jsonl (games: turns.jsonl)`);
    say(`  scores           ${rel(tables.scoresCsv)} (model x benchmark and game), ${rel(tables.groupsCsv)} (per model: sa, ma_u, ma_p, ma_c, ma_a, ma_p_play)`);
    say(`  costs            ${rel(tables.costsCsv)} (per run: requests, tokens computed and cached, wall time)`);
    for (const f of figs.figures) say(`  ${f.name.padEnd(28)} ${Object.values(f.files).map((p) => rel(p!)).join('  ')}`);
    for (const k of figs.skipped) say(`  ${k.name.padEnd(28)} not drawn: ${k.reason}`);
    say(`  report           ${rel(figs.report)}`);
    if (!existsSync(figs.report)) return 1;
    return 0;
  },
};
