/**
 * Reads ZIP archives in memory: stored and deflated members, optionally encrypted with
 * traditional PKWARE encryption ("ZipCrypto", APPNOTE 6.1). GPQA is published in a
 * password-protected zip and its authors ask that the plain text never be put online, so
 * masa decrypts it in memory and never writes the plaintext anywhere. Also writes a
 * single-member ZipCrypto archive, so a GPQA CSV downloaded into memory can be stored
 * encrypted straight away.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { MasaError } from './errors.js';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crcByte(crc: number, b: number): number {
  return (CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8)) >>> 0;
}

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcByte(c, data[i]!);
  return (c ^ 0xffffffff) >>> 0;
}

/** The three-key stream cipher of traditional PKWARE encryption. */
class ZipCryptoKeys {
  private k0 = 0x12345678;
  private k1 = 0x23456789;
  private k2 = 0x34567890;

  constructor(password: string) {
    for (const b of Buffer.from(password, 'utf8')) this.update(b);
  }

  private update(plain: number): void {
    this.k0 = crcByte(this.k0, plain);
    this.k1 = (Math.imul((this.k1 + (this.k0 & 0xff)) >>> 0, 134775813) + 1) >>> 0;
    this.k2 = crcByte(this.k2, this.k1 >>> 24);
  }

  private streamByte(): number {
    const t = (this.k2 | 2) & 0xffff;
    return ((t * (t ^ 1)) >>> 8) & 0xff;
  }

  decrypt(data: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(data.length);
    for (let i = 0; i < data.length; i++) {
      const p = data[i]! ^ this.streamByte();
      this.update(p);
      out[i] = p;
    }
    return out;
  }

  encrypt(data: Uint8Array): Buffer {
    const out = Buffer.allocUnsafe(data.length);
    for (let i = 0; i < data.length; i++) {
      const p = data[i]!;
      out[i] = p ^ this.streamByte();
      this.update(p);
    }
    return out;
  }
}

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflate. */
  method: number;
  flags: number;
  encrypted: boolean;
  crc32: number;
  compressedSize: number;
  size: number;
  /** DOS time field of the central directory entry (used by the encryption check byte). */
  dosTime: number;
  localHeaderOffset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

/**
 * Lists the members of a zip from its central directory. Sizes and CRCs come from the
 * central directory because members written with a data descriptor (flag bit 3) have zeros
 * in their local headers.
 */
