import type { BroadcastLike, CelonisAuthDeps } from '../platform/celonisAuthDeps.js';
import { parseSession, type StoredSession } from '../session/sessionRecordStore.js';

/**
 * What one tab tells the others: a session it signed in to (`login`) or renewed (`refresh`), or
 * one it signed out of. A `refresh` concerns only tabs holding that session.
 */
export type TabMessage = { type: 'session'; kind: 'login' | 'refresh'; sessionId: string; session: StoredSession } | { type: 'signedOut'; sessionId: string };

/** Checks a message from another tab field by field; undefined for anything malformed. */
function parseTabMessage(value: unknown): TabMessage | undefined {
  const m = value as Partial<Record<keyof TabMessage | 'kind' | 'session', unknown>> | null;
  if (typeof m !== 'object' || m === null || typeof m.sessionId !== 'string') return undefined;
  if (m.type === 'signedOut') return { type: 'signedOut', sessionId: m.sessionId };
  const session = m.type === 'session' && (m.kind === 'login' || m.kind === 'refresh') ? parseSession(m.session) : undefined;
  return session && session.sessionId === m.sessionId ? { type: 'session', kind: m.kind as 'login' | 'refresh', sessionId: m.sessionId, session } : undefined;
}

/** The channel the tabs of one client talk on (a BroadcastChannel, or storage events as a fallback). */
export class TabChannel {
  readonly #name: string;
  readonly #open: CelonisAuthDeps['broadcast'];
  #channel: BroadcastLike | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(name: string, open: CelonisAuthDeps['broadcast']) {
    this.#name = name;
    this.#open = open;
  }

  /** Starts hearing other tabs; malformed messages never reach `onMessage`. */
  connect(onMessage: (message: TabMessage) => void): void {
    if (this.#channel || !this.#open) return;
    this.#channel = this.#open(this.#name);
    this.#unsubscribe = this.#channel.subscribe((raw) => {
      const message = parseTabMessage(raw);
      if (message) onMessage(message);
    });
  }

  /** Stops hearing other tabs. */
  disconnect(): void {
    this.#unsubscribe?.();
    this.#channel?.close();
    this.#channel = undefined;
    this.#unsubscribe = undefined;
  }

  /** Tells the other tabs, if this one listens. */
  post(message: TabMessage): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // A closed channel only means no other tab listens.
    }
  }
}
