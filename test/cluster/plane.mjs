#!/usr/bin/env node
// @ts-check
// Entry point of the local control plane: npm run cluster:up | cluster:down | cluster:status |
// cluster:restart-apiserver. Errors print one line with the cause and one with the fix.
import { state } from './lib/paths.mjs';
import { PlaneError } from './lib/planeError.mjs';
import { down, restartApiserver, status, up } from './lib/plane.mjs';

const [verb, ...flags] = process.argv.slice(2);

async function main() {
  switch (verb) {
    case 'up': {
      const began = Date.now();
      const plane = await up({ withKubevirt: flags.includes('--with-kubevirt') });
      process.stderr.write(`local plane ${plane.version} ready at ${plane.server} (${((Date.now() - began) / 1000).toFixed(1)}s)\n`);
      process.stdout.write(`KUBECONFIG=${state.adminKubeconfig}\n`);
      return;
    }
    case 'down': {
      const stopped = await down();
      process.stdout.write(stopped.length ? `stopped ${stopped.join(', ')}; state wiped\n` : 'nothing was running; state wiped\n');
      return;
    }
    case 'status':
      process.stdout.write(`${(await status()).join('\n')}\n`);
      return;
    case 'restart-apiserver': {
      const began = Date.now();
      await restartApiserver();
      process.stdout.write(`apiserver restarted (${((Date.now() - began) / 1000).toFixed(1)}s)\n`);
      return;
    }
    default:
      throw new PlaneError(`unknown command ${JSON.stringify(verb ?? '')}`, 'use one of: up [--with-kubevirt], down, status, restart-apiserver');
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
