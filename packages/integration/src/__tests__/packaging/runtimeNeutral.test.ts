import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFromPackage, modulesLoadedBy } from './loadedModules.js';

const SERVER_DIR = fileURLToPath(new URL('../../', import.meta.url));
const CORE_DIR = fileURLToPath(new URL('../../../core/', import.meta.url));
const CORE_SRC = pathToFileURL(`${CORE_DIR}src/`).href;
const BROWSER_ONLY = ['oidc-client-ts', 'zustand'];

describe('a plain Node process importing @celonis-auth/server', () => {
  it('loads only the runtime-neutral protocol part of the core: neither oidc-client-ts nor zustand', async () => {
    const loaded = await modulesLoadedBy(['@celonis-auth/server'], SERVER_DIR);

    // The import did walk the graph, through the source condition.
    expect(loaded).toContain(pathToFileURL(`${SERVER_DIR}src/index.ts`).href);
    expect(loaded).toContain(`${CORE_SRC}protocol/index.ts`);
    expect(loaded.filter((url) => BROWSER_ONLY.some((name) => isFromPackage(url, name)))).toEqual([]);
    expect(loaded.filter((url) => url.startsWith(CORE_SRC) && !url.startsWith(`${CORE_SRC}protocol/`))).toEqual([]);
  });

  it('would see oidc-client-ts and zustand if they were loaded', async () => {
    const loaded = await modulesLoadedBy(['oidc-client-ts', 'zustand/vanilla'], CORE_DIR);
    for (const name of BROWSER_ONLY)
      expect(
        loaded.some((url) => isFromPackage(url, name)),
        name,
      ).toBe(true);
  });
});
