/**
 * Pseudo-TLS for the FTP control channel after `AUTH TLS` / `234`. There is NO real crypto
 * and no handshake: every chunk a side sends becomes TLS 1.2 application-data records
 * (0x17 0x03 0x03 len_hi len_lo + payload) whose payload is XORed with a keystream from a
 * seeded PRNG. That is enough for what the simulation must show: the bytes on the wire look
 * like TLS records and no longer contain "PORT " or "227 ", so the conntrack FTP helper
 * cannot read them, while both ends still understand each other.
 *
 * The two directions have separate keystreams (client→server, server→client), each
 * consumed in order, like a stream cipher over a reliable byte stream. The keys do not
 * depend on the session: the two ends share no secret in this model, and a label that had
 * to match on both sides would only be a way to break a run. Records are at most 16384
 * payload bytes (RFC 8446 §5.1); unwrap buffers partial records across TCP segments.
 */
import { Prng } from '../sim/prng';

export const TLS_APPLICATION_DATA = 0x17;
export const TLS_RECORD_HEADER = 5;
export const TLS_MAX_PAYLOAD = 16384;

export type TlsRole = 'client' | 'server';

/** Fixed keystream seeds per direction (arbitrary constants). */
const SEED_CLIENT_TO_SERVER = 0x5eed_c2a5;
const SEED_SERVER_TO_CLIENT = 0x5eed_a5c2;

/** An endless XOR keystream drawn 4 bytes at a time from the PRNG. */
class Keystream {
  private prng: Prng;
  private word = 0;
  private left = 0;

  constructor(seed: number) {
    this.prng = new Prng(seed);
  }

  xor(bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) {
      if (this.left === 0) {
        this.word = this.prng.nextU32();
        this.left = 4;
      }
      out[i] = bytes[i]! ^ (this.word & 0xff);
      this.word >>>= 8;
      this.left--;
    }
    return out;
  }
}

/** One end of a pseudo-TLS control channel. */
export class TlsChannel {
  private readonly tx: Keystream;
  private readonly rx: Keystream;
  private pending = new Uint8Array(0);

  /** `session` is a label for debugging only; `role` picks which keystream is which. */
  constructor(
    readonly session: string = '',
    readonly role: TlsRole = 'client',
  ) {
    const up = SEED_CLIENT_TO_SERVER;
    const down = SEED_SERVER_TO_CLIENT;
    this.tx = new Keystream(role === 'client' ? up : down);
    this.rx = new Keystream(role === 'client' ? down : up);
  }

  /** Plain bytes → one or more application-data records. */
  wrap(plain: Uint8Array): Uint8Array {
    const cipher = this.tx.xor(plain);
    const records = Math.max(1, Math.ceil(cipher.length / TLS_MAX_PAYLOAD));
    const out = new Uint8Array(cipher.length + records * TLS_RECORD_HEADER);
    let o = 0;
    for (let r = 0; r < records; r++) {
      const chunk = cipher.subarray(r * TLS_MAX_PAYLOAD, Math.min(cipher.length, (r + 1) * TLS_MAX_PAYLOAD));
      out.set([TLS_APPLICATION_DATA, 0x03, 0x03, chunk.length >> 8, chunk.length & 0xff], o);
      out.set(chunk, o + TLS_RECORD_HEADER);
      o += TLS_RECORD_HEADER + chunk.length;
    }
    return out;
  }

  /**
   * Received bytes → the plain bytes of every record completed so far (a record cut by TCP
   * segmentation waits for its tail). Bytes that do not start a record (a peer that never
   * switched to TLS) pass through unchanged rather than being lost.
   */
  unwrap(bytes: Uint8Array): Uint8Array {
    const buf = concat(this.pending, bytes);
    const parts: Uint8Array[] = [];
    let o = 0;
    while (o < buf.length) {
      if (buf[o] !== TLS_APPLICATION_DATA) {
        parts.push(buf.subarray(o));
        o = buf.length;
        break;
      }
      if (buf.length - o < TLS_RECORD_HEADER) break;
      const len = (buf[o + 3]! << 8) | buf[o + 4]!;
      if (buf.length - o < TLS_RECORD_HEADER + len) break;
      parts.push(this.rx.xor(buf.subarray(o + TLS_RECORD_HEADER, o + TLS_RECORD_HEADER + len)));
      o += TLS_RECORD_HEADER + len;
    }
    this.pending = buf.slice(o);
    return parts.reduce((a, b) => concat(a, b), new Uint8Array(0));
  }
}

/** True when the bytes begin like a TLS application-data record (what a middlebox sees). */
export function looksLikeTlsRecord(bytes: Uint8Array): boolean {
  return bytes.length >= TLS_RECORD_HEADER && bytes[0] === TLS_APPLICATION_DATA && bytes[1] === 0x03 && bytes[2] === 0x03;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
