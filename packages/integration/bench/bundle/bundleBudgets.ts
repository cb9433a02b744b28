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
 */
export const BUNDLE_BUDGETS: Readonly<Record<Extract<BundleEntryId, 'core' | 'react'>, BundleBudget>> = {
  core: { maxGzipBytes: 14_400, goalGzipBytes: 11_000 },
  react: { maxGzipBytes: 15_600, goalGzipBytes: 12_000 },
};
