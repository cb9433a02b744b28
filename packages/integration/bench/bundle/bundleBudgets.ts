import type { BundleEntryId } from './measureBundles.js';

/** A size limit of one of our entries, in gzipped bytes. */
export interface BundleBudget {
  /** `pnpm test` fails when the entry grows past this. */
  maxGzipBytes: number;
  /** Where the project wants to be (the goal); reported by `pnpm bench`. */
  goalGzipBytes: number;
}

/**
 * The budgets `pnpm test` holds our browser entries to. The budgets sit just above today's sizes, so
 * growth is a decision (raise the number in the same change, and say why); the goals are the
 * project's targets, not yet met (see the closing note of the shape issue).
 *
 * History: core 14.40 / react 15.60 kB after the reshaping (14.04 / 15.13 measured); raised to
 * 16.20 / 17.40 kB by the callback and server hardening (15.84 / 17.01 measured: iss, URL and
 * parameter checks, bounded bodies, Retry-After for every caller, interrupted sign-ins); raised to
 * 16.60 / 17.80 kB by the real-Celonis work (16.49 / 17.66 measured: `apiBaseUrl` for the API proxy,
 * endpoints as page paths, and `token_endpoint_unreachable` / `api_unreachable` with their guidance);
 * core raised to 16.70 kB by the security review's path checks (16.63 measured: a page path must stay
 * on the page's origin, no credentials in URLs, no apiBaseUrl at an origin's root) and the BFF mode's
 * null-token state.
 */
export const BUNDLE_BUDGETS: Readonly<Record<Extract<BundleEntryId, 'core' | 'react'>, BundleBudget>> = {
  core: { maxGzipBytes: 16_700, goalGzipBytes: 11_000 },
  react: { maxGzipBytes: 17_800, goalGzipBytes: 12_000 },
};
