/**
 * Highlight targets: what a lesson step points at on screen. Checked here against the
 * scenario and its run, so a lesson never points at a device, link or field that is not
 * there. The UI finds the element by the same vocabulary (targetKey). Pure.
 */
import { decodePacket } from '../core/index';
import { portArithmetic } from './arithmetic';
import type { RunContext } from './probes';
import type { Target } from './schema';

/** The FTP line a packet carries, if any (first line of its TCP payload). */
export function ftpPayloadLine(bytes: Uint8Array): string | null {
  const p = decodePacket(bytes, { verifyChecksums: false });
  if (!p.ok || !p.value.tcp || p.value.tcp.payload.length === 0) return null;
  const text = new TextDecoder('latin1').decode(p.value.tcp.payload);
  const line = text.split('\r\n', 1)[0]!;
  return /^[\x20-\x7e]+$/.test(line) ? line : null;
}

export function checkTarget(ctx: RunContext, t: Target, event: number | null): string | null {
  const { scenario, run } = ctx;
  const devices = [...scenario.hosts, ...scenario.routers];
  const known = (id: string) => devices.some((d) => d.id === id);
  const list = devices.map((d) => d.id).join(', ');
  if ('device' in t && !('editor' in t)) return known(t.device) ? null : `no device "${t.device}" in the scenario (it has ${list})`;
  if ('link' in t) {
    const [a, b] = t.link;
    for (const d of [a, b]) if (!known(d)) return `no device "${d}" in the scenario (it has ${list})`;
    const shared = scenario.segments.some((s) => s.members.some((m) => m.device === a) && s.members.some((m) => m.device === b));
    return shared ? null : `"${a}" and "${b}" are not on one link`;
  }
  if ('connection' in t) {
    const n = t.nth ?? 1;
    const have = run.trace.connections.filter((c) => c.role === t.connection).length;
    return have >= n ? null : `the run has ${have} ${t.connection} connection${have === 1 ? '' : 's'}, not ${n}`;
  }
  if ('ladder' in t) return event === null ? 'a ladder highlight needs the step\'s "at" (the row to point at)' : null;
  if ('inspector' in t) {
    if (event === null) return 'an inspector highlight needs the step\'s "at" (the packet to inspect)';
    const e = run.trace.events[event];
    if (!e || e.kind !== 'send') return 'the step\'s "at" is not a packet on a link, so the inspector shows no fields for it';
    if (t.inspector === 'ftp' || t.inspector === 'arithmetic') {
      const line = ftpPayloadLine(e.bytes);
      if (!line) return 'the packet at the step\'s "at" carries no FTP line';
      if (t.inspector === 'arithmetic' && !portArithmetic(line)) return `the packet's FTP line "${line}" is not PORT, EPRT, 227 or 229`;
    }
    return null;
  }
  if ('editor' in t) {
    if (t.editor === 'firewall' || t.editor === 'helper' || t.editor === 'nat') {
      if (!t.device) return `an editor highlight on "${t.editor}" needs "device"`;
      if (!known(t.device)) return `no device "${t.device}" in the scenario (it has ${list})`;
    }
    return null;
  }
  return null;
}

/** A stable string for a target: the UI puts it in data-target attributes and finds it by it. */
export function targetKey(t: Target): string {
  if ('link' in t) return `link:${t.link[0]}|${t.link[1]}`;
  if ('connection' in t) return `connection:${t.connection}:${t.nth ?? 1}`;
  if ('ladder' in t) return 'ladder:current';
  if ('inspector' in t) return `inspector:${t.inspector}`;
  if ('editor' in t) return `editor:${t.editor}${t.device ? `:${t.device}` : ''}`;
  if ('panel' in t) return `panel:${t.panel}`;
  return `device:${t.device}`;
}
