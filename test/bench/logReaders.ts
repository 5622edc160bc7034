// The three readers of P6, each counting the lines it has taken in: ours (the Logs pane's feed into
// its bounded buffer, flushed every batch interval as the panel posts to its webview), kubectl logs -f,
// and a raw follow on the floor client.
import { spawn } from 'node:child_process';
import { ApiTransport } from '../../src/kube/apiTransport';
import type { ClusterCache } from '../../src/kube/clusterCache';
import { LogPaneFeed } from '../../src/kube/logPaneFeed';
import type { BenchContext } from './benchTypes';
import { FloorClient } from './floorClient';

export interface LogReader {
  /** Lines taken in so far. */
  readonly lines: number;
  stop(): void;
}

export interface PaneSettings {
  tailLines: number;
  bufferLines: number;
  batchIntervalMs: number;
}

export interface PaneReader extends LogReader {
  /** Lines that reached the webview in batches, and lines the bounded buffer dropped before a batch. */
  readonly posted: number;
  readonly skipped: number;
}

/** The Logs pane without its webview: LogPaneFeed, batched like LogsPanel.flush, each batch serialised. */
export function paneReader(ctx: BenchContext, cache: ClusterCache, namespace: string, pod: string, settings: PaneSettings): PaneReader {
  const transport = new ApiTransport(ctx.kubeConfig(), 128);
  const counts = { lines: 0, posted: 0, skipped: 0 };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    if (!feed.buffer.hasPending) return;
    const batch = feed.buffer.takeBatch();
    // postMessage serialises the message; this stands for that cost.
    JSON.stringify({ type: 'host/append', entries: batch.entries, skipped: batch.skipped });
    counts.posted += batch.entries.filter((e) => e.kind === 'line').length;
    counts.skipped += batch.skipped;
  };
  const feed = new LogPaneFeed(transport, cache, { kind: 'instance', namespace, name: pod, container: 'instance' }, { tailLines: settings.tailLines, bufferLines: settings.bufferLines }, {
    onEntries: () => {
      timer ??= setTimeout(flush, settings.batchIntervalMs);
    },
    onState: () => undefined,
    onSourcesChanged: () => undefined,
  });
  feed.start();
  return {
    /** Flushes first (as LogsPanel.inspect does), so lines waiting for the next batch count too. */
    get lines() {
      if (timer) clearTimeout(timer);
      flush();
      return counts.posted + counts.skipped;
    },
    get posted() {
      return counts.posted;
    },
    get skipped() {
      return counts.skipped;
    },
    stop: () => {
      if (timer) clearTimeout(timer);
      feed.dispose();
      transport.dispose();
    },
  };
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

export function kubectlReader(ctx: BenchContext, namespace: string, pod: string): LogReader {
  const child = spawn(ctx.plane.kubectl, ['--kubeconfig', ctx.plane.kubeconfig, 'logs', '-f', pod, '-n', namespace, '-c', 'instance', '--tail=0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const counts = { lines: 0 };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (counts.lines += countNewlines(chunk)));
  return {
    get lines() {
      return counts.lines;
    },
    stop: () => child.kill(),
  };
}

export function floorReader(ctx: BenchContext, namespace: string, pod: string): LogReader {
  const floor = new FloorClient(ctx.credentials);
  const abort = new AbortController();
  const counts = { lines: 0 };
  void floor.stream(`/api/v1/namespaces/${namespace}/pods/${pod}/log?follow=true&tailLines=0&container=instance`, (chunk) => (counts.lines += countNewlines(chunk)), abort.signal).catch(() => undefined);
  return {
    get lines() {
      return counts.lines;
    },
    stop: () => {
      abort.abort();
      floor.close();
    },
  };
}
