// Waits, untimed, until a namespace's pods have settled (exactly the expected ones, all Running, none
// terminating), so the scheduler and kwok are quiet before the next timed run starts.
import type { FloorClient } from './floorClient';

interface PodList {
  items: { metadata: { deletionTimestamp?: string }; status?: { phase?: string } }[];
}

export async function podsSettled(floor: FloorClient, namespace: string, expected: number, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const list = await floor.json<PodList>('GET', `/api/v1/namespaces/${namespace}/pods`);
      if (list.items.length === expected && list.items.every((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running')) {
        await pause(300);
        return true;
      }
    } catch {
      floor.close();
    }
    await pause(200);
  }
  return false;
}

export function pause(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
