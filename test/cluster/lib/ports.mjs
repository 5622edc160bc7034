// @ts-check
// Loopback ports of the plane, from one base (CMP_PLANE_PORT_BASE) so two checkouts can run side by side.
import { createServer } from 'node:net';
import { PlaneError } from './planeError.mjs';

/** @typedef {{ etcd: number, etcdPeer: number, apiserver: number, controllerManager: number, scheduler: number, kwok: number, instanceWeb: number }} Ports */

/** @returns {Ports} */
export function portsFromBase(base = Number(process.env.CMP_PLANE_PORT_BASE || 16440)) {
  if (!Number.isInteger(base) || base < 1024 || base > 65000) {
    throw new PlaneError(`CMP_PLANE_PORT_BASE=${process.env.CMP_PLANE_PORT_BASE} is not a port between 1024 and 65000`, 'unset it, or set a number like 16440');
  }
  return { etcd: base, etcdPeer: base + 1, apiserver: base + 3, controllerManager: base + 5, scheduler: base + 6, kwok: base + 8, instanceWeb: base + 9 };
}

/** @param {number} port */
function isFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Refuses to start when another process holds one of our ports. @param {Ports} ports */
export async function checkPortsFree(ports) {
  for (const [component, port] of Object.entries(ports)) {
    if (!(await isFree(port))) {
      throw new PlaneError(
        `port ${port} (${component}) on 127.0.0.1 is already in use by another process`,
        `stop that process (ss -ltnp 'sport = :${port}' shows it) or use other ports: CMP_PLANE_PORT_BASE=26440 npm run cluster:up`,
      );
    }
  }
}
