/**
 * Preloaded into the service child (`node --import tsx --import memory-probe.ts
 * src/server.ts`) by bench/lib/service.ts: answers the message "memory" on the
 * IPC channel with process.memoryUsage(), and "memory-after-gc" the same after
 * a full collection when node runs with --expose-gc (the heap a leak would
 * grow, without the garbage between collections). The service's own code is
 * untouched.
 */
if (process.send !== undefined) {
  process.on('message', (message) => {
    if (message === 'memory-after-gc') globalThis.gc?.();
    if (message === 'memory' || message === 'memory-after-gc') process.send?.({ memory: process.memoryUsage() });
  });
  // The channel must not keep a server that is shutting down alive.
  process.channel?.unref();
}
