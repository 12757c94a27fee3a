import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MasaError } from './errors.js';

/**
 * Writes through a temporary file in the same folder and a rename, so a reader (or a crash
 * half-way) never sees half a file and what was there stays intact until the new one is whole.
 */
export function writeFileAtomic(dest: string, data: string | Buffer): void {
  const tmp = `${dest}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, dest);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file was never created
    }
    throw new MasaError(`${dest}: cannot write (${(e as Error).message})`);
  }
}
