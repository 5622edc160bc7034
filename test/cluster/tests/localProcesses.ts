// Local processes and ports for tests that run plane.mjs in a throwaway state folder: free port
// bases, processes whose command line names that folder, and killing what a failed test left behind.
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { eventually } from '../../support/testPlane';

/** Listens on 127.0.0.1:port, or fails when the port is taken. */
export function listen(port: number): Promise<Server> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

export const close = (server: Server): Promise<void> => new Promise((done) => server.close(() => done()));

/** A port base whose ports are all free now, for `planes` planes (each uses base+0..base+9, the next 20 above). */
export async function freePortBase(planes = 1): Promise<number> {
  for (let base = 27440; base < 60_000; base += 20 * planes) {
    const held: Server[] = [];
    try {
      for (let plane = 0; plane < planes; plane++) {
        for (let port = base + 20 * plane; port <= base + 20 * plane + 9; port++) held.push(await listen(port));
      }
      return base;
    } catch {
      // taken: try the next base
    } finally {
      await Promise.all(held.map(close));
    }
  }
  throw new Error('no free port base between 27440 and 60000');
}

/** Live (non-zombie) processes whose command line mentions text. */
export function processesMentioning(text: string): { pid: number; cmdline: string }[] {
  const found: { pid: number; cmdline: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(text) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${entry}/stat`, 'utf8'))) found.push({ pid: Number(entry), cmdline });
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** The process group of /proc/<which>, or 0 when it is gone. */
function processGroup(which: string): number {
  try {
    const afterName = readFileSync(`/proc/${which}/stat`, 'utf8').split(') ').pop() ?? '';
    return Number(afterName.split(' ')[2]) || 0;
  } catch {
    return 0;
  }
}

/** Waits briefly for processes of a killed group to disappear, then insists none is left. */
export async function assertNoProcessFrom(dir: string, timeoutMs = 5_000): Promise<void> {
  await eventually(`no process mentioning ${dir}`, async () => {
    const left = processesMentioning(dir);
    if (left.length) throw new Error(`still running: ${left.map((p) => `${p.pid}: ${p.cmdline}`).join('; ')}`);
    return true;
  }, timeoutMs);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Kills what a failed test left running from dir: each process's whole group (the plane's components lead their own). */
export function killProcessesMentioning(dir: string): void {
  const ownGroup = processGroup('self');
  for (const { pid } of processesMentioning(dir)) {
    const group = processGroup(String(pid));
    try {
      process.kill(group && group !== ownGroup ? -group : pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
