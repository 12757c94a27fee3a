import type { Command } from '../command.js';

export const command: Command = {
  name: 'demo',
  summary: 'run the whole pipeline on the built-in simulator (the embedded default)',
  usage: ['masa demo [--out <dir>]'],
  flags: {},
  async run() {
    process.stdout.write('masa demo: pipeline not assembled yet\n');
    return 1;
  },
};
