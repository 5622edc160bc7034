// Editing the kubeconfig file the extension uses, in the extension host against the local plane: a
// change that leaves the active context's definition alone (another context added, say, as cloud
// CLIs do) keeps its connection, cache and tree nodes; a change of the active context's cluster
// connects again.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { KubeConfig } from '@kubernetes/client-node';
import type { CmpExtensionApi } from '../../src/extension';
import { adminKubeconfigPath, eventually } from '../support/testPlane';
import { connectedExtension } from './extensionHarness';

/** The admin kubeconfig with extra contexts (each on a dead address) and, optionally, the active cluster moved. */
function kubeconfigText(extraContexts: string[], activeServer?: string): string {
  const kc = new KubeConfig();
  kc.loadFromFile(adminKubeconfigPath());
  kc.loadFromOptions({
    clusters: [...kc.getClusters().map((c) => ({ ...c, server: activeServer ?? c.server })), ...extraContexts.map((name) => ({ name, server: 'https://127.0.0.1:1', skipTLSVerify: false }))],
    users: kc.getUsers(),
    contexts: [...kc.getContexts(), ...extraContexts.map((name) => ({ name, cluster: name, user: kc.getUsers()[0]?.name ?? '' }))],
    currentContext: kc.getCurrentContext(),
  });
  return kc.exportConfig();
}

describe('kubeconfig edits in the extension host', () => {
  let api: CmpExtensionApi;
  const dir = mkdtempSync(join(tmpdir(), 'cmp-kubeconfig-edits-'));
  const file = join(dir, 'config');
  const connected = () => {
    const state = api.services.session.state;
    assert.equal(state.kind, 'connected');
    return state as Extract<typeof state, { kind: 'connected' }>;
  };

  before(async () => {
    writeFileSync(file, kubeconfigText([]));
    api = await connectedExtension(file);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('cmp').update('kubeconfig', adminKubeconfigPath(), vscode.ConfigurationTarget.Global);
    await connectedExtension();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the connection when another context is added, and connects again when the active cluster moves', async () => {
    const before = connected();
    writeFileSync(file, kubeconfigText(['staging']));
    await eventually('the kubeconfig to be read again', async () => (api.services.session.contexts().some((c) => c.name === 'staging') ? true : undefined), 15_000);
    assert.equal(connected().id, before.id, 'the same connection');
    assert.equal(connected().cache, before.cache, 'the same cache: the tree is not emptied and made again');

    writeFileSync(file, kubeconfigText(['staging'], 'https://127.0.0.1:1'));
    await eventually('a new connection to the moved cluster', async () => {
      const state = api.services.session.state;
      return state.kind === 'connected' && state.id !== before.id && state.server === 'https://127.0.0.1:1' ? true : undefined;
    }, 15_000);
  });
});
