/**
 * RFC 1071 Internet checksum: one's-complement sum of 16-bit big-endian words.
 * `initial` carries a partial sum (e.g. the TCP pseudo-header) so callers need not
 * concatenate buffers. An odd trailing byte is padded with zero, as the RFC says.
 */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  const n = bytes.length;
  let i = 0;
  for (; i + 1 < n; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < n) sum += bytes[i]! << 8;
  // Fold carries back in until the sum fits in 16 bits.
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** The value to write in the checksum field (the complement of the folded sum). */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  return ~onesComplementSum(bytes, initial) & 0xffff;
}

/** Sum over the TCP/UDP pseudo-header (RFC 793 §3.1): src, dst, zero, protocol, length. */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}
