/**
 * The calls a proxy has open to the team, counted from the request until the answer's body is
 * read to its end or cancelled, so a burst cannot open sockets and buffer bodies without bound.
 */
export interface ApiProxySlots {
  /** The most calls open at once. */
  readonly limit: number;
  /** A slot and the function that frees it (once, whatever happens after), or undefined when all are taken. */
  acquire(): (() => void) | undefined;
  /** True for the first refusal since the proxy was last below its limit: one warning per burst, not one per call. */
  shouldWarn(): boolean;
}

/**
 * Creates the slots of one proxy (or backend-for-frontend) instance.
 *
 * @example
 * ```ts
 * const slots = createApiProxySlots(256)
 * const release = slots.acquire() // undefined: answer 503 proxy_busy
 * ```
 */
export function createApiProxySlots(limit: number): ApiProxySlots {
  let open = 0;
  let warned = false;
  return {
    limit,
    acquire() {
      if (open >= limit) return undefined;
      open += 1;
      let freed = false;
      return () => {
        if (freed) return;
        freed = true;
        open -= 1;
        warned = false;
      };
    },
    shouldWarn() {
      if (warned) return false;
      warned = true;
      return true;
    },
  };
}
