/**
 * Keyboard shortcuts of the transport. Not while the user types (text fields, selects,
 * contenteditable), and Space is left to buttons, links, checkboxes and summaries, which
 * use it to activate themselves.
 */
export type Shortcut = 'toggle' | 'next' | 'prev' | 'start' | 'end' | 'ftpNext' | 'ftpPrev' | 'connNext' | 'connPrev' | 'dropNext' | 'dropPrev' | 'presenter';

/**
 * PageDown/PageUp are what a presentation clicker sends; [ ] jump by FTP line, { } by
 * connection open/close, < > by drop; P toggles presenter mode.
 */
const KEYS: Record<string, Shortcut> = {
  ' ': 'toggle',
  ArrowRight: 'next',
  ArrowLeft: 'prev',
  PageDown: 'next',
  PageUp: 'prev',
  Home: 'start',
  End: 'end',
  ']': 'ftpNext',
  '[': 'ftpPrev',
  '}': 'connNext',
  '{': 'connPrev',
  '>': 'dropNext',
  '<': 'dropPrev',
  p: 'presenter',
  P: 'presenter',
};

export function shortcutFor(e: Pick<KeyboardEvent, 'key' | 'target' | 'altKey' | 'ctrlKey' | 'metaKey' | 'defaultPrevented'>): Shortcut | null {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return null;
  const action = KEYS[e.key];
  if (!action) return null;
  const t = e.target as HTMLElement | null;
  if (t && typeof t.closest === 'function') {
    if (t.closest('input:not([type="checkbox"]):not([type="radio"]), textarea, select, [contenteditable=""], [contenteditable="true"], [role="tab"], [role="tablist"]'))
      return null;
    // A scrolling panel keeps its own Page keys.
    if ((e.key === 'PageDown' || e.key === 'PageUp') && t.closest('.scroller, [role="tabpanel"], section[aria-label="Ladder diagram"]')) return null;
    if (action === 'toggle' && t.closest('button, a, summary, [role="button"], [role="checkbox"], input')) return null;
  }
  return action;
}
