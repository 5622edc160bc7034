// @ts-check
/* global describe, it */
// The pure parts of the repo's scripts: when node_modules counts as stale, how a long step
// reports its progress, and a shutdown that every caller waits for.
import assert from 'node:assert/strict';
import { dependencyDrift } from '../support/dependencies.mjs';
import { formatDuration, summariseLines } from '../support/longStep.mjs';
import { createShutdown } from '../support/shutdown.mjs';

const lock = {
  packages: {
    '': { version: '0.1.0' },
    'node_modules/mocha': { version: '12.0.3' },
    'node_modules/@esbuild/darwin-arm64': { version: '0.28.2', optional: true },
    'node_modules/linked': { version: '1.0.0', link: true },
  },
};

describe('dependencyDrift', () => {
  it('accepts the locked tree, an optional package of another platform absent', () => {
    assert.equal(dependencyDrift(lock, { packages: { 'node_modules/mocha': { version: '12.0.3' }, 'node_modules/linked': {} } }), undefined);
  });
  it('names a missing node_modules, a missing lock and a missing package', () => {
    assert.equal(dependencyDrift(lock, undefined), 'node_modules is missing or was not installed by npm');
    assert.equal(dependencyDrift(undefined, { packages: {} }), 'package-lock.json is missing or unreadable');
    assert.equal(dependencyDrift(lock, { packages: { 'node_modules/linked': {} } }), 'mocha is not installed');
  });
  it('names a package at another version than the lock', () => {
    assert.equal(dependencyDrift(lock, { packages: { 'node_modules/mocha': { version: '11.0.0' }, 'node_modules/linked': {} } }), 'mocha is 11.0.0, the lock says 12.0.3');
  });
  it('names a package installed but not locked', () => {
    const installed = { packages: { 'node_modules/mocha': { version: '12.0.3' }, 'node_modules/linked': {}, 'node_modules/left-pad': { version: '1.3.0' } } };
    assert.equal(dependencyDrift(lock, installed), 'left-pad is installed but not in the lock');
  });
});

describe('long step progress', () => {
  it('formats durations in minutes and seconds', () => {
    assert.equal(formatDuration(4_400), '4 s');
    assert.equal(formatDuration(61_000), '1 min 01 s');
    assert.equal(formatDuration(1_181_000), '19 min 41 s');
  });
  it('counts the lines that match and keeps the last one', () => {
    const text = 'go: downloading k8s.io/api v0.37.2\nk8s.io/api/core/v1\nerrors\n\nk8s.io/apiserver/pkg/server\n';
    assert.deepEqual(summariseLines(text, /^[^\s:]+$/), { counted: 3, last: 'k8s.io/apiserver/pkg/server' });
    assert.deepEqual(summariseLines('', /x/), { counted: 0, last: '' });
    assert.deepEqual(summariseLines('a\nb', undefined), { counted: 0, last: 'b' });
  });
});

describe('createShutdown', () => {
  it('runs the cleanups once, newest first, and a second caller waits for the same run', async () => {
    /** @type {string[]} */
    const order = [];
    const shutdown = createShutdown(() => undefined);
    shutdown.add(async () => {
      await new Promise((done) => setTimeout(done, 30));
      order.push('plane');
    });
    shutdown.add(() => order.push('code-server'));
    const first = shutdown.run();
    // Another caller (a watchdog that saw code-server die) must not get ahead of the first run.
    await shutdown.run();
    assert.deepEqual(order, ['code-server', 'plane']);
    await first;
    await shutdown.run();
    assert.deepEqual(order, ['code-server', 'plane']);
    assert.equal(shutdown.started, true);
  });
  it('reports a failed cleanup and still runs the others', async () => {
    /** @type {string[]} */
    const said = [];
    /** @type {string[]} */
    const order = [];
    const shutdown = createShutdown((line) => said.push(line));
    shutdown.add(() => order.push('first'));
    shutdown.add(() => {
      throw new Error('code-server would not stop');
    });
    await shutdown.run();
    assert.deepEqual(order, ['first']);
    assert.deepEqual(said, ['while stopping: code-server would not stop']);
  });
});
