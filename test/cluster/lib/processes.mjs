// @ts-check
// Background processes of the plane: each component runs detached in its own process group, logs to
// .cmp-dev/logs/<component>.log, and is stopped by signalling its whole group.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { state } from './paths.mjs';

/** @param {number} pid */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
  // A zombie answers signals but is gone; where PID 1 does not reap, it stays a zombie.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** @param {string} component */
function pidFile(component) {
  return join(state.pids, `${component}.pid`);
}

/** @param {string} component @returns {number | null} */
export function recordedPid(component) {
  const file = pidFile(component);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * Starts one component in the background; returns its pid (also its process group id).
 * @param {string} component @param {string} command @param {string[]} args
 */
export function startComponent(component, command, args) {
  mkdirSync(state.logs, { recursive: true });
  mkdirSync(state.pids, { recursive: true });
  const logPath = join(state.logs, `${component}.log`);
  const log = openSync(logPath, 'a');
  writeFileSync(logPath, `\n--- ${new Date().toISOString()} starting ${component}\n`, { flag: 'a' });
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], cwd: state.dir });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${component}`);
  child.unref();
  writeFileSync(pidFile(component), `${child.pid}\n`);
  return child.pid;
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Stops a component's whole process group: TERM, then KILL after a grace period.
 * @param {string} component @param {number} graceMs
 */
export async function stopComponent(component, graceMs = 10_000) {
  const pid = recordedPid(component);
  rmSync(pidFile(component), { force: true });
  if (pid === null) return false;
  if (!isAlive(pid)) {
    // The component exited, but processes it started may still be in its group.
    killLeftovers(pid);
    return false;
  }
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  killLeftovers(pid);
  return true;
}

/** Kills what is left of the group of an exited leader; never the bare pid, which may be reused. @param {number} pid */
function killLeftovers(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // no process of the group is left
  }
}

/** @param {number} pid @param {NodeJS.Signals} signal */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Last lines of a component's log, for error messages. @param {string} component */
export function logTail(component, lines = 3) {
  const path = join(state.logs, `${component}.log`);
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').trim().split('\n').slice(-lines).join(' | ').slice(0, 400);
}
