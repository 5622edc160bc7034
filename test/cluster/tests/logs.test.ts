// Pod logs through the apiserver and kwok: GET pods/{name}/log returns a pod's lines (its own Logs
// file, or the shared default), and follow=true streams lines appended to the file later.
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CustomObjectsApi, Log } from '@kubernetes/client-node';
import type { CoreV1Api } from '@kubernetes/client-node';
import { adminKubeConfig, eventually } from '../../support/testPlane';
import { TestNamespaces, adminCore, podManifest, runningPod } from './fixtures';

/** One container log line in CRI format, as kwok reads it. */
const criLine = (text: string): string => `${new Date().toISOString().replace('Z', '000000Z')} stdout F ${text}\n`;

describe('pod logs', () => {
  let core: CoreV1Api;
  let custom: CustomObjectsApi;
  const namespaces = new TestNamespaces();
  const files = mkdtempSync(join(tmpdir(), 'cmp-plane-logs-'));
  let namespace = '';

  before(async () => {
    core = adminCore();
    custom = adminKubeConfig().makeApiClient(CustomObjectsApi);
    namespace = await namespaces.create('logs');
  });

  after(async () => {
    await namespaces.deleteAll();
    rmSync(files, { recursive: true, force: true });
  });

  /** A running pod whose container log is the given file, through a kwok Logs object. */
  async function podLoggingTo(name: string, file: string): Promise<void> {
    await custom.createNamespacedCustomObject({
      group: 'kwok.x-k8s.io',
      version: 'v1alpha1',
      namespace,
      plural: 'logs',
      body: { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Logs', metadata: { name }, spec: { logs: [{ logsFile: file, follow: true }] } },
    });
    await core.createNamespacedPod({ namespace, body: podManifest(name) });
    await runningPod(core, namespace, name);
  }

  it('returns the lines of the pod\'s log file', async () => {
    const file = join(files, 'reader.log');
    writeFileSync(file, criLine('reader: first line') + criLine('reader: second line'));
    await podLoggingTo('reader', file);
    const text = await eventually('the pod log to hold its file\'s lines', async () => {
      const log = await core.readNamespacedPodLog({ namespace, name: 'reader', container: 'app' });
      return log.includes('reader: second line') ? log : undefined;
    });
    assert.deepEqual(text.trim().split('\n'), ['reader: first line', 'reader: second line']);
  });

  it('serves the shared default log for a pod without its own Logs object', async () => {
    await core.createNamespacedPod({ namespace, body: podManifest('plain') });
    await runningPod(core, namespace, 'plain');
    const text = await eventually('the default pod log', async () => {
      const log = await core.readNamespacedPodLog({ namespace, name: 'plain' });
      return log.length > 0 ? log : undefined;
    });
    assert.match(text, /cmp-dev: instance started/);
  });

  it('streams lines appended later when following', async () => {
    const file = join(files, 'follower.log');
    writeFileSync(file, criLine('follower: before'));
    await podLoggingTo('follower', file);

    let received = '';
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    const follow = await eventually('a following log stream', () =>
      new Log(adminKubeConfig()).log(namespace, 'follower', 'app', stream, { follow: true }));
    try {
      await eventually('the existing line on the stream', async () => (received.includes('follower: before') ? true : undefined));
      const marker = `follower: appended at ${Date.now()}`;
      assert.ok(!received.includes(marker));
      appendFileSync(file, criLine(marker));
      await eventually('the appended line on the stream', async () => (received.includes(marker) ? true : undefined), 10_000);
      appendFileSync(file, criLine('follower: and another'));
      await eventually('a second appended line on the stream', async () => (received.includes('follower: and another') ? true : undefined), 10_000);
      assert.deepEqual(received.trim().split('\n'), ['follower: before', marker, 'follower: and another']);
    } finally {
      follow.abort();
      stream.destroy();
    }
  });
});
