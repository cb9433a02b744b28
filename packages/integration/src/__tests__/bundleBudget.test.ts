// Bundle sizes are deterministic, so their budgets are checked on every `pnpm test` (not timed).
import { expect, it } from 'vitest';
import { BUNDLE_BUDGETS } from '../../bench/bundle/bundleBudgets.js';
import { measureBundles } from '../../bench/bundle/measureBundles.js';

it('keeps the core app and the react + core app within their gzip budgets', async () => {
  const figures = await measureBundles(['core', 'react']);
  const over = figures.filter((f) => f.id in BUNDLE_BUDGETS && f.gzipBytes > BUNDLE_BUDGETS[f.id as keyof typeof BUNDLE_BUDGETS].maxGzipBytes);
  // One line per entry over budget says by how much, so the fix (or a deliberate raise in bundleBudgets.ts) is obvious.
  expect(over.map((f) => `${f.name}: ${f.gzipBytes} B gzip > budget ${BUNDLE_BUDGETS[f.id as keyof typeof BUNDLE_BUDGETS].maxGzipBytes} B`)).toEqual([]);
  expect(figures.map((f) => f.id)).toEqual(['core', 'react']);
});
