/**
 * One name per device: the texts a learner reads name a device by its display name (the
 * scenario's label, "Server firewall"), as the canvas does; ids (`server-edge`) are for files,
 * the command line and JSON. The simulator's own drop reasons are written with ids
 * ("Dropped by server-edge, …"); these helpers rename them.
 */

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with every whole occurrence of device `id` replaced by `name`: not inside a longer
 * id (`server` is not renamed in `server-edge` or `ftp-server`).
 */
export function nameDevice(text: string, id: string, name: string): string {
  if (!id || id === name) return text;
  return text.replace(new RegExp(`(?<![\\w.-])${escape(id)}(?![\\w-])`, 'g'), () => name);
}

/** "Server firewall (server-edge)": for the command line, where the id is what a file says. */
export function nameWithId(id: string, name: string | undefined): string {
  return name && name !== id ? `${name} (${id})` : id;
}

/**
 * A refusal's reason for a line that already names the device before it: "Dropped by
 * server-edge, the FORWARD chain's policy" → "dropped by the FORWARD chain's policy", so the
 * verdict's "Where" says "Server firewall — dropped by …" once, not twice. Other text unchanged.
 */
export function reasonAfterName(text: string, id: string): string {
  const m = new RegExp(`^(Dropped|Rejected) by ${escape(id)}, `).exec(text);
  return m ? `${m[1]!.toLowerCase()} by ${text.slice(m[0].length)}` : text;
}
