/** Import/export of scenario files and other downloads (pcap) through the browser. */
import { decodeTextBytes } from '../../core/index';

/** The scenario as a JSON file: two-space indent and a final newline, as people write them. */
export function exportScenarioJson(file: unknown): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A file name from a scenario title: "Passive blocked!" → "passive-blocked.json". */
export function scenarioFileName(name: unknown): string {
  const base = String(name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'scenario'}.json`;
}

/** Offers bytes or text as a download without a server round trip. */
export function downloadBytes(name: string, bytes: Uint8Array | string, mime: string): void {
  const part: BlobPart = typeof bytes === 'string' ? bytes : new Uint8Array(bytes);
  const url = URL.createObjectURL(new Blob([part], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke after the click has been handled; revoking at once can cancel the download in some browsers.
  queueMicrotask(() => setTimeout(() => URL.revokeObjectURL(url), 1000));
}

/** A chosen file's text: UTF-8 with or without a BOM, or UTF-16 (Windows' "Unicode"), decoded. */
export async function readFileText(file: File): Promise<string> {
  return decodeTextBytes(new Uint8Array(await file.arrayBuffer())).text;
}
