/** Taken when a slow operation starts; says whether the session it started on was replaced or ended since. */
export interface SessionTurn {
  /** True once a sign-out, a new login or another tab's session replaced the session this turn was taken on. */
  readonly overtaken: boolean;
}

/**
 * Tells slow operations (a refresh, a code exchange) that they were overtaken, so a late result is
 * dropped instead of overwriting a newer session or bringing back a signed-out one.
 */
export class SessionEpoch {
  #current: object = {};

  /** A turn on the session as it is now. */
  turn(): SessionTurn {
    const at = this.#current;
    const epoch = this;
    return {
      get overtaken() {
        return at !== epoch.#current;
      },
    };
  }

  /** The session was replaced or ended: every turn taken before is overtaken. */
  advance(): void {
    this.#current = {};
  }
}
