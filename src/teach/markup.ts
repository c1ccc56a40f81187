/**
 * The small safe markup of lesson and glossary text, parsed into tokens that the UI renders
 * with its own elements (never as HTML):
 *
 *   *emphasis*        → { kind: 'em' }
 *   `code`            → { kind: 'code' }  (verbatim: nothing inside is markup)
 *   [[term]]          → { kind: 'term', term: 'term', text: 'term' }   a glossary link
 *   [[term|words]]    → { kind: 'term', term: 'term', text: 'words' }
 *
 * Anything else is plain text, including "<", "&" and unmatched markers, which stay as
 * they are. Pure; never throws.
 */

export type Token = { kind: 'text'; text: string } | { kind: 'em'; text: string } | { kind: 'code'; text: string } | { kind: 'term'; term: string; text: string };

const TERM_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Text or a list of lines (joined with spaces, as a paragraph). */
export function joinText(t: string | readonly string[]): string {
  return typeof t === 'string' ? t : t.join(' ');
}

/** `label` gives the words shown for a bare [[term]] (default: the term id itself). */
export function parseMarkup(input: string | readonly string[], label: (term: string) => string = (t) => t): Token[] {
  const s = joinText(input);
  const out: Token[] = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push({ kind: 'text', text: plain });
    plain = '';
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '`') {
      const end = s.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ kind: 'code', text: s.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    } else if (c === '*') {
      const end = s.indexOf('*', i + 1);
      // "*x*" with no space just inside the markers; "2*3" arithmetic or a lone "*" stays text.
      if (end > i + 1 && s[i + 1] !== ' ' && s[end - 1] !== ' ' && !s.slice(i + 1, end).includes('`')) {
        flush();
        out.push({ kind: 'em', text: s.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    } else if (c === '[' && s[i + 1] === '[') {
      const end = s.indexOf(']]', i + 2);
      if (end > i + 2) {
        const inner = s.slice(i + 2, end);
        const bar = inner.indexOf('|');
        const term = (bar < 0 ? inner : inner.slice(0, bar)).trim();
        const text = bar < 0 ? label(term) : inner.slice(bar + 1).trim();
        if (TERM_ID.test(term) && text) {
          flush();
          out.push({ kind: 'term', term, text });
          i = end + 2;
          continue;
        }
      }
    }
    plain += c;
    i++;
  }
  flush();
  return out;
}

/** The glossary terms a text links to, in order of appearance. */
export function termsIn(input: string | readonly string[]): string[] {
  return parseMarkup(input).flatMap((t) => (t.kind === 'term' ? [t.term] : []));
}

/** Plain text of a marked-up string (for titles, aria labels, the terminal). */
export function plainText(input: string | readonly string[]): string {
  return parseMarkup(input)
    .map((t) => t.text)
    .join('');
}

/**
 * Text whose only markup is `code` spans (the verdict's fix and explanation, written by the
 * core with backticks): code spans, everything else plain.
 */
export function parseCodeSpans(input: string): Token[] {
  const out: Token[] = [];
  const parts = input.split('`');
  // An odd number of backticks leaves the last one as text.
  const closed = parts.length % 2 === 1;
  parts.forEach((p, k) => {
    if (k % 2 === 1 && (closed || k < parts.length - 1)) out.push({ kind: 'code', text: p });
    else {
      const text = k % 2 === 1 ? '`' + p : p;
      if (text) out.push({ kind: 'text', text });
    }
  });
  return out;
}
