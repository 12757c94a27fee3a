import type { Command } from '../command.js';

export interface CommandEntry {
  name: string;
  summary: string;
  /** Loaded only when the command runs, so `masa --help` stays instant. */
  load: () => Promise<Command>;
}

// Add a command: one entry here, its module in this folder exporting `command`.
export const COMMANDS: CommandEntry[] = [
  { name: 'data', summary: 'fetch the benchmark files from their public sources (or a local copy) and check them', load: async () => (await import('./data.js')).command },
  { name: 'eval', summary: 'evaluate a served model on benchmarks (resumable, adaptive concurrency, several endpoints)', load: async () => (await import('./eval.js')).command },
  { name: 'play', summary: 'play one episode of a game and print its transcript move by move (the simulator when no --endpoint)', load: async () => (await import('./play.js')).command },
  { name: 'plan', summary: 'estimate items, requests and tokens per model and benchmark before running (with --target-ci: where it will stop)', load: async () => (await import('./plan.js')).command },
  { name: 'sweep', summary: 'evaluate models x benchmarks from a JSON config (each model at its endpoints), resumable', load: async () => (await import('./sweep.js')).command },
  { name: 'batch', summary: 'offline batch: export OpenAI Batch JSONL requests, import the outputs as run records', load: async () => (await import('./batch.js')).command },
  { name: 'import', summary: "bring in other harnesses' per-sample logs (lm-eval, inspect_ai, OpenCompass, published result files) as masa runs", load: async () => (await import('./import.js')).command },
  { name: 'score', summary: 'score recorded responses (JSONL) against a benchmark, as its authors score them', load: async () => (await import('./score.js')).command },
  { name: 'demo', summary: 'run the whole pipeline on the built-in simulator (the embedded default)', load: async () => (await import('./demo.js')).command },
  { name: 'sim', summary: 'serve synthetic models through a local vLLM-compatible OpenAI API (the embedded default)', load: async () => (await import('./sim.js')).command },
  { name: 'models', summary: 'list and filter the model catalog (data/models.csv)', load: async () => (await import('./models.js')).command },
  { name: 'serve-plan', summary: 'print the `vllm serve` command (and GPU count) for each catalog model', load: async () => (await import('./serve-plan.js')).command },
  { name: 'summarize', summary: 'fold per-sample logs into a tidy scores table (model x benchmark) and per-model group scores', load: async () => (await import('./summarize.js')).command },
  { name: 'audit', summary: 'list the responses the two answer parsers read differently, with no answer found, or truncated (text and HTML)', load: async () => (await import('./audit.js')).command },
  { name: 'analyze', summary: 'correlate two score columns across models and fit linear, log and logistic-with-floor curves, with uncertainty', load: async () => (await import('./analyze.js')).command },
  { name: 'figures', summary: "draw the paper's figures (and the ones it lacks) from a scores table as HTML, SVG and PNG", load: async () => (await import('./figures.js')).command },
  { name: 'report', summary: 'write one self-contained HTML report: figures, statistics with intervals, the paper claims checked', load: async () => (await import('./report.js')).command },
];
