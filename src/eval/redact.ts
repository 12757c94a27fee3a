/**
 * The API key must never reach results, logs or error messages. Everything masa writes from
 * a run goes through a Redactor holding the secrets in use, so even a server that echoes the
 * Authorization header into an error body or a response cannot leak it into a file.
 */
export const REDACTED = '[REDACTED]';

export class Redactor {
  private readonly secrets: string[];
  constructor(secrets: ReadonlyArray<string | undefined | null>) {
    // Very short "keys" (e.g. 'EMPTY', 'x') are placeholders, not secrets; replacing them would mangle text.
    this.secrets = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8))];
    this.secrets.sort((a, b) => b.length - a.length);
  }
  get active(): boolean {
    return this.secrets.length > 0;
  }
  text(s: string): string;
  text(s: string | null): string | null;
  text(s: string | null): string | null {
    if (s === null || this.secrets.length === 0) return s;
    let out = s;
    for (const k of this.secrets) if (out.includes(k)) out = out.split(k).join(REDACTED);
    return out;
  }
}