export function listZip(buf: Buffer, file: string): ZipEntry[] {
  const minEocd = 22;
  if (buf.length < minEocd) throw new MasaError(`${file}: not a zip archive or truncated (${buf.length} bytes)`);
  let eocd = -1;
  const stop = Math.max(0, buf.length - minEocd - 0xffff);
  for (let i = buf.length - minEocd; i >= stop; i--) {
    if (buf.readUInt32LE(i) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new MasaError(`${file}: not a zip archive or truncated (no end-of-central-directory record)`);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new MasaError(`${file}: ZIP64 archives are not supported`);
  if (cdOffset + cdSize > eocd) throw new MasaError(`${file}: truncated or corrupt zip (central directory out of range)`);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== SIG_CENTRAL) {
      throw new MasaError(`${file}: corrupt zip (bad central directory entry ${k + 1})`);
    }
    const flags = buf.readUInt16LE(p + 8);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const nameBytes = buf.subarray(p + 46, p + 46 + nameLen);
    entries.push({
      name: nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1'),
      method: buf.readUInt16LE(p + 10),
      flags,
      encrypted: (flags & 1) === 1,
      dosTime: buf.readUInt16LE(p + 12),
      crc32: buf.readUInt32LE(p + 16),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Finds a member by exact name, or else by its last path component. */
export function findEntry(entries: readonly ZipEntry[], name: string): ZipEntry | undefined {
  return entries.find((e) => e.name === name) ?? entries.find((e) => e.name.split('/').pop() === name);
}

/**
 * Returns one member's bytes, decrypting with `password` when the member is encrypted, and
 * checks its CRC-32 (a wrong password or a corrupt file fails here with a clear message).
 */
export function readZipEntry(buf: Buffer, entry: ZipEntry, file: string, password?: string): Buffer {
  const where = `${file}: member ${entry.name}`;
  const lh = entry.localHeaderOffset;
  if (lh + 30 > buf.length || buf.readUInt32LE(lh) !== SIG_LOCAL) throw new MasaError(`${where}: corrupt zip (bad local header)`);
  const start = lh + 30 + buf.readUInt16LE(lh + 26) + buf.readUInt16LE(lh + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) throw new MasaError(`${where}: truncated (data runs past the end of the file)`);
  let data: Buffer = buf.subarray(start, end);
  if (entry.encrypted) {
    if (entry.flags & 0x40) throw new MasaError(`${where}: strong encryption is not supported`);
    if (password === undefined) throw new MasaError(`${where}: encrypted, and no password was given`);
    if (data.length < 12) throw new MasaError(`${where}: truncated encryption header`);
    const plain = new ZipCryptoKeys(password).decrypt(data);
    // The last header byte repeats the high byte of the CRC (or of the time when sizes follow the data).
    const check = entry.flags & 0x8 ? (entry.dosTime >>> 8) & 0xff : entry.crc32 >>> 24;
    if (plain[11] !== check) throw new MasaError(`${where}: wrong password (encryption header check failed)`);
    data = plain.subarray(12);
  }
  let out: Buffer;
  if (entry.method === 0) out = Buffer.from(data);
  else if (entry.method === 8) {
    try {
      out = inflateRawSync(data);
    } catch (e) {
      throw new MasaError(`${where}: corrupt compressed data (${(e as Error).message})`);
    }
  } else throw new MasaError(`${where}: unsupported compression method ${entry.method}`);
  if (out.length !== entry.size) throw new MasaError(`${where}: size ${out.length} differs from the recorded ${entry.size}`);
  if (crc32(out) !== entry.crc32) {
    throw new MasaError(`${where}: CRC mismatch (${entry.encrypted ? 'wrong password or ' : ''}corrupt data)`);
  }
  return out;
}

/** Reads the member called `name` (or whose last path component is `name`). */
export function readZipMember(buf: Buffer, name: string, file: string, password?: string): Buffer {
  const entries = listZip(buf, file);
  const entry = findEntry(entries, name);
  if (!entry) throw new MasaError(`${file}: no member '${name}' (has: ${entries.map((e) => e.name).join(', ') || 'none'})`);
  return readZipEntry(buf, entry, file, password);
}

/**
 * A one-member zip, deflated; with a password, encrypted with traditional PKWARE encryption
 * (readable by `unzip -P`). The 12 encryption-header bytes come from `headerSeed`, not from a
 * random source, so the same input always gives the same archive bytes.
 */
export function writeZip(name: string, data: Buffer, opts: { password?: string; headerSeed?: Uint8Array } = {}): Buffer {
  const crc = crc32(data);
  let payload: Buffer = deflateRawSync(data, { level: 9 });
  let flags = 0x800;
  if (opts.password !== undefined) {
    const seed = opts.headerSeed ?? Buffer.from(name, 'utf8');
    const header = Buffer.alloc(12);
    for (let i = 0; i < 11; i++) header[i] = seed.length > 0 ? seed[i % seed.length]! : i;
    header[11] = crc >>> 24;
    payload = new ZipCryptoKeys(opts.password).encrypt(Buffer.concat([header, payload]));
    flags |= 0x1;
  }
  const nameBuf = Buffer.from(name, 'utf8');
  const dosTime = 0;
  const dosDate = (1 << 5) | 1; // 1980-01-01: a fixed date keeps the bytes reproducible
  const local = Buffer.alloc(30);
  local.writeUInt32LE(SIG_LOCAL, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(flags, 6);
  local.writeUInt16LE(8, 8);
  local.writeUInt16LE(dosTime, 10);
  local.writeUInt16LE(dosDate, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(payload.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBuf.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(SIG_CENTRAL, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(flags, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(dosTime, 12);
  central.writeUInt16LE(dosDate, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(payload.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBuf.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + nameBuf.length + payload.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(SIG_EOCD, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length + nameBuf.length, 12);
  eocd.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, nameBuf, payload, central, nameBuf, eocd]);
}

export function writeEncryptedZip(name: string, data: Buffer, password: string, headerSeed: Uint8Array): Buffer {
  return writeZip(name, data, { password, headerSeed });
}
