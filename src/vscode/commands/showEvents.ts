// "CMP: Show Events": the Events pane of a cluster's namespace (the cluster the command was run on,
// or one picked from the palette); a second run reveals the same pane.
import type { EventsPanel } from '../panels/eventsPanel';
import type { TreeNode } from '../tree/treeNodes';
import { pickCluster } from './pickCluster';
import type { Services } from './services';

export async function showEventsCommand(services: Services, node?: TreeNode): Promise<EventsPanel | undefined> {
  const picked = await pickCluster(services, node, 'show events of');
  if (!picked) return undefined;
  return services.events.show(picked.at.contextName, picked.view.namespace);
}
