// The fleet's pure parts: which contexts cmp.contexts selects ([] the current one, names in the
// order given, "*" all), and each context's row at the top of the tree (state, counts, retry).
import * as assert from 'node:assert/strict';
import type { ClusterView } from '../../src/core/clusterView';
import { contextDescription, selectContexts } from '../../src/core/fleet';

const available = ['dev', 'staging', 'prod'];

describe('selectContexts', () => {
  it('shows the current context only for an empty setting (the default), none without one', () => {
    assert.deepEqual(selectContexts([], available, 'staging'), { names: ['staging'], unknown: [] });
    assert.deepEqual(selectContexts([], available, undefined), { names: [], unknown: [] });
    assert.deepEqual(selectContexts([], available, 'deleted'), { names: [], unknown: [] });
  });

  it('shows the named contexts in the order given, once each, and names those the kubeconfig lacks', () => {
    assert.deepEqual(selectContexts(['prod', 'dev', 'prod', 'gone'], available, 'staging'), { names: ['prod', 'dev'], unknown: ['gone'] });
  });

  it('shows every context, in kubeconfig order, for "*"', () => {
    assert.deepEqual(selectContexts(['*'], available, 'dev'), { names: available, unknown: [] });
    assert.deepEqual(selectContexts(['prod', '*'], available, 'dev'), { names: available, unknown: [] });
  });
});

describe('contextDescription', () => {
  const instance = (ready: boolean) => ({ ready }) as ClusterView['instances'][number];
  const clusters = [{ instances: [instance(true), instance(false)] }, { instances: [instance(true)] }] as ClusterView[];

  it('counts clusters and ready instances once live or limited', () => {
    assert.equal(contextDescription({ kind: 'live' }, clusters), 'live · 2 clusters · 2/3 ready');
    assert.equal(contextDescription({ kind: 'limited', namespaces: ['a-ns'] }, clusters.slice(1)), 'limited view · 1 cluster · 1/1 ready');
  });

  it('says what is wrong and when it retries, without counts it does not have', () => {
    assert.equal(contextDescription({ kind: 'connecting' }, []), 'connecting…');
    assert.equal(contextDescription({ kind: 'unreachable', message: 'Cannot reach', retryInMs: 4_200 }, []), 'unreachable · retrying in 4 s');
    assert.equal(contextDescription({ kind: 'forbidden', message: 'no', retryInMs: 100 }, []), 'Forbidden · retrying in 1 s');
    assert.equal(contextDescription({ kind: 'invalid', message: 'no user' }, []), 'kubeconfig error');
  });
});
