import type { BroadcastLike } from './platformShapes.js';

/**
 * A BroadcastChannel stand-in: every channel of the same name in the hub hears the others (never
 * itself), with messages structured-cloned; `sent` keeps every message posted.
 *
 * @example
 * ```ts
 * const hub = fakeBroadcastHub();
 * const tab = () => createCelonisAuth({ ...config, deps: { broadcast: hub.open } });
 * ```
 */
export function fakeBroadcastHub() {
  const channels = new Map<string, Set<(message: unknown) => void>>();
  const sent: unknown[] = [];
  const open = (name: string): BroadcastLike => {
    const listeners = new Set<(message: unknown) => void>();
    const group = channels.get(name) ?? new Set();
    channels.set(name, group);
    const deliver = (message: unknown) => listeners.forEach((l) => l(structuredClone(message)));
    group.add(deliver);
    return {
      postMessage(message) {
        sent.push(message);
        group.forEach((other) => other !== deliver && other(message));
      },
      subscribe: (listener) => (listeners.add(listener), () => void listeners.delete(listener)),
      close: () => void group.delete(deliver),
    };
  };
  return { open, sent };
}
