// Replace Instances from the edit form: the instances off the stored spec, named one by one in a
// modal confirmation with how many keep running, then made again `atOnce` at a time under a
// cancellable progress notification (kube/instanceReplacer.ts does the converging work).
import * as vscode from 'vscode';
import { offSpecInstances } from '../../core/clusterEdit';
import { parseCount } from '../../core/validation';
import type { LiveClusterRead } from '../../kube/clusterEditor';
import type { ReviewTarget } from '../../kube/editReview';
import { replaceInstances } from '../../kube/instanceReplacer';
import type { Logger } from '../logger';
import type { Prompts } from '../prompts';
import { readSettings } from '../settings';

/** What the form is told: a refusal of the input, or what happened (`changed` when instances were made again). */
export interface ReplaceOutcome {
  message: string;
  refused?: boolean;
  changed?: boolean;
}

export async function replaceOffSpec(services: { logger: Logger; prompts: Prompts }, target: ReviewTarget, live: LiveClusterRead, atOnceText: string, onStart: () => void): Promise<ReplaceOutcome> {
  const off = offSpecInstances(live);
  const count = live.instances.length;
  const atOnce = parseCount(atOnceText.trim(), Math.max(1, count), 1);
  if (atOnce.value === undefined) return { refused: true, message: `How many at once: ${atOnce.error ?? 'a whole number from 1'}` };
  if (off.length === 0) return { message: 'Every instance is on the stored spec already: nothing to replace.' };
  const batch = atOnce.value;
  const agreed = await services.prompts.confirm(
    `Replace ${off.length} instance${off.length === 1 ? '' : 's'} of ${target.cluster}?`,
    `${off.map((o) => `${o.name} (${o.differs})`).join(', ')} in namespace ${target.namespace} (context ${target.contextName}) are deleted and made again with image ${live.spec.image}, ${live.spec.cpu} CPU, ${live.spec.memoryGiB} GiB, ${batch} at a time: at least ${Math.max(0, count - batch)} of ${count} keep running.`,
    'Replace Instances',
  );
  if (!agreed) return { message: 'Replace cancelled: nothing was changed.' };
  onStart();
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Replacing instances of ${target.cluster}`, cancellable: true }, (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return replaceInstances(target.client, target.namespace, {
      atOnce: batch, concurrency: readSettings().writeConcurrency, expectedUid: target.uid, signal: abort.signal, onLog: (m) => services.logger.warn(m),
      onProgress: (done, total, current) => progress.report({ message: current.length ? `${done}/${total} · now ${current.join(', ')}` : `${done}/${total}` }),
    });
  });
  const still = result.stillOff.length ? ` Still off the spec after being made again (admission changed them?): ${result.stillOff.join(', ')}.` : '';
  const message = `Replaced ${result.replaced.length} instance${result.replaced.length === 1 ? '' : 's'} of ${target.cluster}.${still}`;
  services.logger.info(message);
  return { message, changed: true };
}
