/**
 * Progress on stderr: a redrawn line on a terminal, a plain line every `intervalMs` otherwise,
 * nothing with --quiet. Reads counters the runner keeps; never touches the records.
 */
export interface ProgressCounters {
  /** Items x trials planned, and done (including those found done when resuming). */
  total: number;
  done: number;
  resumed: number;
  errors: number;
  truncated: number;
  completionTokens: number;
  /** Requests in flight and items waiting for a retry. */
  inFlight: () => number;
  waiting: () => number;
}

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'none';

function fmtDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function progressLine(c: ProgressCounters, label: string, elapsedMs: number): string {
  const secs = Math.max(elapsedMs / 1000, 1e-3);
  const fresh = c.done - c.resumed;
  const rate = fresh / secs;
  const left = c.total - c.done;
  const eta = rate > 0 ? left / rate : Infinity;
  const pct = c.total > 0 ? ((100 * c.done) / c.total).toFixed(1) : '100.0';
  return (
    `${label} ${c.done}/${c.total} (${pct}%) ${rate.toFixed(1)}/s ETA ${left === 0 ? '0s' : fmtDuration(eta)}` +
    ` | errors ${c.errors} truncated ${c.truncated} | ${Math.round(c.completionTokens / secs)} tok/s` +
    ` | in flight ${c.inFlight()} retrying ${c.waiting()}`
  );
}

export class Progress {
  private timer: NodeJS.Timeout | null = null;
  private readonly started = Date.now();
  private readonly mode: 'tty' | 'plain' | 'none';
  private drawn = false;

  constructor(
    private readonly counters: ProgressCounters,
    private readonly label: string,
    mode: ProgressMode,
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
    private readonly intervalMs = 10_000,
  ) {
    this.mode = mode === 'auto' ? (stream.isTTY ? 'tty' : 'plain') : mode;
  }

  start(): void {
    if (this.mode === 'none') return;
    const every = this.mode === 'tty' ? 250 : this.intervalMs;
    this.timer = setInterval(() => this.draw(), every);
    this.timer.unref();
  }

  /** Prints a message without garbling the redrawn line. */
  note(message: string): void {
    if (this.mode === 'tty' && this.drawn) this.stream.write('\r\x1b[2K');
    this.stream.write(message + '\n');
    if (this.mode === 'tty' && this.drawn) this.draw();
  }

  private draw(): void {
    const line = progressLine(this.counters, this.label, Date.now() - this.started);
    if (this.mode === 'tty') {
      this.stream.write(`\r\x1b[2K${line}`);
      this.drawn = true;
    } else this.stream.write(line + '\n');
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.mode === 'none') return;
    this.draw();
    if (this.mode === 'tty') this.stream.write('\n');
    this.drawn = false;
  }
}
