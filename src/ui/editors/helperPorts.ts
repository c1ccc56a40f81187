/** The helper's `ports=` field as typed: "21, 2121" → [21, 2121], or the reason it is not. */
export function parsePortList(text: string): { ok: true; ports: number[] } | { ok: false; message: string } {
  const words = text.split(/[\s,]+/).filter(Boolean);
  if (words.length === 0) return { ok: false, message: 'list at least one port (the default is 21)' };
  if (words.length > 16) return { ok: false, message: 'at most 16 ports' };
  const ports: number[] = [];
  for (const w of words) {
    const n = /^\d{1,5}$/.test(w) ? Number(w) : NaN;
    if (!(n >= 1 && n <= 65535)) return { ok: false, message: `"${w}" is not a port 1–65535` };
    if (!ports.includes(n)) ports.push(n);
  }
  return { ok: true, ports };
}
