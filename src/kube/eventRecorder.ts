// Records what CMP did as a Kubernetes Event on the cluster's namespace (events.k8s.io/v1,
// reporting controller cmp-vscode), so other tools and `kubectl get events` see our actions too.

import { hostname } from 'node:os';
import { resources, type KubeObject } from '../core/kubeTypes';
import { eventReporter, fieldManager } from '../core/names';
import type { KubeClient } from './kubeClient';

export interface CmpEvent {
  namespace: KubeObject;
  reason: string;
  action: string;
  note: string;
  type?: 'Normal' | 'Warning';
}

export async function recordEvent(client: KubeClient, event: CmpEvent): Promise<void> {
  const ns = event.namespace.metadata;
  const now = new Date();
  await client.transport.request({
    method: 'POST',
    path: `/apis/${resources.events.group}/${resources.events.version}/namespaces/${encodeURIComponent(ns.name)}/events`,
    query: { fieldManager },
    body: {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { generateName: `${ns.name}.cmp-`, namespace: ns.name },
      eventTime: now.toISOString().replace('Z', '000Z'),
      reportingController: eventReporter,
      reportingInstance: `${eventReporter}-${hostname()}`.slice(0, 128),
      action: event.action,
      reason: event.reason,
      type: event.type ?? 'Normal',
      note: event.note.slice(0, 1024),
      // The API only accepts an event in the namespace its object names; a Namespace names none,
      // so without this the event would have to live in "default", away from the cluster.
      regarding: { apiVersion: 'v1', kind: 'Namespace', name: ns.name, namespace: ns.name, uid: ns.uid },
    },
    timeoutMs: 15_000,
  });
}
