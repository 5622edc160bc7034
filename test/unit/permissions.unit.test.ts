// Reading RBAC rules locally (verbs, groups, resources, subresources and names, with wildcards),
// each action's answer from its checks, the tooltip summary, the Show My Permissions rows and the
// contextValue tokens the menus test.
import * as assert from 'node:assert/strict';
import { actionAlternatives, actionPermissions, clusterActionChecks, clusterActions, deniedSummary, describeCheck, permissionRows, rulesAllow, type ResourceRule } from '../../src/core/permissions';
import { withActions } from '../../src/vscode/tree/treeNodes';

const podsCreate = { verb: 'create', resource: 'pods', namespace: 'a-ns' };
const exec = { verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'a-ns' };

describe('rulesAllow', () => {
  it('matches verbs, the core group and resources, with "*" for each', () => {
    assert.equal(rulesAllow([{ verbs: ['create'], apiGroups: [''], resources: ['pods'] }], podsCreate), true);
    assert.equal(rulesAllow([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], podsCreate), true);
    assert.equal(rulesAllow([{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }], podsCreate), false);
    assert.equal(rulesAllow([{ verbs: ['create'], apiGroups: ['apps'], resources: ['pods'] }], podsCreate), false, 'another group');
    assert.equal(rulesAllow([{ verbs: ['create'], apiGroups: ['events.k8s.io'], resources: ['events'] }], { verb: 'create', resource: 'events', group: 'events.k8s.io' }), true);
    assert.equal(rulesAllow([], podsCreate), false);
  });

  it('keeps subresources apart from their resource, except for "*" and "*/exec" (RBAC has no "pods/*")', () => {
    assert.equal(rulesAllow([{ verbs: ['create'], apiGroups: [''], resources: ['pods'] }], exec), false);
    assert.equal(rulesAllow([{ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }], exec), true);
    assert.equal(rulesAllow([{ verbs: ['create'], apiGroups: [''], resources: ['pods/*'] }], exec), false);
    assert.equal(rulesAllow([{ verbs: ['create'], apiGroups: [''], resources: ['*/exec'] }], exec), true);
    assert.equal(rulesAllow([{ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }], podsCreate), false);
  });

  it('honours resourceNames: only the named objects, never a check without a name', () => {
    const rule: ResourceRule = { verbs: ['delete'], apiGroups: [''], resources: ['namespaces'], resourceNames: ['a-ns'] };
    assert.equal(rulesAllow([rule], { verb: 'delete', resource: 'namespaces', namespace: 'a-ns', name: 'a-ns' }), true);
    assert.equal(rulesAllow([rule], { verb: 'delete', resource: 'namespaces', namespace: 'b-ns', name: 'b-ns' }), false);
    assert.equal(rulesAllow([rule], { verb: 'delete', resource: 'namespaces' }), false);
  });
});

describe('actions and their answers', () => {
  const checks = clusterActionChecks('a-ns');
  const editRole: ResourceRule[] = [
    { verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], apiGroups: [''], resources: ['pods', 'pods/exec', 'pods/portforward', 'pods/log', 'resourcequotas', 'limitranges'] },
    { verbs: ['get', 'list', 'watch'], apiGroups: ['events.k8s.io'], resources: ['events'] },
    { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['namespaces'] },
  ];

  it('allows an action only when every check it needs is allowed, and names what is missing', () => {
    const permissions = actionPermissions(checks, (c) => rulesAllow(editRole, c));
    assert.deepEqual(permissions.map((p) => p.action), [...clusterActions]);
    assert.deepEqual(permissions.filter((p) => !p.allowed).map((p) => p.action), ['edit', 'delete']);
    assert.equal(deniedSummary(permissions), 'Edit (labels, sizes, guard rails) (needs patch namespace a-ns); Delete cluster (needs delete namespace a-ns)');
    assert.equal(deniedSummary(actionPermissions(checks, () => true)), undefined);
  });

  it('lists every check with its answer for Show My Permissions', () => {
    const rows = permissionRows(actionPermissions(checks, (c) => c.verb !== 'delete'));
    const scale = rows.find((r) => r.action === 'Scale');
    assert.deepEqual(scale, { action: 'Scale', allowed: false, checks: '✓ get namespace a-ns · ✓ get resourcequotas in namespace a-ns · ✓ list pods in namespace a-ns · ✓ create pods in namespace a-ns · ✗ delete pods in namespace a-ns' });
    assert.equal(describeCheck(exec), 'create pods/exec in namespace a-ns');
  });

  it('puts the allowed actions into the contextValue, and all of them while unknown', () => {
    const permissions = actionPermissions(checks, (c) => rulesAllow(editRole, c));
    const value = withActions('cmpCluster', permissions);
    assert.match(value, /^cmpCluster;(.*;)?scale(;|$)/);
    assert.doesNotMatch(value, /^cmpCluster;(.*;)?delete(;|$)/, 'the menu regex for Delete does not match');
    assert.match(value, /^cmpCluster;(.*;)?deleteInstance(;|$)/, 'deleteInstance is its own token, not a match for delete');
    assert.match(value, /;scaleInline(;|$)/, 'who may scale but not edit gets the Scale box inline');
    assert.equal(withActions('cmpInstance', undefined), `cmpInstance;${clusterActions.join(';')}`);
    assert.doesNotMatch(withActions('cmpCluster', actionPermissions(checks, () => true)), /scaleInline/, 'who may edit gets the edit form inline');
  });

  it('allows Events with core/v1 events when events.k8s.io is not granted (the pane falls back to them), but only a whole set', () => {
    const alternatives = actionAlternatives('a-ns');
    const events = (rules: ResourceRule[]) => actionPermissions(checks, (c) => rulesAllow(rules, c), alternatives).find((p) => p.action === 'events');
    const coreOnly = events([{ verbs: ['list', 'watch'], apiGroups: [''], resources: ['events'] }]);
    assert.equal(coreOnly?.allowed, true);
    assert.deepEqual(coreOnly?.checks.map((c) => describeCheck(c.check)), ['list events in namespace a-ns', 'watch events in namespace a-ns'], 'the set that is granted');
    const mixed = events([{ verbs: ['list'], apiGroups: ['events.k8s.io'], resources: ['events'] }, { verbs: ['watch'], apiGroups: [''], resources: ['events'] }]);
    assert.equal(mixed?.allowed, false, 'list in one API and watch in the other serves neither');
    assert.deepEqual(mixed?.missing.map(describeCheck), ['watch events.events.k8s.io in namespace a-ns']);
    assert.equal(events([])?.allowed, false);
  });

  it('asks a VM cluster about VirtualMachines and its console, not pods and exec', () => {
    const vm = clusterActionChecks('v-ns', 'vm');
    assert.deepEqual(vm.scale.map(describeCheck), ['get namespace v-ns', 'get resourcequotas in namespace v-ns', 'list virtualmachines.kubevirt.io in namespace v-ns', 'create virtualmachines.kubevirt.io in namespace v-ns', 'delete virtualmachines.kubevirt.io in namespace v-ns']);
    assert.deepEqual(vm.terminal.map(describeCheck), ['get virtualmachineinstances.subresources.kubevirt.io/console in namespace v-ns']);
    assert.deepEqual(vm.deleteInstance.map(describeCheck), ['delete virtualmachines.kubevirt.io in namespace v-ns']);
  });
});
