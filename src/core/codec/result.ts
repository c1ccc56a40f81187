/**
 * Decoders never throw: they return a value or a typed error saying what went wrong and
 * where (byte offset for binary layers, column for text).
 */
export type Layer = 'ethernet' | 'ipv4' | 'tcp' | 'icmp' | 'ftp' | 'pcap' | 'hostport';

export interface DecodeError {
  readonly layer: Layer;
  /** truncated: fewer bytes than the header says; bad-value: a field out of range;
   * bad-checksum: checksum mismatch (only when verification was asked for);
   * syntax: text that does not parse. */
  readonly kind: 'truncated' | 'bad-value' | 'bad-checksum' | 'syntax';
  /** Byte offset (binary) or character column (text), 0-based. */
  readonly offset: number;
  readonly message: string;
}

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DecodeError };

export const ok = <T>(value: T): Decoded<T> => ({ ok: true, value });
export const fail = <T = never>(layer: Layer, kind: DecodeError['kind'], offset: number, message: string): Decoded<T> => ({
  ok: false,
  error: { layer, kind, offset, message },
});
