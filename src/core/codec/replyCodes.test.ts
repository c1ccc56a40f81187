import { describe, expect, it } from 'vitest';
import { REPLY_CODES, replyMeaning } from './replyCodes';

describe('reply codes', () => {
  it('cover every code of the seed table, plus 229 and 234', () => {
    // The 39 codes of the table in seed 003 (110 … 553), in its order.
    const codes = [
      110, 120, 125, 150, 200, 202, 211, 212, 213, 214, 215, 220, 221, 225, 226, 227, 230, 250, 257, 331, 332, 350, 421, 425, 426, 450, 451, 452, 500, 501, 502, 503, 504, 530, 532,
      550, 551, 552, 553,
    ];
    for (const c of [...codes, 229, 234]) expect(REPLY_CODES[c], String(c)).toBeTruthy();
  });

  it('explains the codes of the story and falls back to the class', () => {
    expect(replyMeaning(425)).toBe("Can't open data connection.");
    expect(replyMeaning(227)).toContain('Passive Mode');
    expect(replyMeaning(299)).toBe('Unlisted code 299. Positive completion reply.');
    expect(replyMeaning(42)).toBe('Not an FTP reply code: 42.');
  });
});
