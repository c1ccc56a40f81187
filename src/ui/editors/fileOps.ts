/**
 * Immutable edits of the scenario file (the JSON users save and share). Every function
 * returns a new file and leaves its argument untouched, so undo history and re-runs can
 * compare by identity. The UI never decides network behaviour: these only move text/fields.
 */
import type { ClientSpec, HostSpec, RouterSpec, ScenarioFile, TextOrLines } from '../../core/index';

/** A multi-line field as one string (files may hold an array of lines). */
export function textOf(t: TextOrLines | undefined): string {
  if (t === undefined) return '';
  return Array.isArray(t) ? t.map((l) => `${l}\n`).join('') : t;
}

export type DeviceKind = 'host' | 'router';

export interface DeviceRef {
  kind: DeviceKind;
  index: number;
  id: string;
  label: string;
}

/** Every device that can carry a firewall: hosts first, then routers, as listed in the file. */
export function devicesOf(file: ScenarioFile): DeviceRef[] {
  return [
    ...file.hosts.map((h, index) => ({ kind: 'host' as const, index, id: h.id, label: h.label ?? h.id })),
    ...(file.routers ?? []).map((r, index) => ({ kind: 'router' as const, index, id: r.id, label: r.label ?? r.id })),
  ];
}

export function deviceSpec(file: ScenarioFile, ref: DeviceRef): HostSpec | RouterSpec | undefined {
  return ref.kind === 'host' ? file.hosts[ref.index] : file.routers?.[ref.index];
}

/** JSON path used by load errors for this device's fields (`routers[0]`). */
export function devicePath(ref: DeviceRef): string {
  return `${ref.kind === 'host' ? 'hosts' : 'routers'}[${ref.index}]`;
}

export function updateDevice(file: ScenarioFile, ref: DeviceRef, patch: Partial<HostSpec & RouterSpec>): ScenarioFile {
  if (ref.kind === 'host') {
    return { ...file, hosts: file.hosts.map((h, i) => (i === ref.index ? dropUndefined({ ...h, ...patch }) : h)) };
  }
  const routers = (file.routers ?? []).map((r, i) => (i === ref.index ? dropUndefined({ ...r, ...patch }) : r));
  return { ...file, routers };
}

/** Empty text removes the field, so "no firewall" stays the file's default rather than "". */
export function setDeviceIptables(file: ScenarioFile, ref: DeviceRef, text: string): ScenarioFile {
  return updateDevice(file, ref, { iptables: text.trim() === '' ? undefined : text });
}

export function setServerVsftpd(file: ScenarioFile, text: string): ScenarioFile {
  return { ...file, server: dropUndefined({ ...file.server, vsftpd: text === '' ? undefined : text }) };
}

/** The clients the file describes: its `client`, or each of `clients`. */
export function clientsOf(file: ScenarioFile): ClientSpec[] {
  return file.client ? [file.client] : (file.clients ?? []);
}

export function updateClient(file: ScenarioFile, index: number, patch: Partial<ClientSpec>): ScenarioFile {
  if (file.client && index === 0) return { ...file, client: dropUndefined({ ...file.client, ...patch }) };
  if (!file.clients) return file;
  return { ...file, clients: file.clients.map((c, i) => (i === index ? dropUndefined({ ...c, ...patch }) : c)) };
}

/** The script a client runs: its own, else the scenario's (else the default). */
export function scriptOf(file: ScenarioFile, index: number): { lines: string[]; own: boolean } {
  const own = clientsOf(file)[index]?.script;
  return own ? { lines: own, own: true } : { lines: file.script ?? [], own: false };
}

export function setScript(file: ScenarioFile, index: number, lines: string[]): ScenarioFile {
  return scriptOf(file, index).own ? updateClient(file, index, { script: lines }) : { ...file, script: lines };
}

/** The schema refuses unknown fields but treats absent and undefined alike; JSON.stringify drops undefined anyway. */
function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
