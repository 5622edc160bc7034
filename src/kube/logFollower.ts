// Follows one container's log through the API (pods/log with timestamps). When the stream ends while
// the instance still runs it reconnects with capped backoff from the last timestamp seen, drops what
// it already delivered, and marks the gap; it stops when the instance is gone or on dispose.
import { resourcePath, resources, type KubeObject } from '../core/kubeTypes';
import { LineSplitter, parseLogLine, shortTime, sinceTimeOf, timestampKey, type LogLine } from '../core/logLines';
import { ResumePoint, type ReplayFilter } from '../core/logResume';
import { ApiError } from './apiError';
import type { ApiTransport } from './apiTransport';

export interface LogFollowOptions {
  namespace: string;
  pod: string;
  /** Needed when the pod has more than one container. */
  container?: string;
  /** Lines of history on the first connection; undefined: the whole log. */
  tailLines?: number;
  follow: boolean;
  /** The previous (terminated) container's log; never followed. */
  previous?: boolean;
  /** The container's restart count when following starts, to tell a restart from a plain reconnect. */
  restarts?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export type FollowState = 'connecting' | 'waiting' | 'live' | 'reconnecting' | 'ended';
export type MarkerKind = 'gap' | 'info' | 'error';

export interface LogFollowHandlers {
  onLines(lines: LogLine[]): void;
  onMarker(kind: MarkerKind, text: string): void;
  onState?(state: FollowState, detail?: string): void;
}

interface PodStatus {
  phase?: string;
  containerStatuses?: { name: string; restartCount?: number; state?: { running?: unknown; terminated?: unknown; waiting?: unknown } }[];
}

/** kubelet's answer while the container has not started yet (400 "... is waiting to start: ..."). */
const notStarted = /waiting to start|ContainerCreating|PodInitializing|is not available/i;

export class LogFollower {
  private readonly abort = new AbortController();
  private readonly resume = new ResumePoint();
  private running: Promise<void> | undefined;
  private backoffMs: number;
  private restarts: number | undefined;
  /** When the server first answered; set, the next connection resumes instead of starting over. */
  private firstOpenedAt: number | undefined;
  private waitingShown = false;

  constructor(private readonly transport: ApiTransport, readonly options: LogFollowOptions, private readonly handlers: LogFollowHandlers) {
    this.backoffMs = options.minBackoffMs ?? 500;
    this.restarts = options.restarts;
  }

  start(): void {
    this.running ??= this.loop().catch((error: unknown) => {
      if (!this.abort.signal.aborted) this.handlers.onMarker('error', `log stream stopped: ${error instanceof Error ? error.message : String(error)}`);
      this.handlers.onState?.('ended');
    });
  }

  dispose(): void {
    this.abort.abort();
  }

  get disposed(): boolean {
    return this.abort.signal.aborted;
  }

