// @ts-check
// What an instance "serves" on port 8080 in the local plane: kwok forwards every pod's port 8080 here
// (bootstrap.mjs), so a port forward fetches a real answer. GET /bytes/N answers N bytes (for
// throughput measures); POST echoes the body; anything else says hello with the path.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const chunk = Buffer.alloc(64 * 1024, 'cmp-dev ');

const server = createServer((req, res) => {
  const bytes = /^\/bytes\/(\d{1,10})$/.exec(req.url ?? '');
  if (bytes) {
    let left = Number(bytes[1]);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(left) });
    const more = () => {
      while (left > 0) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!res.write(piece)) return void res.once('drain', more);
      }
      res.end();
    };
    more();
    return;
  }
  if (req.method === 'POST') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    req.pipe(res);
    return;
  }
  const hello = Buffer.from(`hello from a cmp-dev instance: ${req.method} ${req.url}\n`);
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(hello.length) });
  res.end(hello);
});
server.listen(port, '127.0.0.1');
