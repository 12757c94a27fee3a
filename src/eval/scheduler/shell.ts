/** One word for bash: bare when it is plainly safe, else single-quoted ('it'\''s'). */
export function shq(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function shWords(argv: readonly string[]): string {
  return argv.map(shq).join(' ');
}