  /** Resolves when the loop has stopped: after dispose, or when the instance is gone. */
  get stopped(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private get path(): string {
    return `${resourcePath(resources.pods, this.options.namespace, this.options.pod)}/log`;
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    const streaming = this.options.follow && !this.options.previous;
    let waitMs = this.backoffMs;
    let failures = 0;
    while (!signal.aborted) {
      let openedAt: number;
      try {
        openedAt = await this.connectOnce(streaming);
        failures = 0;
      } catch (error) {
        if (signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, 'Error', error instanceof Error ? error.message : String(error));
        if (apiError.isNotFound) return this.end(`${this.options.pod} no longer exists`);
        if (apiError.status === 400 && notStarted.test(apiError.message) && !this.options.previous) {
          this.waiting(apiError.message);
          await this.sleep(waitMs);
          waitMs = Math.min(10_000, waitMs * 2);
          continue;
        }
        // Refusals that retrying cannot fix end the follow; the user sees why.
        if (apiError.status === 400 || apiError.status === 401 || apiError.isForbidden || !streaming) return this.end(apiError.message, 'error');
        // The API is away (restarting, network): one marker per outage, the state carries the rest.
        failures += 1;
        if (failures === 1) this.handlers.onMarker('error', `log stream failed: ${apiError.message}; retrying`);
        this.handlers.onState?.('reconnecting', `${apiError.message} (retrying in ${Math.round(this.backoffMs / 100) / 10} s)`);
        await this.sleep(this.backoffMs);
        this.backoffMs = Math.min(this.options.maxBackoffMs ?? 15_000, this.backoffMs * 2);
        continue;
      }
      if (signal.aborted) return;
      if (!streaming) return this.end();
      if (!(await this.shouldReconnect())) return;
      await this.pause(openedAt);
    }
  }

  /**
   * One connection. Resolves with the time the server answered once the stream is over, whether it
   * ended or broke; throws when it could not be opened at all.
   */
  private async connectOnce(streaming: boolean): Promise<number> {
    const resuming = this.firstOpenedAt !== undefined;
    const filter = resuming ? this.resume.replayFilter() : undefined;
    const splitter = new LineSplitter();
    let openedAt = 0;
    this.handlers.onState?.(resuming ? 'reconnecting' : 'connecting');
    try {
      await this.transport.stream({
        method: 'GET',
        path: this.path,
        query: {
          container: this.options.container,
          timestamps: true,
          follow: streaming ? true : undefined,
          previous: this.options.previous ? true : undefined,
          tailLines: resuming ? undefined : this.options.tailLines,
          sinceTime: resuming ? this.resumeSince() : undefined,
        },
        signal: this.abort.signal,
      }, (chunk) => this.deliver(splitter.push(chunk), filter), () => {
        openedAt = Date.now();
        this.firstOpenedAt ??= openedAt;
        this.handlers.onState?.('live');
      });
      this.deliver(splitter.flush(), filter);
    } catch (error) {
      // Broken after the server answered: like an end. An unfinished last line is dropped; it comes again.
      if (openedAt === 0 || !(error instanceof ApiError && error.isUnreachable)) throw error;
    }
    return openedAt;
  }

  /** Before reconnecting: a stream that lived a while was healthy, one that ended at once backs off. */
  private async pause(openedAt: number): Promise<void> {
    if (Date.now() - openedAt > 10_000) this.backoffMs = this.options.minBackoffMs ?? 500;
    await this.sleep(this.backoffMs);
    this.backoffMs = Math.min(this.options.maxBackoffMs ?? 15_000, this.backoffMs * 2);
  }

  private deliver(raw: string[], filter: ReplayFilter | undefined): void {
    const lines: LogLine[] = [];
    for (const text of raw) {
      if (text === '') continue;
      const line = parseLogLine(text);
      if (filter && !filter.accept(line)) continue;
      this.resume.record(line);
      lines.push(line);
    }
    if (lines.length > 0 && !this.abort.signal.aborted) this.handlers.onLines(lines);
  }

  /** Where the next connection starts: the second of the last line, or of the first connection. */
  private resumeSince(): string {
    const key = this.resume.timestamp ?? timestampKey(new Date(this.firstOpenedAt ?? Date.now()).toISOString());
    return key ? sinceTimeOf(key) : new Date().toISOString();
  }

  /** After a stream ended: reconnect while the instance exists and its container may still log. */
  private async shouldReconnect(): Promise<boolean> {
    let pod: KubeObject & { status?: PodStatus };
    try {
      pod = await this.transport.request({ method: 'GET', path: resourcePath(resources.pods, this.options.namespace, this.options.pod), signal: this.abort.signal, timeoutMs: 15_000 });
    } catch (error) {
      if (this.abort.signal.aborted) return false;
      if (error instanceof ApiError && error.isNotFound) {
        this.end(`${this.options.pod} was deleted`);
        return false;
      }
      // Cannot tell (the API is briefly away): keep trying, the next stream will say.
      this.handlers.onMarker('gap', this.gapText('the API could not be reached'));
      return true;
    }
    const status = pod.status ?? {};
    const container = (status.containerStatuses ?? []).find((c) => !this.options.container || c.name === this.options.container);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') {
      this.end(`${this.options.pod} has stopped (${status.phase})`);
      return false;
    }
    const restarts = container?.restartCount ?? 0;
    const restarted = this.restarts !== undefined && restarts > this.restarts;
    this.restarts = restarts;
    // Not started yet (an unscheduled pod's log is an empty stream): wait, nothing can be missing.
    if (!restarted && (status.phase === 'Pending' || !(container?.state?.running || container?.state?.terminated))) {
      this.waiting(`${this.options.pod} is ${status.phase ?? 'not started'}`);
      return true;
    }
    // Before the first line nothing can be lost: the next connection starts from the first one's time.
    if (restarted || this.resume.timestamp !== undefined) {
      this.handlers.onMarker('gap', this.gapText(restarted ? `the container restarted (restart ${restarts})` : 'the log stream ended'));
    }
    return true;
  }

  private waiting(detail: string): void {
    if (!this.waitingShown) this.handlers.onMarker('info', `waiting for ${this.options.pod} to start…`);
    this.waitingShown = true;
    this.handlers.onState?.('waiting', detail);
  }

  private gapText(why: string): string {
    const last = this.resume.timestamp;
    return `${why}${last ? ` after the line of ${shortTime(last)} UTC` : ''}; reconnecting from there, lines may be missing here`;
  }

  private end(message?: string, kind: MarkerKind = 'info'): void {
    if (message) this.handlers.onMarker(kind, message);
    this.handlers.onState?.('ended', message);
  }

  private sleep(ms: number): Promise<void> {
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
