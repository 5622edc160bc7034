// Bad input, through the real extension: the extension's kubeconfig points at the fault proxy, so
// every request it makes is seen there. Each case (a form field, a scale count, a stored spec, a
// setting, a malformed webview message) must be refused with its own specific message, and the
// proxy must count zero writes for it. The cases and their messages are one table per kind.
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { CmpExtensionApi } from '../../../src/extension';
import { specAnnotation } from '../../../src/core/names';
import type { ClusterFormInput } from '../../../src/core/validation';
import type { HostMessage } from '../../../src/protocol/clusterForm';
import { readSettings } from '../../../src/vscode/settings';
import { answerPrompts, connectedExtension } from '../../suite/extensionHarness';
import { adminKubeconfigPath, eventually, kubectl, uniqueName } from '../../support/testPlane';
import { recordFigure } from '../figures';
import { startProxied, type Proxied } from '../proxied';

const goodInput: ClusterFormInput = {
  name: 'bad-input-ok', instanceType: 'container', image: 'nginx:1.27', cpu: '0.5', memoryGiB: '1', count: '2',
  resourceQuota: true, quotaCpu: '1', quotaMemoryGiB: '2', limitRange: true, networkPolicy: true, serviceAccount: true, labels: '',
};

type Field = keyof ClusterFormInput;
const long = (n: number, c = 'x') => c.repeat(n);
const backtracking = `a/a${'-a'.repeat(22)}!`;

