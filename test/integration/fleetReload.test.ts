// FleetConnections against the two planes: every shown context gets a connection of its own; a
// reload of the kubeconfig keeps the connection (and its cache) of a context whose definition did
// not change, connects a changed one again and closes one no longer shown; a context whose user no
// file defines is kept as that problem, never connected.
import * as assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { FleetConnections } from '../../src/kube/fleetConnections';
import { loadKubeconfig, locateKubeconfig } from '../../src/kube/kubeconfigLoader';
import { eventually, fleetKubeconfigPath } from '../support/testPlane';

/** The fleet kubeconfig with some of its parts changed, as a reload after an edit would load it. */
function edited(kc: KubeConfig, change: { server?: Record<string, string>; user?: Record<string, string> }): KubeConfig {
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: kc.getClusters().map((c) => ({ ...c, server: change.server?.[c.name] ?? c.server })),
    users: kc.getUsers(),
    contexts: kc.getContexts().map((c) => ({ ...c, user: change.user?.[c.name] ?? c.user })),
    currentContext: kc.getCurrentContext(),
  });
  return copy;
}

describe('the fleet\'s connections across kubeconfig reloads', function () {
  this.timeout(60_000);
  const fleet = new FleetConnections({ poolSize: 4, fallbackNamespaces: () => [], onLog: () => undefined });
  const kc = (): KubeConfig => loadKubeconfig(locateKubeconfig(fleetKubeconfigPath())).kc;

  after(() => fleet.dispose());

  it('connects every shown context, each live on its own plane', async () => {
    const update = fleet.update(kc(), ['cmp-dev', 'cmp-dev-2']);
    assert.deepEqual(update, { kept: [], connected: ['cmp-dev', 'cmp-dev-2'], closed: [] });
    await eventually('both live', async () => (fleet.all().every((e) => e.connection?.status.kind === 'live') ? true : undefined));
    assert.deepEqual(fleet.all().map((e) => e.name), ['cmp-dev', 'cmp-dev-2']);
  });

  it('keeps an unchanged context\'s connection and cache, and connects a changed one again', async () => {
    const before = { one: fleet.get('cmp-dev'), two: fleet.get('cmp-dev-2') };
    assert.deepEqual(fleet.update(kc(), ['cmp-dev', 'cmp-dev-2']), { kept: ['cmp-dev', 'cmp-dev-2'], connected: [], closed: [] }, 'the same files: nothing reconnects');
    const moved = edited(kc(), { server: { 'cmp-dev-2': 'https://127.0.0.1:1' } });
    assert.deepEqual(fleet.update(moved, ['cmp-dev', 'cmp-dev-2']), { kept: ['cmp-dev'], connected: ['cmp-dev-2'], closed: ['cmp-dev-2'] });
    assert.equal(fleet.get('cmp-dev'), before.one, 'cmp-dev keeps its connection');
    assert.notEqual(fleet.get('cmp-dev-2'), before.two);
    assert.ok(before.two && !fleet.all().some((e) => e.connection === before.two), 'the old connection of cmp-dev-2 is gone');
    await eventually('the moved cmp-dev-2 to be unreachable', async () => (fleet.get('cmp-dev-2')?.status.kind === 'unreachable' ? true : undefined), 30_000);
    assert.equal(fleet.get('cmp-dev')?.status.kind, 'live');
  });

  it('shows a context whose server is no URL as that problem, and connects the others', () => {
    const broken = edited(kc(), { server: { 'cmp-dev-2': 'https://[::1' } });
    const update = fleet.update(broken, ['cmp-dev', 'cmp-dev-2']);
    assert.deepEqual(update.kept, ['cmp-dev']);
    assert.deepEqual(update.connected, []);
    const two = fleet.all().find((e) => e.name === 'cmp-dev-2');
    assert.equal(two?.connection, undefined);
    assert.match(two?.problem ?? '', /^Context cmp-dev-2 cannot be connected: /);
    assert.equal(fleet.get('cmp-dev')?.status.kind, 'live');
  });

  it('closes a context no longer shown, and keeps one it cannot connect as its problem', () => {
    const noUser = edited(kc(), { user: { 'cmp-dev-2': 'nobody' } });
    const update = fleet.update(noUser, ['cmp-dev', 'cmp-dev-2']);
    assert.deepEqual(update, { kept: ['cmp-dev'], connected: [], closed: [] }, 'cmp-dev-2 had no connection to close (its server was no URL)');
    assert.deepEqual(fleet.all().map((e) => [e.name, e.connection ? 'connected' : e.problem]), [
      ['cmp-dev', 'connected'],
      ['cmp-dev-2', 'Context cmp-dev-2 names user "nobody", which the kubeconfig does not define.'],
    ]);
    assert.deepEqual(fleet.update(kc(), ['cmp-dev']), { kept: ['cmp-dev'], connected: [], closed: [] });
    assert.deepEqual(fleet.all().map((e) => e.name), ['cmp-dev']);
  });
});
