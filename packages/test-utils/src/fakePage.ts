import type { FakePlatform } from './platformShapes.js';

/**
 * A page: its URL, the navigations it was asked for and its history replacements; `deps` are the
 * `navigate`, `currentUrl` and `replaceUrl` to inject.
 */
export function fakePage(url = 'http://localhost:5173/reports?id=1') {
  const page = { url, navigations: [] as string[], replaced: [] as string[] };
  const deps: Pick<FakePlatform, 'navigate' | 'currentUrl' | 'replaceUrl'> = {
    navigate: (next) => void page.navigations.push(next),
    currentUrl: () => page.url,
    replaceUrl: (next) => {
      page.replaced.push(next);
      page.url = next;
    },
  };
  return Object.assign(page, { deps });
}

/** What {@link fakePage} returns. */
export type FakePage = ReturnType<typeof fakePage>;