/** [field, typed value, the message it must get]: refused by the host's validation. */
const formCases: [Field, string, RegExp][] = [
  ['name', '', /^Enter a cluster name\.$/],
  ['name', 'My-App', /^Use lowercase letters only \("my-app"\)\.$/],
  ['name', '-app', /^Start with a lowercase letter or digit, not "-"\.$/],
  ['name', 'app-', /^End with a lowercase letter or digit, not "-"\.$/],
  ['name', 'app_1', /remove "_"\.$/],
  ['name', 'app.1', /remove "\."\.$/],
  ['name', 'ünï', /remove "ü", "ï"\.$/],
  ['name', '\u202eevil', /remove U\+202E\.$/],
  ['name', 'a\u200bb', /remove U\+200B\.$/],
  ['name', ' app', /^Spaces are not allowed/],
  ['name', 'app\n', /^Spaces are not allowed/],
  ['name', 'kube-system', /reserved for Kubernetes system namespaces/],
  ['name', '<script>', /remove "<", ">"\.$/],
  ['name', long(61, 'a'), /^At most 60 characters.*this has 61\.$/],
  ['name', long(10_000, 'a'), /^At most 60 characters.*this has 10000\.$/],
  ['instanceType', 'lxc', /^Choose container or vm\.$/],
  ['instanceType', '', /^Choose container or vm\.$/],
  ['image', '', /^Enter a container image/],
  ['image', 'nginx latest', /^An image reference has no spaces\.$/],
  ['image', 'NGINX', /"NGINX" is not an image reference/],
  ['image', backtracking, /is not an image reference/],
  ['image', 'nginx:-bad', /^The tag "-bad" may use/],
  ['image', 'nginx@sha256:abc', /^The digest after "@" must be sha256:/],
  ['image', `nginx:${long(200, 't')}`, /^The tag "t{80}…" may use/],
  ['image', '/nginx', /"\/nginx" is not an image reference/],
  ['image', 'nginx//x', /"nginx\/\/x" is not an image reference/],
  ['image', long(4097, 'a'), /^The image reference is 4097 characters; at most 4096\.$/],
  ['image', long(10_000, 'a'), /^The image reference is 10000 characters; at most 4096\.$/],
  ['cpu', '', /^Enter the CPU per instance\.$/],
  ['cpu', '0', /^CPU per instance must be more than 0\.$/],
  ['cpu', '-1', /^CPU per instance must be more than 0\.$/],
  ['cpu', 'abc', /^CPU per instance must be a number of cores/],
  ['cpu', '1e3', /^CPU per instance must be a number of cores/],
  ['cpu', 'NaN', /^CPU per instance must be a number of cores/],
  ['cpu', 'Infinity', /^CPU per instance must be a number of cores/],
  ['cpu', '1,5', /^CPU per instance must be a number of cores/],
  ['cpu', '٣', /^CPU per instance must be a number of cores/],
  ['cpu', '0.0001', /^CPU per instance must be at least 0\.001 cores\.$/],
  ['cpu', '129', /^CPU per instance must be at most 128 cores\.$/],
  ['cpu', long(10_000, '9'), /^CPU per instance must be at most 128 cores\.$/],
  ['memoryGiB', '', /^Enter the memory per instance\.$/],
  ['memoryGiB', '0', /^Memory per instance must be more than 0\.$/],
  ['memoryGiB', '0.1', /^Memory per instance must be at least 0\.125 GiB\.$/],
  ['memoryGiB', '2000', /^Memory per instance must be at most 1024 GiB\.$/],
  ['memoryGiB', '1.0001', /^Memory per instance must be a whole number of MiB/],
  ['memoryGiB', 'lots', /^Memory per instance must be a number of GiB/],
  ['count', '1e309', /^The instance count must be a whole number like 3, not the exponent form 1e309\.$/],
  ['count', '٣', /^Type the count with the digits 0-9\.$/],
  ['count', ' 5 ', /^Type the count without spaces around it: 5\.$/],
  ['count', '+5', /^Type the count without a sign: 5\.$/],
  ['count', '00', /^Type the count without leading zeros: 0\.$/],
  ['count', '007', /^Type the count without leading zeros: 7\.$/],
  ['count', '0', /^A cluster needs at least 1 instance\.$/],
  ['count', '-1', /^A cluster needs at least 1 instance\.$/],
  ['count', '1.5', /^The instance count must be a whole number\.$/],
  ['count', 'three', /^The instance count must be a whole number\.$/],
  ['count', '', /^Enter the number of instances\.$/],
  ['count', '501', /^At most 500 instances \(setting cmp\.maxInstances\)\.$/],
  ['count', long(10_000, '9'), /^At most 500 instances/],
  ['quotaCpu', '', /^Enter the quota CPU\.$/],
  ['quotaCpu', '0', /^Quota CPU must be more than 0\.$/],
  ['quotaCpu', '0.5', /^The quota's 0\.5 cores cannot hold 2 × 0\.5 = 1 cores\.$/],
  ['quotaCpu', 'abc', /^Quota CPU must be a number of cores/],
  ['quotaMemoryGiB', '', /^Enter the quota memory\.$/],
  ['quotaMemoryGiB', '1.5', /^The quota's 1\.5 GiB cannot hold 2 × 1 = 2 GiB\.$/],
  ['quotaMemoryGiB', 'x', /^Quota memory must be a number of GiB/],
  ['labels', 'constructor=x,constructor=y', /^Label "constructor" is given twice\.$/],
  ['labels', '__proto__=x', /^Label key "__proto__" may use/],
  ['labels', 'managed-by=other', /^"managed-by" is set by CMP and cannot be overridden\.$/],
  ['labels', 'cluster=evil', /^"cluster" is set by CMP and cannot be overridden\.$/],
  ['labels', 'a=b=c', /^Value of label "a" may use/],
  ['labels', '=x', /^A label needs a key before "="\.$/],
  ['labels', `k=${long(64, 'v')}`, /^Value of label "k" is longer than 63 characters\.$/],
  ['labels', 'noequals', /^"noequals" is not key=value\.$/],
  ['labels', 'a b=c', /^Label key "a b" may use/],
  ['labels', 'k=<script>', /^Value of label "k" may use/],
  ['labels', long(10_000), /^"x{80}…" is not key=value\.$/],
];

/** Messages the form's guard refuses (a webview that was tampered with, or a bug in it). */
const malformedFormMessages: [string, unknown, RegExp][] = [
  ['null', null, /not an object \(null\)/],
  ['an array', [], /not an object \(an array\)/],
  ['a string', 'form/create', /not an object \(string\)/],
  ['no type', { input: goodInput }, /no message type/],
  ['a numeric type', { type: 5 }, /no message type/],
  ['an unknown type', { type: 'form/delete' }, /unknown message type "form\/delete"/],
  ['a host message sent back', { type: 'host/created', name: 'x', namespace: 'x-ns' }, /unknown message type "host\/created"/],
  ['checkName without requestId', { type: 'form/checkName', name: 'x' }, /"form\/checkName" message whose fields/],
  ['checkName with a negative requestId', { type: 'form/checkName', requestId: -1, name: 'x' }, /"form\/checkName" message whose fields/],
  ['checkName with a fractional requestId', { type: 'form/checkName', requestId: 1.5, name: 'x' }, /"form\/checkName" message whose fields/],
  ['checkName with a 257-character name', { type: 'form/checkName', requestId: 1, name: long(257) }, /"form\/checkName" message whose fields/],
  ['preview without input', { type: 'form/preview', requestId: 1 }, /"form\/preview" message whose fields/],
  ['create without input', { type: 'form/create' }, /"form\/create" message whose fields/],
  ['create with input null', { type: 'form/create', input: null }, /"form\/create" message whose fields/],
  ['create with a numeric count', { type: 'form/create', input: { ...goodInput, count: 3 } }, /"form\/create" message whose fields/],
  ['create with a string boolean', { type: 'form/create', input: { ...goodInput, resourceQuota: 'true' } }, /"form\/create" message whose fields/],
  ['create with a field missing', { type: 'form/create', input: { ...goodInput, image: undefined } }, /"form\/create" message whose fields/],
  ['create with a 10,001-character field', { type: 'form/create', input: { ...goodInput, image: long(10_001) } }, /"form\/create" message whose fields/],
  // Labels may be longer (a live namespace's labels must reach the edit form), but not without bound.
  ['create with 262,145 characters of labels', { type: 'form/create', input: { ...goodInput, labels: long(262_145) } }, /"form\/create" message whose fields/],
  ['review without the values the form was loaded with', { type: 'form/review', requestId: 1, input: goodInput }, /"form\/review" message whose fields/],
  ['replace with a 33-character count', { type: 'form/replace', requestId: 1, atOnce: long(33) }, /"form\/replace" message whose fields/],
];

/** Messages the Events and Logs panes' guards refuse. */
const malformedPaneMessages: ['events' | 'logs', string, unknown, RegExp][] = [
  ['events', 'null', null, /Events pane: not an object/],
  ['events', 'an unknown type', { type: 'events/delete' }, /Events pane: unknown message type "events\/delete"/],
  ['events', 'inspected without a snapshot', { type: 'events/inspected', requestId: 1 }, /Events pane: a "events\/inspected" message whose fields/],
  ['events', 'inspected with rows of numbers', { type: 'events/inspected', requestId: 1, snapshot: { total: 1, matching: 1, shown: 1, fresh: 0, rows: [[1]], elementsInCells: [], banner: '' } }, /"events\/inspected" message whose fields/],
  ['logs', 'a number', 42, /Logs pane: not an object \(number\)/],
  ['logs', 'an unknown type', { type: 'logs/delete' }, /Logs pane: unknown message type "logs\/delete"/],
  ['logs', 'setPrevious with a string', { type: 'logs/setPrevious', previous: 'yes' }, /"logs\/setPrevious" message whose fields/],
  ['logs', 'save with a number', { type: 'logs/save', timestamps: 1 }, /"logs\/save" message whose fields/],
  ['logs', 'inspected with an empty snapshot', { type: 'logs/inspected', requestId: 1, snapshot: {} }, /"logs\/inspected" message whose fields/],
  ['logs', 'a host message sent back', { type: 'host/reset' }, /unknown message type "host\/reset"/],
];

/** Counts the scale input box refuses: [typed, its message]. */
const scaleCountCases: [string, RegExp][] = [
  ['1e309', /exponent form 1e309/],
  ['٣', /with the digits 0-9/],
  [' 5 ', /without spaces around it: 5/],
  ['+5', /without a sign: 5/],
  ['00', /without leading zeros: 0/],
  ['-1', /cannot be negative/],
  ['1.5', /must be a whole number\.$/],
  ['three', /must be a whole number\.$/],
  ['', /Enter the number of instances/],
  ['501', /At most 500 instances/],
];

/** Stored specs (the namespace annotation) a scale refuses to make instances from. */
const storedSpecCases: [string, string, RegExp][] = [
  ['cpu 1e308', JSON.stringify({ instanceType: 'container', image: 'nginx:1.27', cpu: 1e308, memoryGiB: 1, count: 1 }), /cpu is 1e\+308, not a number of cores above 0 and at most 128/],
  ['count -1', JSON.stringify({ instanceType: 'container', image: 'nginx:1.27', cpu: 1, memoryGiB: 1, count: -1 }), /count is -1, not a whole number/],
  ['count 1e12', JSON.stringify({ instanceType: 'container', image: 'nginx:1.27', cpu: 1, memoryGiB: 1, count: 1e12 }), /count is 1000000000000/],
  ['memory 1e9 GiB', JSON.stringify({ instanceType: 'container', image: 'nginx:1.27', cpu: 1, memoryGiB: 1e9, count: 1 }), /memoryGiB is 1000000000/],
  ['an unknown type', JSON.stringify({ instanceType: 'lxc', image: 'nginx:1.27', cpu: 1, memoryGiB: 1, count: 1 }), /instanceType is "lxc"/],
  ['not JSON', '{"instanceType":', /it is not JSON/],
  ['an image that backtracks', JSON.stringify({ instanceType: 'container', image: backtracking, cpu: 1, memoryGiB: 1, count: 1 }), /its image: .* is not an image reference/],
];

describe('reliability: bad input through the extension, refused before any write', function () {
  this.timeout(10 * 60_000);
  let proxied: Proxied;
  let api: CmpExtensionApi;
  const made: string[] = [];
  const tally = { cases: 0, refused: 0, writes: 0, slowestImageMs: 0 };
  let clusterNamespace = '';

  /** Why cases did not hold, for the test they ran in; each test goes through all its cases first. */
  let failures: string[] = [];

  /** Runs one case; it holds when its message matches and the proxy saw no write meanwhile. */
  async function bad(what: string, attempt: () => Promise<string | undefined>, expected: RegExp): Promise<void> {
    tally.cases += 1;
    const from = proxied.proxy.requests.length;
    try {
      const message = await attempt();
      const writes = proxied.proxy.writes(from);
      tally.writes += writes.length;
      assert.deepEqual(writes.map((w) => `${w.method} ${w.path}`), [], `${what}: no write`);
      assert.match(message ?? '(no message)', expected, what);
      tally.refused += 1;
    } catch (error) {
      failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A test of many cases: it runs them all, then fails with every case that did not hold. */
  function cases(title: string, body: () => Promise<void>): void {
    it(title, async () => {
      failures = [];
      await body();
      assert.deepEqual(failures, [], `${failures.length} cases did not hold`);
    });
  }

  /** The warnings and errors the extension logs while `run` runs. */
  async function logged(run: () => Promise<unknown>): Promise<string[]> {
    const logger = api.services.logger;
    const seen: string[] = [];
    const { warn, showError } = logger;
    logger.warn = (message) => void seen.push(message);
    logger.showError = (message) => void seen.push(message);
    try {
      await run();
    } finally {
      logger.warn = warn;
      logger.showError = showError;
    }
    return seen;
  }

  async function openForm() {
    if (!api.services.forms.current) await vscode.commands.executeCommand('cmp.createCluster');
    const form = api.services.forms.current;
    assert.ok(form, 'the create form is open');
    return form;
  }

  const failedMessage = (posted: HostMessage[], field: Field) => {
    const failed = posted.find((m) => m.type === 'host/failed');
    return failed?.type === 'host/failed' ? failed.errors?.[field as keyof typeof failed.errors] : undefined;
  };

  before(async () => {
    proxied = await startProxied();
    api = await connectedExtension(proxied.kubeconfig('admin'));
    const name = uniqueName('bad');
    clusterNamespace = `${name}-ns`;
    made.push(clusterNamespace);
    // Made directly (not through the proxy): the cases' counts start clean.
    const spec = JSON.stringify({ instanceType: 'container', image: 'nginx:1.27', cpu: 0.5, memoryGiB: 1, count: 1 });
    await kubectl(['create', 'namespace', clusterNamespace]);
    await kubectl(['label', 'namespace', clusterNamespace, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${name}`]);
    await kubectl(['annotate', 'namespace', clusterNamespace, `${specAnnotation}=${spec}`]);
    await kubectl(['run', 'instance-0', '-n', clusterNamespace, '--image=nginx:1.27', '--labels', `managed-by=cmp,cluster=${name}`]);
    await eventually('the tree to show the cluster', async () => (api.services.tree.getChildren(api.services.tree.clusterNode(clusterNamespace)).length === 1 ? true : undefined));
  });

  after(async () => {
    recordFigure({ measure: 'bad input: cases refused with their specific message', value: `${tally.refused} of ${tally.cases}`, goal: 'all, at least 100', met: tally.refused === tally.cases && tally.cases >= 100 });
    recordFigure({ measure: 'bad input: API writes counted at the proxy', value: String(tally.writes), goal: '0', met: tally.writes === 0 });
    recordFigure({ measure: `bad input: the backtracking image (${backtracking.length} characters) refused by the host, slowest`, value: `${tally.slowestImageMs.toFixed(1)} ms`, goal: '≤ 50 ms', met: tally.slowestImageMs <= 50 });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const config = vscode.workspace.getConfiguration('cmp');
    for (const key of ['maxInstances', 'defaultInstanceCount', 'writeConcurrency', 'defaultCpu', 'defaultImage']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    await connectedExtension(adminKubeconfigPath());
    await proxied.close();
    for (const ns of made) await kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  });

  cases(`refuses ${formCases.length + 1} bad form fields with the field's own message`, async () => {
    const form = await openForm();
    for (const [field, value, expected] of formCases) {
      await bad(`${field} = ${JSON.stringify(value.slice(0, 30))}`, async () => {
        const started = performance.now();
        const { refused, posted } = await form.handle({ type: 'form/create', input: { ...goodInput, name: uniqueName('ok'), [field]: value } });
        if (value === backtracking) tally.slowestImageMs = Math.max(tally.slowestImageMs, performance.now() - started);
        assert.equal(refused, undefined, 'the message itself is well formed');
        return failedMessage(posted, field);
      }, expected);
    }
    // Where KubeVirt is served a VM is fine but needs whole cores; elsewhere VMs are refused as such.
    const state = api.services.session.state;
    const vms = state.kind === 'connected' && state.cache.virtualMachinesServed;
    await bad('a VM of half a core', async () => {
      const { posted } = await form.handle({ type: 'form/create', input: { ...goodInput, name: uniqueName('ok'), instanceType: 'vm', cpu: '0.5' } });
      return failedMessage(posted, vms ? 'cpu' : 'instanceType');
    }, vms ? /^A VM has whole cores/ : /^VMs need KubeVirt/);
  });

  cases(`ignores ${malformedFormMessages.length} malformed form messages, saying why`, async () => {
    const form = await openForm();
    for (const [what, message, expected] of malformedFormMessages) {
      await bad(`form: ${what}`, async () => (await form.handle(message)).refused, expected);
    }
  });

  cases(`ignores ${malformedPaneMessages.length} malformed Events and Logs pane messages, saying why`, async () => {
    const events = await vscode.commands.executeCommand<{ handle(m: unknown): string | undefined }>('cmp.showEvents', api.services.tree.clusterNode(clusterNamespace));
    const instance = api.services.tree.getChildren(api.services.tree.clusterNode(clusterNamespace))[0];
    const logs = await vscode.commands.executeCommand<{ handle(m: unknown): Promise<string | undefined> }>('cmp.showLogs', instance);
    assert.ok(events && logs, 'both panes opened');
    for (const [pane, what, message, expected] of malformedPaneMessages) {
      await bad(`${pane} pane: ${what}`, async () => (pane === 'events' ? events.handle(message) : logs.handle(message)), expected);
    }
  });

  cases(`refuses ${scaleCountCases.length} bad counts in the scale box`, async () => {
    for (const [typed, expected] of scaleCountCases) {
      await bad(`scale count ${JSON.stringify(typed)}`, async () => {
        const answer = answerPrompts(api, { input: typed });
        try {
          await vscode.commands.executeCommand('cmp.scaleCluster', api.services.tree.clusterNode(clusterNamespace));
          return undefined;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        } finally {
          answer.restore();
        }
      }, expected);
    }
  });

  cases(`refuses to scale from ${storedSpecCases.length} absurd stored specs, naming the problem`, async () => {
    for (const [what, annotation, expected] of storedSpecCases) {
      const name = uniqueName('spec');
      const ns = `${name}-ns`;
      made.push(ns);
      await kubectl(['create', 'namespace', ns]);
      await kubectl(['label', 'namespace', ns, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${name}`]);
      await kubectl(['annotate', 'namespace', ns, `${specAnnotation}=${annotation}`]);
      await eventually('the tree to show it', async () => (api.services.session.state.kind === 'connected' && api.services.session.state.cache.cluster(ns) ? true : undefined));
      await bad(`stored spec: ${what}`, async () => {
        const answer = answerPrompts(api, { input: '3' });
        const messages = await logged(() => Promise.resolve(vscode.commands.executeCommand('cmp.scaleCluster', api.services.tree.clusterNode(ns))).finally(answer.restore));
        return messages.find((m) => m.startsWith(`Scaling ${name} failed`));
      }, expected);
    }
  });

  cases('clamps absurd settings to their declared bounds, and the form and scale obey the clamped values', async () => {
    const config = vscode.workspace.getConfiguration('cmp');
    const settingCases: [string, unknown, () => Promise<string | undefined>, RegExp][] = [
      ['maxInstances', 1e9, async () => failedMessage((await (await openForm()).handle({ type: 'form/create', input: { ...goodInput, count: '10001', resourceQuota: false } })).posted, 'count'), /^At most 10000 instances/],
      ['maxInstances', -5, async () => failedMessage((await (await openForm()).handle({ type: 'form/create', input: { ...goodInput, count: '2', resourceQuota: false } })).posted, 'count'), /^At most 1 instances/],
      ['maxInstances', 'many', async () => failedMessage((await (await openForm()).handle({ type: 'form/create', input: { ...goodInput, count: '501', resourceQuota: false } })).posted, 'count'), /^At most 500 instances/],
      ['writeConcurrency', 1e6, async () => `writeConcurrency ${readSettings().writeConcurrency}`, /^writeConcurrency 256$/],
      ['writeConcurrency', 0, async () => `writeConcurrency ${readSettings().writeConcurrency}`, /^writeConcurrency 1$/],
      ['defaultInstanceCount', 1e9, async () => `defaultInstanceCount ${readSettings().defaultInstanceCount}`, /^defaultInstanceCount 10000$/],
      ['defaultCpu', 1e308, async () => `defaultCpu ${readSettings().defaultCpu}`, /^defaultCpu 128$/],
      ['defaultImage', 42, async () => {
        const { posted } = await (await openForm()).handle({ type: 'form/ready' });
        const init = posted.find((m) => m.type === 'host/init');
        return init?.type === 'host/init' ? `defaultImage ${init.defaults.input.image}` : undefined;
      }, /^defaultImage nginx:1\.27$/],
    ];
    for (const [key, value, probe, expected] of settingCases) {
      await config.update(key, value, vscode.ConfigurationTarget.Global);
      try {
        await bad(`setting ${key} = ${String(value)}`, probe, expected);
      } finally {
        await config.update(key, undefined, vscode.ConfigurationTarget.Global);
      }
    }
  });

  it('tried at least 100 cases, each refused with its message and no write', () => {
    assert.ok(tally.cases >= 100, `${tally.cases} cases`);
    assert.equal(tally.refused, tally.cases);
    assert.equal(tally.writes, 0);
  });
});
