/**
 * Keyboard shortcuts of the transport. Not while the user types (text fields, selects,
 * contenteditable), and Space is left to buttons, links, checkboxes and summaries, which
 * use it to activate themselves.
 */
export type Shortcut = 'toggle' | 'next' | 'prev' | 'start' | 'end';

const KEYS: Record<string, Shortcut> = { ' ': 'toggle', ArrowRight: 'next', ArrowLeft: 'prev', Home: 'start', End: 'end' };

export function shortcutFor(e: Pick<KeyboardEvent, 'key' | 'target' | 'altKey' | 'ctrlKey' | 'metaKey' | 'defaultPrevented'>): Shortcut | null {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return null;
  const action = KEYS[e.key];
  if (!action) return null;
  const t = e.target as HTMLElement | null;
  if (t && typeof t.closest === 'function') {
    if (t.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="tab"], [role="tablist"]')) return null;
    if (action === 'toggle' && t.closest('button, a, summary, [role="button"], [role="checkbox"]')) return null;
  }
  return action;
}
