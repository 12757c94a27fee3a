import { MasaError } from './errors.js';

/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. Returns rows of
 * strings; `line` is the 1-based physical line each row starts on, for error messages.
 */
export function parseCsvRows(text: string, file: string): Array<{ line: number; cells: string[] }> {
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let field = '';
  let inQuotes = false;
  let line = 1;
  let rowStart = 1;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const endRow = (): void => {
    cells.push(field);
    field = '';
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowStart, cells });
    cells = [];
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') inQuotes = true;
    else if (c === ',') {
      cells.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowStart = line;
    } else field += c;
  }
  if (inQuotes) throw new MasaError(`${file}:${rowStart}: unterminated quoted field (file truncated?)`);
  if (field !== '' || cells.length > 0) endRow();
  return rows;
}

/** CSV with a header row, as records keyed by column name; a short or long row is an error. */
export function parseCsv(text: string, file: string): Array<{ line: number; record: Record<string, string> }> {
  const rows = parseCsvRows(text, file);
  if (rows.length === 0) throw new MasaError(`${file}: empty CSV (no header row)`);
  const header = rows[0]!.cells;
  return rows.slice(1).map(({ line, cells }) => {
    if (cells.length !== header.length) {
      throw new MasaError(`${file}:${line}: expected ${header.length} columns, found ${cells.length}`);
    }
    const record: Record<string, string> = {};
    header.forEach((h, k) => (record[h] = cells[k]!));
    return { line, record };
  });
}

/** Quotes a value for CSV output when needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  const out = [columns.map(csvCell).join(',')];
  for (const r of rows) out.push(columns.map((c) => csvCell(r[c])).join(','));
  return out.join('\n') + '\n';
}
