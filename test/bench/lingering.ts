// After the bench has written its results nothing of it may still run: every session, forward,
// child process and timer a measure opened must have ended with it. If the process is still alive
// some seconds later, this names what holds it open and exits non-zero, so a leak fails the run at
// once (instead of hanging it until a timeout kills it) and says where to look.

interface HandleLike {
  constructor?: { name?: string };
  remoteAddress?: string;
  remotePort?: number;
  localPort?: number;
  pid?: number;
  spawnfile?: string;
  _idleTimeout?: number;
  _onTimeout?: { name?: string };
}

function describe(handle: HandleLike): string {
  const kind = handle.constructor?.name ?? 'handle';
  if (handle.remotePort !== undefined) return `${kind} 127.0.0.1:${handle.localPort} → ${handle.remoteAddress}:${handle.remotePort}`;
  if (handle.localPort !== undefined) return `${kind} listening or bound on :${handle.localPort}`;
  if (handle.pid !== undefined) return `${kind} pid ${handle.pid} (${handle.spawnfile ?? '?'})`;
  if (handle._idleTimeout !== undefined) return `${kind} of ${handle._idleTimeout} ms (${handle._onTimeout?.name || 'anonymous'})`;
  return kind;
}

/** Arms the check: an unreferenced timer, which only fires while something else keeps the process alive. */
export function failIfLingering(log: (message: string) => void, graceMs = 10_000): void {
  setTimeout(() => {
    const handles = (process as unknown as { _getActiveHandles(): HandleLike[] })._getActiveHandles();
    const named = handles.filter((h) => h !== process.stdout && h !== process.stderr && h !== process.stdin).map(describe);
    log(`bench: still running ${graceMs / 1000} s after writing its results; open: ${named.join('; ') || process.getActiveResourcesInfo().join(', ')}`);
    process.exit(1);
  }, graceMs).unref();
}
