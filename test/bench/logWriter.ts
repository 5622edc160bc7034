// Child process of P6: appends container log lines in CRI format (as kwok serves them) to a file at a
// steady rate for a while, then prints {"written":…,"seconds":…}. Runs apart so its CPU is not ours.
import { closeSync, openSync, writeSync } from 'node:fs';

const [file, rateText, secondsText] = process.argv.slice(2);
if (!file || !rateText || !secondsText) throw new Error('usage: logWriter <file> <lines per second> <seconds>');
const rate = Number(rateText);
const seconds = Number(secondsText);
const fd = openSync(file, 'a');
const padding = 'x'.repeat(40);
const start = performance.now();
let written = 0;

function tick(): void {
  const elapsed = performance.now() - start;
  const due = Math.min(Math.floor((elapsed / 1000) * rate), Math.floor(rate * seconds));
  if (due > written) {
    // Like a container runtime, every line gets its own nanosecond timestamp.
    const second = new Date().toISOString().slice(0, 19);
    const nanos = (Date.now() % 1000) * 1e6;
    let chunk = '';
    for (let i = written; i < due; i++) chunk += `${second}.${String(nanos + (i - written)).padStart(9, '0')}Z stdout F line ${i} ${padding}\n`;
    writeSync(fd, chunk);
    written = due;
  }
  if (elapsed < seconds * 1000) {
    setTimeout(tick, 2);
    return;
  }
  closeSync(fd);
  process.stdout.write(`${JSON.stringify({ written, seconds: (performance.now() - start) / 1000 })}\n`);
}

tick();
