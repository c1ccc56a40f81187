import { describe, expect, it } from 'vitest';
import { ladderScroll } from './ladderScroll';

const ROW = 26;
/** Steps forward from the first row one at a time; the scroll positions taken and how many steps scrolled. */
function stepForward(rows: number, view: number) {
  let scroll = 0;
  let scrolls = 0;
  for (let i = 0; i < rows; i++) {
    const next = ladderScroll(scroll, i * ROW, ROW, view);
    if (next !== scroll) scrolls++;
    scroll = next;
    // The current row is always wholly in sight.
    expect(i * ROW).toBeGreaterThanOrEqual(scroll);
    expect(i * ROW + ROW).toBeLessThanOrEqual(scroll + view);
  }
  return scrolls;
}

describe('ladderScroll: the current row in sight, scrolled in jumps', () => {
  it('a row in view moves nothing', () => {
    expect(ladderScroll(52, 52, ROW, 156)).toBe(52);
    expect(ladderScroll(52, 52 + 130, ROW, 156)).toBe(52);
  });

  it('stepping forward past the bottom brings the row near the top (one row above it), not to the bottom', () => {
    // Six rows in view (1280×720): row 6 leaves the view; it goes to the second place.
    expect(ladderScroll(0, 6 * ROW, ROW, 6 * ROW)).toBe(5 * ROW);
  });

  it('stepping back past the top brings the row near the bottom', () => {
    expect(ladderScroll(10 * ROW, 9 * ROW, ROW, 6 * ROW)).toBe(9 * ROW + 2 * ROW - 6 * ROW);
    expect(ladderScroll(2 * ROW, 1 * ROW, ROW, 6 * ROW)).toBe(0);
  });

  it('20 steps forward with six rows in view scroll 4 times (it was 15: once a step after the sixth)', () => {
    expect(stepForward(21, 6 * ROW)).toBeLessThanOrEqual(4);
  });

  it('a view of one to three rows still shows the current row whole', () => {
    for (const rows of [1, 2, 3]) stepForward(30, rows * ROW);
    // Part of a row: the row's top is in sight, forward and back.
    expect(ladderScroll(0, 5 * ROW, ROW, 20)).toBe(5 * ROW);
    expect(ladderScroll(9 * ROW, 5 * ROW, ROW, 20)).toBe(5 * ROW);
  });

  it('a jump far ahead or back shows the row, with the row before it in sight', () => {
    expect(ladderScroll(0, 400 * ROW, ROW, 6 * ROW)).toBe(399 * ROW);
    expect(ladderScroll(400 * ROW, 3 * ROW, ROW, 6 * ROW)).toBe(0);
  });
});
