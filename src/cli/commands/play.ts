import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MasaError } from '../../core/errors.js';
import type { GameRunSummary } from '../../eval/game-summary.js';
import { optionsByBench, parseKeyValues } from '../../eval/plan.js';
import { runEval } from '../../eval/runner.js';
import { readMeta } from '../../eval/store.js';
import { episodeTranscript, formatTranscript } from '../../eval/transcript.js';
import { gameIds, getGame } from '../../play/registry.js';
import { startSimulator } from '../../sim/index.js';
import { bool, list, num, str } from '../args.js';
import type { Command } from '../command.js';
import { GENERATION_FLAGS, generationOverrides } from './eval.js';

export const command: Command = {
  name: 'play',
  summary: 'play one episode of a game and print its transcript move by move (the simulator when no --endpoint)',
  usage: ['masa play --bench <game> --model <served name> [--partner self|bot:<name>|model:<name>[@<url>]] [--seed N] [--endpoint <url>] [--prompts] [--json]'],
  flags: {
    bench: { type: 'string', description: `the game (${gameIds().join(', ')})`, arg: '<game>' },
    model: { type: 'string', description: 'served model name (sim/<catalog id> on the simulator)', arg: '<name>' },
    partner: { type: 'string', description: "seat 1: 'self', 'bot:<name>', or 'model:<name>[@<url>]' (default: the game's)", arg: '<p>' },
    seed: { type: 'number', description: 'run seed: which episode (the first of the seeded order) and every random draw', default: 0, arg: '<N>' },
    endpoint: { type: 'list', description: 'OpenAI-compatible server(s); without it masa starts its simulator', arg: '<url,...>' },
    profile: { type: 'string', description: "the simulator's profile when it is started here", default: 'paper', arg: '<name|file>' },
    option: { type: 'list', description: 'game option key=value', arg: '<k=v,...>' },
    out: { type: 'string', description: 'keep the records in this results folder (default: a temporary one, removed)', arg: '<dir>' },
    prompts: { type: 'boolean', description: 'also print what each seat was shown' },
    json: { type: 'boolean', description: 'print the transcript as one JSON object instead' },
    'api-key': { type: 'string', description: 'API key (default: $OPENAI_API_KEY); never written anywhere', arg: '<key>' },
    ...GENERATION_FLAGS,
  },
  details: `One episode, recorded like any game run (masa eval --bench <game> --limit 1 with the same
settings is the same run), then its transcript: each turn's reply, the move it was read as
(re-asks and forfeits shown), the rewards, and the episode's measures at the end.`,
  async run(args) {
    const id = str(args, 'bench');
    if (!id) throw new MasaError(`masa play: --bench is required (games: ${gameIds().join(', ')})`, { exitCode: 2 });
    const game = getGame(id);
    const model = str(args, 'model');
    if (!model) throw new MasaError("masa play: --model is required (see 'masa play --help')", { exitCode: 2 });
    const kv = parseKeyValues(list(args, 'option') ?? [], '--option');
    const partner = str(args, 'partner');
    if (partner !== undefined) kv.partner = partner;
    const options = optionsByBench(kv);
    let endpoints = list(args, 'endpoint') ?? [];
    const sim = endpoints.length === 0 ? await startSimulator({ profile: str(args, 'profile', 'paper'), benchmarks: [] }) : null;
    if (sim) endpoints = [sim.url];
    const keep = str(args, 'out');
    const out = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'masa-play-'));
    try {
      const res = await runEval({
        model,
        endpoints,
        benches: [game],
        limit: 1,
        seed: num(args, 'seed', 0),
        out,
        options,
        generation: generationOverrides(args),
        greedy: bool(args, 'greedy'),
        preset: bool(args, 'no-preset') ? null : undefined,
        apiKey: str(args, 'api-key') ?? process.env.OPENAI_API_KEY,
        progress: 'none',
      });
      const run = res.runs[0] as GameRunSummary;
      const t = await episodeTranscript(run.dir, game, readMeta(run.dir)!.bench_options, num(args, 'seed', 0));
      process.stdout.write((bool(args, 'json') ? JSON.stringify(t) : formatTranscript(t, { prompts: bool(args, 'prompts') })) + '\n');
      if (sim) process.stdout.write(bool(args, 'json') ? '' : `(${model} is a simulated model: its moves are synthetic)\n`);
      return t.end ? 0 : 3;
    } finally {
      if (sim) await sim.close();
      if (!keep) rmSync(out, { recursive: true, force: true });
    }
  },
};
