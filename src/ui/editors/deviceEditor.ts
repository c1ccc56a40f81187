/**
 * Which editor a click on a canvas device opens: the server editor for the FTP server's
 * host, the client editor (that client selected) for a client's host, and the firewall
 * editor (that device selected; the NAT tab follows it) for a router or any other host.
 * Pure: the side panel reads the request.
 */
import type { ScenarioFile } from '../../core/index';
import { clientsOf } from './fileOps';

export type EditorId = 'firewall' | 'nat' | 'server' | 'client';

export interface EditorRequest {
  editor: EditorId;
  /** The device clicked (its id in the file). */
  device: string;
  /** For a client's host: which client (index in the file's clients) to select. */
  client: number | null;
  /** Grows with each request, so a second click on the same device opens it again. */
  seq: number;
}

export function editorFor(file: ScenarioFile, deviceId: string, seq: number): EditorRequest | null {
  const host = file.hosts.find((h) => h.id === deviceId);
  const router = (file.routers ?? []).find((r) => r.id === deviceId);
  if (!host && !router) return null;
  if (host && file.server.host === deviceId) return { editor: 'server', device: deviceId, client: null, seq };
  const client = clientsOf(file).findIndex((c) => c.host === deviceId);
  if (host && client >= 0) return { editor: 'client', device: deviceId, client, seq };
  return { editor: 'firewall', device: deviceId, client: null, seq };
}
