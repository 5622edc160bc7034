// @ts-check
// Runs one long install or build step (a cold Go build, code-server's install) with its output in a
// log file, and says every 20 s that it is still going and what it is doing, so a first run is never silence.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';

export const heartbeatMs = 20_000;

/** @param {number} ms */
export function formatDuration(ms) {
  const total = Math.round(ms / 1000);
  const minutes = Math.floor(total / 60);
  return minutes ? `${minutes} min ${String(total % 60).padStart(2, '0')} s` : `${total} s`;
}

/**
 * What the log's new lines say about the step: how many lines matched `count`, and the last line.
 * @param {string} text @param {RegExp | undefined} count
 */
export function summariseLines(text, count) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return { counted: count ? lines.filter((l) => count.test(l)).length : 0, last: lines.at(-1) ?? '' };
}

/** Reads what was appended to `file` since `offset`. @param {string} file @param {number} offset */
function readFrom(file, offset) {
  const size = statSync(file).size;
  if (size <= offset) return { text: '', offset };
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(size - offset, 1 << 20));
    const read = readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    return { text: buffer.subarray(0, read).toString('utf8'), offset: size };
  } finally {
    closeSync(fd);
  }
}

/**
 * @typedef {object} LongStep
 * @property {string} title what is being done, e.g. "building cmpplane (kube-apiserver, etcd, …)"
 * @property {string} command
 * @property {string[]} args
 * @property {string} cwd
 * @property {NodeJS.ProcessEnv} env
 * @property {string} log the file that gets the command line and its output
 * @property {RegExp} [count] log lines to count as units of progress (compiled packages, say)
 * @property {string} [unit] what a counted line is, e.g. "packages compiled"
 * @property {(line: string) => void} [say] where progress lines go (default: stderr)
 */

/**
 * Runs the step to its end; resolves with its exit status (or the spawn error) and the time it took.
 * Interrupting the parent reaches the child too (same process group), so nothing outlives a Ctrl-C.
 * @param {LongStep} step
 * @returns {Promise<{ status: number | null, error?: Error, ms: number }>}
 */
export function runLongStep(step) {
  const say = step.say ?? ((line) => process.stderr.write(`${line}\n`));
  writeFileSync(step.log, `\n$ ${step.command} ${step.args.join(' ')}   (in ${step.cwd})\n`, { flag: 'a' });
  const started = Date.now();
  let offset = statSync(step.log).size;
  let counted = 0;
  const fd = openSync(step.log, 'a');
  const child = spawn(step.command, step.args, { cwd: step.cwd, env: step.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  // A parent that exits (stopped by a signal handler, say) takes the step with it.
  const stopChild = () => child.kill('SIGKILL');
  process.once('exit', stopChild);
  const timer = setInterval(() => {
    const fresh = readFrom(step.log, offset);
    offset = fresh.offset;
    const seen = summariseLines(fresh.text, step.count);
    counted += seen.counted;
    const progress = step.unit ? `, ${counted} ${step.unit}` : '';
    const doing = seen.last ? `; now: ${seen.last.slice(0, 120)}` : '';
    say(`  … ${step.title}: ${formatDuration(Date.now() - started)}${progress}${doing}`);
  }, heartbeatMs);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      clearInterval(timer);
      process.off('exit', stopChild);
      resolve({ status: null, error, ms: Date.now() - started });
    });
    child.once('close', (status) => {
      clearInterval(timer);
      process.off('exit', stopChild);
      resolve({ status, ms: Date.now() - started });
    });
  });
}
