/** Taken when a slow operation starts; says whether the session it started on was replaced or ended since. */
export interface SessionTurn {
  /** True once a sign-out, a new login or another tab's session replaced the session this turn was taken on. */
  readonly overtaken: boolean;
}

/**
 * Tells slow operations (a refresh, a code exchange) that they were overtaken, so a late result is
 * dropped instead of overwriting a newer session or bringing back a signed-out one.
 */
export interface SessionEpoch {
  /** A turn on the session as it is now. */
  turn(this: void): SessionTurn;
  /** The session was replaced or ended: every turn taken before is overtaken. */
  advance(this: void): void;
}

/** Creates the epoch of one session owner. */
export function createSessionEpoch(): SessionEpoch {
  let current = {};
  return {
    turn() {
      const at = current;
      return {
        get overtaken() {
          return at !== current;
        },
      };
    },
    advance() {
      current = {};
    },
  };
}
