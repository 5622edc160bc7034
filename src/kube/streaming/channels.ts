// The Kubernetes channel protocol over WebSocket (v5.channel.k8s.io for exec, v4 for port forward):
// every binary message starts with one byte naming its channel. Exec: 0 stdin, 1 stdout, 2 stderr,
// 3 the final Status, 4 resize; v5 adds 255, "close this channel" (stdin's end, like Ctrl-D on a
// pipe). Pure functions: framing and reading the final Status.

export const execChannel = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

export const execProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
export const portForwardProtocols = ['v4.channel.k8s.io'];

export function frame(channel: number, data: Buffer | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const out = Buffer.allocUnsafe(payload.length + 1);
  out[0] = channel;
  payload.copy(out, 1);
  return out;
}

/** A message as its channel and payload; undefined for an empty message (no channel byte). */
export function unframe(message: Buffer): { channel: number; data: Buffer } | undefined {
  const channel = message[0];
  return channel === undefined ? undefined : { channel, data: message.subarray(1) };
}

export function resizeFrame(columns: number, rows: number): Buffer {
  return frame(execChannel.resize, JSON.stringify({ Width: Math.max(1, Math.floor(columns)), Height: Math.max(1, Math.floor(rows)) }));
}

/** How a remote command ended, from the Status on channel 3. */
export type ExecOutcome = { kind: 'exited'; code: number } | { kind: 'failed'; message: string; notFound: boolean };

interface StatusMessage {
  status?: string;
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

export function execOutcome(statusText: string): ExecOutcome {
  let status: StatusMessage;
  try {
    status = JSON.parse(statusText) as StatusMessage;
  } catch {
    return { kind: 'failed', message: statusText.trim().slice(0, 500) || 'the command failed', notFound: false };
  }
  if (status.status === 'Success') return { kind: 'exited', code: 0 };
  const exitCause = status.details?.causes?.find((cause) => cause.reason === 'ExitCode');
  if (status.reason === 'NonZeroExitCode' && exitCause?.message !== undefined && /^\d+$/.test(exitCause.message)) {
    return { kind: 'exited', code: Number(exitCause.message) };
  }
  const message = (status.message ?? 'the command failed').trim();
  // Runtimes that report an exit as an error (kwok among them) end the message so.
  const exitStatus = /\bexit status (\d{1,3})$/.exec(message);
  if (exitStatus) return { kind: 'exited', code: Number(exitStatus[1]) };
  return { kind: 'failed', message: message.slice(0, 500), notFound: /executable file not found|no such file or directory|not found in \$PATH/i.test(message) };
}
