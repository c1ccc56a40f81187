/**
 * RFC 1071 Internet checksum: one's-complement sum of 16-bit big-endian words.
 * `initial` carries a partial sum (e.g. the TCP pseudo-header) so callers need not
 * concatenate buffers. An odd trailing byte is padded with zero, as the RFC says.
 */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  // High and low bytes summed apart, 8 bytes a round (every segment of every hop is summed;
  // this is the loop's hot form). Each partial stays far below 2^53 for any IPv4 length.
  let hi = 0;
  let lo = 0;
  const n = bytes.length;
  let i = 0;
  for (const end = n - 7; i < end; i += 8) {
    hi += bytes[i]! + bytes[i + 2]! + bytes[i + 4]! + bytes[i + 6]!;
    lo += bytes[i + 1]! + bytes[i + 3]! + bytes[i + 5]! + bytes[i + 7]!;
  }
  for (; i + 1 < n; i += 2) {
    hi += bytes[i]!;
    lo += bytes[i + 1]!;
  }
  if (i < n) hi += bytes[i]!; // an odd trailing byte, padded with zero
  let sum = initial + hi * 256 + lo;
  // Fold carries back in until the sum fits in 16 bits.
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.floor(sum / 0x10000);
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
