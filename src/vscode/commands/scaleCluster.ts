// "Scale CMP Cluster": a validated input box with the current and desired counts, then a scale that
// converges to exactly that many instances through the one scale path (scaleFlow.ts: progress,
// cancel, and the offer to raise the quota when the count does not fit).
import * as vscode from 'vscode';
import { parseCount } from '../../core/validation';
import { describeError } from '../../kube/apiError';
import { readSettings } from '../settings';
import type { TreeNode } from '../tree/treeNodes';
import { pickCluster, stillConnected } from './pickCluster';
import { scaleNotes, scaleToCount } from './scaleFlow';
import type { Services } from './services';

export async function scaleClusterCommand(services: Services, node?: TreeNode): Promise<void> {
  const picked = await pickCluster(services, node, 'scale');
  if (!picked) return;
  const { view, at: state } = picked;
  const settings = readSettings();
  const current = view.instances.filter((i) => i.phase !== 'Terminating').length;
  const sizes = view.spec ? ` of ${view.spec.cpu} CPU · ${view.spec.memoryGiB} GiB${view.specDerived ? ' (sizes derived from an instance)' : ''}` : '';
  const check = (text: string) => parseCount(text, settings.maxInstances, 0).error;
  const answer = await services.prompts.inputBox({
    title: `Scale ${view.name} (context ${state.contextName})`,
    prompt: `Now ${current} instance${current === 1 ? '' : 's'}${sizes}. How many should ${view.name} have?`,
    value: String(current),
    validateInput: check,
  });
  // The box validates as the user types; the answer is checked again, whoever gave it.
  if (answer === undefined || check(answer) !== undefined || !stillConnected(services, state)) return;
  const desired = Number(answer);
  const target = { client: state.client, contextName: state.contextName, cluster: view.name, namespace: view.namespace, uid: view.uid, desired };
  try {
    const result = await scaleToCount(services, target);
    if (!result) return;
    const notes = scaleNotes(result);
    services.logger.info(`scaled ${view.name} from ${result.from} to ${result.to}: +${result.created.length} -${result.deleted.length}${notes}`);
    if (notes) void vscode.window.showInformationMessage(`Scaled ${view.name} to ${result.to}.${notes}`);
  } catch (error) {
    services.logger.showError(`Scaling ${view.name} failed: ${describeError(error)}`, error);
  }
}

