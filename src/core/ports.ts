// Ports as the user types them for a port forward, and how a forward is named on screen. The remote
// port must be 1-65535; the local one may be left empty for a free port chosen by the system.

export const maxPort = 65_535;

/** A port from the user's text: the number, or a sentence saying what is wrong with it. */
export function parsePort(text: string, which: 'remote' | 'local'): { value?: number; error?: string } {
  const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text;
  if (text.trim() === '') return which === 'local' ? { value: 0 } : { error: 'Enter the port on the instance (1-65535).' };
  if (text.trim() !== text) return { error: `Type the port without spaces around it: ${text.trim().slice(0, 20)}.` };
  if (!/^[0-9]+$/.test(text)) return { error: `"${shown}" is not a port: type a whole number from 1 to ${maxPort}.` };
  if (text.length > 1 && text.startsWith('0')) return { error: `Type the port without leading zeros: ${text.replace(/^0+(?=\d)/, '').slice(0, 20)}.` };
  const value = Number(text);
  if (value < 1 || value > maxPort) {
    return { error: `Port ${shown} is out of range: ports go from 1 to ${maxPort}${which === 'local' ? ' (leave it empty for a free one)' : ''}.` };
  }
  return { value };
}

export interface ForwardName {
  localPort: number;
  cluster: string;
  instance: string;
  remotePort: number;
}

/** `localhost:8080 → my-app/instance-0:80`, as the list and the status bar show it. */
export function forwardLabel(forward: ForwardName): string {
  return `localhost:${forward.localPort} → ${forward.cluster}/${forward.instance}:${forward.remotePort}`;
}

/**
 * The address a browser opens: the IPv4 loopback the forward listens on ("localhost" may resolve to
 * ::1 first, where another program may listen); ports of TLS services (443, 8443) get https.
 */
export function forwardUrl(forward: Pick<ForwardName, 'localPort' | 'remotePort'>): string {
  const tls = forward.remotePort === 443 || forward.remotePort === 8443;
  return `${tls ? 'https' : 'http'}://127.0.0.1:${forward.localPort}/`;
}
