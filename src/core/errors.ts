/**
 * An error meant for the user: one clear line naming the file, line or field at fault.
 * The CLI prints `message` alone (no stack) and exits with `exitCode`.
 */
export class MasaError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message);
    this.name = 'MasaError';
    this.exitCode = options.exitCode ?? 1;
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** Names a place in a file for error messages: `path:line` or `path`. */
export function where(file: string, line?: number): string {
  return line === undefined ? file : `${file}:${line}`;
}
