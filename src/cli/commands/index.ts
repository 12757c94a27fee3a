import type { Command } from '../command.js';

export interface CommandEntry {
  name: string;
  summary: string;
  /** Loaded only when the command runs, so `masa --help` stays instant. */
  load: () => Promise<Command>;
}

// Add a command: one entry here, its module in this folder exporting `command`.
export const COMMANDS: CommandEntry[] = [
  { name: 'demo', summary: 'run the whole pipeline on the built-in simulator (the embedded default)', load: async () => (await import('./demo.js')).command },
  { name: 'models', summary: 'list and filter the model catalog (data/models.csv)', load: async () => (await import('./models.js')).command },
  { name: 'serve-plan', summary: 'print the `vllm serve` command (and GPU count) for each catalog model', load: async () => (await import('./serve-plan.js')).command },
];
