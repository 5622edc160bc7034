// @ts-check
// One shutdown for a script that starts things (a plane, code-server): cleanups run once, newest
// first, and every caller (a signal, a child that died, an error) waits for that same run to end.

/** @typedef {() => Promise<unknown> | unknown} Cleanup */

/** @param {(message: string) => void} say where a failed cleanup is reported */
export function createShutdown(say) {
  /** @type {Cleanup[]} */
  const cleanups = [];
  /** @type {Promise<void> | undefined} */
  let running;
  return {
    /** Runs `cleanup` at shutdown, before those added earlier. @param {Cleanup} cleanup */
    add(cleanup) {
      cleanups.push(cleanup);
    },
    /** Whether shutdown has begun. */
    get started() {
      return running !== undefined;
    },
    /** Runs the cleanups once; a second call gets the same promise, settled only when all have run. */
    run() {
      running ??= (async () => {
        for (const cleanup of cleanups.reverse()) {
          try {
            await cleanup();
          } catch (error) {
            say(`while stopping: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      })();
      return running;
    },
  };
}
