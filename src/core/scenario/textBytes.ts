/**
 * A text file's bytes as text, whatever Windows saved it as: UTF-8 with or without a byte-order
 * mark, or UTF-16 (little- or big-endian, with a BOM, or without one when every other byte of
 * plain text is zero). Never throws; bytes that are not UTF-8 become U+FFFD and the loader then
 * points at the line. `note` says what was converted, for a message the learner can act on.
 */
export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-8 with BOM' | 'utf-16le' | 'utf-16be';
  /** One sentence when the file was not plain UTF-8 (it was read anyway). */
  note: string | null;
}

export function decodeTextBytes(bytes: Uint8Array): DecodedText {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: utf8(b.subarray(3)), encoding: 'utf-8 with BOM', note: null };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return utf16(b.subarray(2), 'utf-16le');
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return utf16(b.subarray(2), 'utf-16be');
  // No BOM: ASCII-range text in UTF-16 has a zero in every other byte.
  const n = Math.min(b.length, 512) & ~1;
  if (n >= 4) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (b[i] === 0) evenZero++;
      if (b[i + 1] === 0) oddZero++;
    }
    if (oddZero >= (n / 2) * 0.9 && evenZero === 0) return utf16(b, 'utf-16le');
    if (evenZero >= (n / 2) * 0.9 && oddZero === 0) return utf16(b, 'utf-16be');
  }
  return { text: utf8(b), encoding: 'utf-8', note: null };
}

/** Text that came in as a string (a paste, an already-decoded file): drops a leading BOM. */
export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

function utf8(b: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(b);
}

function utf16(b: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): DecodedText {
  const text = new TextDecoder(encoding, { fatal: false, ignoreBOM: true }).decode(b.length % 2 ? b.subarray(0, b.length - 1) : b);
  return {
    text: stripBom(text),
    encoding,
    note: `This file is UTF-16 (${encoding === 'utf-16le' ? 'little' : 'big'}-endian); it was read as such — save it as UTF-8 to share it with other tools.`,
  };
}
