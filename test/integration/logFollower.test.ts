// The log follower against the local control plane: tail then follow, a reconnect after the stream is
// cut that repeats no line and marks the gap, the previous container's log, and the end on deletion.
import * as assert from 'node:assert/strict';
import type { LogLine } from '../../src/core/logLines';
import { ApiTransport } from '../../src/kube/apiTransport';
import { LogFollower, type FollowState, type LogFollowOptions, type MarkerKind } from '../../src/kube/logFollower';
import { eventually } from '../support/testPlane';
import { Clock, cmpNamespace, CuttableProxy, deleteNamespace, LogFiles, loggingPod, paneClient } from './paneFixtures';

/** A follower and everything it reported. */
function follow(transport: ApiTransport, options: LogFollowOptions) {
  const seen = { lines: [] as LogLine[], markers: [] as { kind: MarkerKind; text: string }[], states: [] as FollowState[] };
  const follower = new LogFollower(transport, { minBackoffMs: 50, maxBackoffMs: 400, ...options }, {
    onLines: (lines) => seen.lines.push(...lines),
    onMarker: (kind, text) => seen.markers.push({ kind, text }),
    onState: (state) => seen.states.push(state),
  });
  follower.start();
  const texts = () => seen.lines.map((l) => l.text);
  const waitFor = (what: string, count: number) => eventually(what, async () => (seen.lines.length >= count ? true : undefined), 15_000, 50);
  return { follower, seen, texts, waitFor };
}

describe('LogFollower', () => {
  const client = paneClient();
  const files = new LogFiles();
  const clock = new Clock();
  let namespace = '';

  before(async () => {
    namespace = (await cmpNamespace(client, 'logs')).namespace;
  });

  after(async () => {
    await deleteNamespace(namespace);
    files.remove();
    client.transport.dispose();
  });

  it('shows the last tail lines with their timestamps, then follows appended lines', async () => {
    const history = Array.from({ length: 5 }, (_, i): [string, string] => [clock.next(), `history ${i}`]);
    await loggingPod(client, namespace, 'tail', files.write('tail', history));
    const run = follow(client.transport, { namespace, pod: 'tail', tailLines: 3, follow: true });
    try {
      await run.waitFor('the last three lines', 3);
      assert.deepEqual(run.texts(), ['history 2', 'history 3', 'history 4']);
      assert.equal(run.seen.lines[0]?.ts, history[2]?.[0]);
      await eventually('the follower to be live', async () => (run.seen.states.includes('live') ? true : undefined));
      files.append('tail', [[clock.next(), 'appended <b>1</b>'], [clock.next(), 'appended 2']]);
      await run.waitFor('the appended lines', 5);
      assert.deepEqual(run.texts().slice(3), ['appended <b>1</b>', 'appended 2']);
    } finally {
      run.follower.dispose();
      await run.follower.stopped;
    }
  });

  it('reconnects by itself after the stream is cut, without repeating a line, and marks the gap', async () => {
    // The clock steps whole seconds from a whole second: a and b/c share a second, so a resume from
    // that second replays all three and the filter must drop them.
    const first = clock.next(1000);
    const shared = clock.next(1);
    await loggingPod(client, namespace, 'flaky', files.write('flaky', [[first, 'a'], [shared, 'b'], [shared, 'c']]));
    const proxy = new CuttableProxy();
    const transport = new ApiTransport(await proxy.start());
    const run = follow(transport, { namespace, pod: 'flaky', follow: true });
    try {
      await run.waitFor('the first three lines', 3);
      proxy.cut();
      // Same timestamp as the last line but new text (must come), then a later line.
      files.append('flaky', [[shared, 'd'], [clock.next(1), 'e']]);
      await run.waitFor('the lines written around the cut', 5);
      proxy.cut();
      files.append('flaky', [[clock.next(1500), 'f']]);
      await run.waitFor('a line after a second cut', 6);
      await new Promise((done) => setTimeout(done, 500));
      assert.deepEqual(run.texts(), ['a', 'b', 'c', 'd', 'e', 'f'], 'every line exactly once, in order');
      const gaps = run.seen.markers.filter((m) => m.kind === 'gap');
      assert.equal(gaps.length, 2, `one gap marker per cut (markers: ${JSON.stringify(run.seen.markers)})`);
      assert.match(gaps[0]?.text ?? '', /lines may be missing/);
      assert.ok(run.seen.states.filter((s) => s === 'reconnecting').length >= 2);
    } finally {
      run.follower.dispose();
      await run.follower.stopped;
      await proxy.stop();
      transport.dispose();
    }
  });

  it('reads the previous container\'s log of a restarted instance, once', async () => {
    const previousFile = files.write('restarted-previous', [[clock.next(), 'before the crash'], [clock.next(), 'panic: <oops>']]);
    await loggingPod(client, namespace, 'restarted', files.write('restarted', [[clock.next(), 'after the restart']]), { previousFile });
    const run = follow(client.transport, { namespace, pod: 'restarted', follow: true, previous: true });
    await run.follower.stopped;
    assert.deepEqual(run.texts(), ['before the crash', 'panic: <oops>']);
    assert.equal(run.seen.states.at(-1), 'ended');
  });

  it('waits quietly for an instance that has not started, then follows it', async () => {
    const file = files.write('late', []);
    await client.transport.request({
      method: 'POST',
      path: `/apis/kwok.x-k8s.io/v1alpha1/namespaces/${namespace}/logs`,
      body: { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Logs', metadata: { name: 'late' }, spec: { logs: [{ logsFile: file, follow: true }] } },
    });
    // No scheduler serves this name: the pod stays Pending until the test binds it to a node.
    await client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late', namespace }, spec: { schedulerName: 'nobody', containers: [{ name: 'instance', image: 'registry.invalid/cmp/app:1' }] } });
    const run = follow(client.transport, { namespace, pod: 'late', follow: true, tailLines: 10 });
    try {
      await eventually('the follower to wait', async () => (run.seen.states.includes('waiting') ? true : undefined));
      await new Promise((done) => setTimeout(done, 1_500));
      assert.deepEqual(run.seen.markers, [{ kind: 'info', text: 'waiting for late to start…' }], 'one note, no gap markers while nothing can be missing');
      const nodes = await client.transport.request<{ items: { metadata: { name: string } }[] }>({ method: 'GET', path: '/api/v1/nodes' });
      await client.transport.request({
        method: 'POST',
        path: `/api/v1/namespaces/${namespace}/pods/late/binding`,
        body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'late' }, target: { apiVersion: 'v1', kind: 'Node', name: nodes.items[0]?.metadata.name } },
      });
      // Written now: the resumed stream starts at the second the first (empty) connection opened.
      files.append('late', [[new Clock().next(1000), 'started at last']]);
      await run.waitFor('the first line once it runs', 1);
      assert.deepEqual(run.texts(), ['started at last']);
    } finally {
      run.follower.dispose();
      await run.follower.stopped;
    }
  });

  it('ends at once, without retrying, when the instance does not exist', async () => {
    const run = follow(client.transport, { namespace, pod: 'never-there', follow: true });
    await run.follower.stopped;
    assert.deepEqual(run.seen.states, ['connecting', 'ended']);
    assert.match(run.seen.markers[0]?.text ?? '', /never-there no longer exists/);
  });
});
