import { resolve } from 'node:path';
import { datasetStatus, fetchDatasets, readSources, selectDatasets } from '../../bench/fetch.js';
import { MasaError } from '../../core/errors.js';
import { dataDir } from '../../core/paths.js';
import { bool, list, num, str } from '../args.js';
import type { Command } from '../command.js';

export const command: Command = {
  name: 'data',
  summary: 'fetch the benchmark files from their public sources (or a local copy) and check them',
  usage: [
    'masa data fetch [--bench <id,...>] [--from <dir>] [--dir <data dir>] [--timeout <s>]',
    'masa data status [--bench <id,...>] [--dir <data dir>] [--json]',
  ],
  flags: {
    bench: { type: 'list', arg: '<id,...>', description: 'benchmark ids or dataset folder names (default: all seven)' },
    from: { type: 'string', arg: '<dir>', description: 'copy from a local folder laid out like ../shared/datasets instead of downloading' },
    dir: { type: 'string', arg: '<dir>', description: 'data directory (default data/benchmarks, or $MASA_DATA_DIR)' },
    timeout: { type: 'number', arg: '<s>', description: 'per-download time limit in seconds', default: 120 },
    json: { type: 'boolean', description: 'status: print one JSON object' },
  },
  details: [
    'Sources, sha256 values, licences and citations are in data/sources.json. Every file is checked',
    '(size and sha256) before it is written, through a temporary file and a rename, so a failed fetch',
    'never damages a good copy. GPQA stays in its password-protected zip and is only decrypted in memory.',
  ].join('\n'),

  async run(args) {
    const sub = args._[0];
    const sources = readSources();
    const datasets = selectDatasets(sources, list(args, 'bench'));
    const dir = resolve(str(args, 'dir') ?? dataDir());
    if (sub === 'fetch') {
      const from = str(args, 'from');
      const timeout = num(args, 'timeout', 120);
      if (!(timeout > 0)) throw new MasaError('masa data fetch: --timeout must be positive', { exitCode: 2 });
      const done = await fetchDatasets({
        datasets,
        sources,
        dir,
        from: from ? resolve(from) : undefined,
        download: { timeoutMs: timeout * 1000 },
        log: (l) => process.stdout.write(l + '\n'),
      });
      const written = done.filter((d) => d.action !== 'present').length;
      process.stdout.write(`${done.length} file(s) verified in ${dir} (${written} written, ${done.length - written} already present)\n`);
      return 0;
    }
    if (sub === 'status' || sub === 'list') {
      const status = await datasetStatus(sources, datasets, dir);
      if (bool(args, 'json')) {
        process.stdout.write(JSON.stringify({ dir, files: status }) + '\n');
      } else {
        process.stdout.write(`data directory: ${dir}\n`);
        for (const name of datasets) {
          const ds = sources.datasets[name]!;
          const mine = status.filter((s) => s.dataset === name);
          const ok = mine.filter((s) => s.state === 'verified').length;
          process.stdout.write(`${name} (${ds.benchmarks.join(', ')}): ${ok}/${mine.length} verified; licence ${ds.licence}\n`);
          for (const s of mine) if (s.state !== 'verified') process.stdout.write(`  ${s.path}: ${s.state}${s.state === 'bad' ? ` (${s.detail})` : ''}\n`);
        }
      }
      return status.every((s) => s.state === 'verified') ? 0 : 1;
    }
    throw new MasaError(`masa data: expected 'fetch' or 'status' (see 'masa data --help')`, { exitCode: 2 });
  },
};
