/**
 * Where the ladder scrolls so the current row is in sight (Ladder.svelte). A row already in
 * the view moves nothing. A row past the bottom (stepping forward) is brought near the top,
 * one row of what came before kept above it, so the next steps need no scroll; a row above
 * the top (stepping back) is brought near the bottom the same way. Each scroll costs the page
 * a layout: at 1280×720 the ladder shows about six rows, and keeping the current row at the
 * bottom scrolled on every step forward (two layouts a step).
 *
 * `scroll`: the current scroll position; `rowTop`: the row's top in the same coordinates (0 at
 * the first row); `rowH`: a row's height; `view`: the height the rows have (under the header).
 */
export function ladderScroll(scroll: number, rowTop: number, rowH: number, view: number): number {
  if (rowTop >= scroll && rowTop + rowH <= scroll + view) return scroll;
  // One row of context where the view holds at least four; a view of one to three rows shows the row alone.
  const context = view >= 4 * rowH ? rowH : 0;
  if (rowTop + rowH > scroll + view) return Math.max(0, rowTop - context);
  // (a view shorter than a row shows the row's top)
  return Math.max(0, Math.min(rowTop, rowTop + rowH + context - view));
}
