// @ts-check
// Finds the processes a run left behind: every process started by the run inherits one marker
// variable (CMP_RUN_MARKER=<id>), detached ones too, so /proc shows what is still running of it.
// As a command (`node test/support/leftovers.mjs <id>`): names them, stops them, exits 1 if any.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const markerName = 'CMP_RUN_MARKER';

/** @typedef {{ pid: number, command: string }} Leftover */

/** Processes other than this one whose environment holds CMP_RUN_MARKER=<id>. @param {string} id @returns {Leftover[]} */
export function processesMarked(id) {
  const wanted = `${markerName}=${id}`;
  /** @type {Leftover[]} */
  const found = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (/^\d+ \(.*\) Z/.test(stat)) continue; // a zombie has ended; only its parent's wait is missing
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(wanted)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      found.push({ pid, command: command.slice(0, 160) });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** @param {number} ms */
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Stops what is left of run `id` (TERM, then KILL after graceMs) and returns what was found.
 * @param {string} id @param {number} [graceMs]
 */
export async function stopLeftovers(id, graceMs = 5000) {
  const found = processesMarked(id);
  /** @param {NodeJS.Signals} signal */
  const signalAll = (signal) => {
    for (const { pid } of processesMarked(id)) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  };
  signalAll('SIGTERM');
  for (let waited = 0; waited < graceMs && processesMarked(id).length; waited += 100) await sleep(100);
  signalAll('SIGKILL');
  return found;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const id = process.argv[2];
  if (!id) {
    process.stderr.write('usage: node test/support/leftovers.mjs <run id>\n');
    process.exit(2);
  }
  const found = await stopLeftovers(id);
  for (const { pid, command } of found) process.stderr.write(`left running by this run, now stopped: pid ${pid}: ${command}\n`);
  process.exit(found.length ? 1 : 0);
}
