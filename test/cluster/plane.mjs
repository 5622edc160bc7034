#!/usr/bin/env node
// @ts-check
// Entry point of the local control plane: npm run cluster:up [-- --contexts N] | cluster:down |
// cluster:status | cluster:restart-apiserver (stop-apiserver and start-apiserver for fault tests). With --contexts N, N independent planes run and one
// kubeconfig names them all (lib/fleet.mjs). Errors print one line with the cause and one with the fix.
import { state } from './lib/paths.mjs';
import { PlaneError } from './lib/planeError.mjs';
import { contextsFlag, downExtras, statusExtras, upExtras } from './lib/fleet.mjs';
import { down, restartApiserver, startApiserver, status, stopApiserver, up } from './lib/plane.mjs';

const [verb, ...flags] = process.argv.slice(2);

/** How long a step took, as "3.7". @param {() => Promise<unknown>} step */
async function secondsOf(step) {
  const began = Date.now();
  await step();
  return ((Date.now() - began) / 1000).toFixed(1);
}

async function main() {
  switch (verb) {
    case 'up': {
      const began = Date.now();
      const contexts = contextsFlag(flags);
      const plane = await up({ withKubevirt: flags.includes('--with-kubevirt') });
      process.stderr.write(`local plane ${plane.version} ready at ${plane.server} (${((Date.now() - began) / 1000).toFixed(1)}s)\n`);
      if (contexts === 1) {
        process.stdout.write(`KUBECONFIG=${state.adminKubeconfig}\n`);
        return;
      }
      const fleet = await upExtras(contexts);
      process.stderr.write(`${contexts} planes ready (${((Date.now() - began) / 1000).toFixed(1)}s); one kubeconfig with a context for each:\n`);
      process.stdout.write(`KUBECONFIG=${fleet}\n`);
      return;
    }
    case 'down': {
      for (const line of await downExtras()) process.stdout.write(`${line}\n`);
      const stopped = await down();
      process.stdout.write(stopped.length ? `stopped ${stopped.join(', ')}; state wiped\n` : 'nothing was running; state wiped\n');
      return;
    }
    case 'status':
      process.stdout.write(`${[...(await status()), ...(await statusExtras())].join('\n')}\n`);
      return;
    case 'restart-apiserver':
      process.stdout.write(`apiserver restarted (${await secondsOf(restartApiserver)}s)\n`);
      return;
    case 'stop-apiserver':
      await stopApiserver();
      process.stdout.write('apiserver stopped (etcd and the rest keep running; start-apiserver brings it back)\n');
      return;
    case 'start-apiserver':
      process.stdout.write(`apiserver ready (${await secondsOf(startApiserver)}s)\n`);
      return;
    default:
      throw new PlaneError(`unknown command ${JSON.stringify(verb ?? '')}`, 'use one of: up [--with-kubevirt] [--contexts N], down, status, restart-apiserver, stop-apiserver, start-apiserver');
  }
}

main().catch((error) => {
  const label = verb ? `cluster ${verb}` : 'cluster';
  if (error instanceof PlaneError) {
    process.stderr.write(`${label}: ${error.message}\n`);
  } else {
    process.stderr.write(`${label}: ${error instanceof Error ? error.message : String(error)}\n  fix: read the logs in ${state.logs}\n`);
  }
  process.exit(1);
});
