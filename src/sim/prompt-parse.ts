/**
 * Reading a benchmark prompt back: the lettered option blocks it shows and a fingerprint that
 * does not change when the options are shuffled, so a shuffled trial still finds its item.
 */

// "A. text", "A) text", "A: text", "(A) text" at the start of a line.
const LABEL = /^\s*(?:\(([A-Z])\)|([A-Z])[.):])\s*(.*)$/;

export interface OptionBlock {
  /** Option texts in shown order (first line of each option, label removed, trimmed). */
  texts: string[];
}

/**
 * The lettered option lists in a prompt, in order. A list starts at a line labelled A and
 * goes on while the next label is the next letter; unlabelled lines in between (wrapped
 * option text, blank lines) do not break it.
 */
export function optionBlocks(text: string): OptionBlock[] {
  const blocks: OptionBlock[] = [];
  let current: OptionBlock | null = null;
  let start = 0;
  const n = text.length;
  while (start <= n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    // Cheap pre-check before the regex: a label needs an upper-case letter in the first few chars.
    const line = text.slice(start, end);
    const m = line.length > 1 && line.length < 4000 ? LABEL.exec(line) : null;
    if (m) {
      const letter = (m[1] ?? m[2])!;
      const code = letter.charCodeAt(0) - 65;
      if (code === 0) {
        current = { texts: [m[3]!.trim()] };
        blocks.push(current);
      } else if (current && code === current.texts.length) {
        current.texts.push(m[3]!.trim());
      } else {
        current = null;
      }
    }
    start = end + 1;
  }
  return blocks.filter((b) => b.texts.length >= 2);
}

/** Strips an option label from a line, so shuffled and unshuffled prompts read the same. */
function stripLabel(line: string): string {
  // Cheap pre-check: a label starts (after spaces) with "(" or a capital followed by . ) : or a space.
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  const c = line.charCodeAt(i);
  if (c !== 40 && !(c >= 65 && c <= 90)) return line.trim();
  const m = LABEL.exec(line);
  return m ? m[3]!.trim() : line.trim();
}

/**
 * Order-insensitive fingerprint of a prompt: its lines with option labels removed, sorted,
 * hashed with two 32-bit FNV-1a variants in one pass, plus the length: collisions are negligible.
 */
export function fingerprint(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) lines[i] = stripLabel(lines[i]!);
  lines.sort();
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  let n = 0;
  for (const l of lines) {
    for (let i = 0; i < l.length; i++) {
      const c = l.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    h1 = Math.imul(h1 ^ 10, 0x01000193);
    h2 = Math.imul(h2 ^ 10, 0x5bd1e995) ^ (h2 >>> 15);
    n += l.length + 1;
  }
  return `${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}.${n}`;
}
