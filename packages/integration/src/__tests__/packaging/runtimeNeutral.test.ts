// The server and the emulator must not load the browser stack: only the core's runtime-neutral protocol part.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFromPackage, modulesLoadedBy } from './loadedModules.js';

const HERE = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = fileURLToPath(new URL('../../../../', import.meta.url));
const CORE_SRC = pathToFileURL(`${PACKAGES}core/src/`).href;
const BROWSER_ONLY = ['oidc-client-ts', 'zustand'];

describe.each([
  ['@celonis-auth/server', 'server'],
  ['@celonis-auth/emulator', 'emulator'],
])('a plain Node process importing %s', (specifier, dir) => {
  it('loads only the runtime-neutral protocol part of the core: neither oidc-client-ts nor zustand', async () => {
    const loaded = await modulesLoadedBy([specifier], HERE);
    // The import did walk the graph, through the source condition.
    expect(loaded).toContain(pathToFileURL(`${PACKAGES}${dir}/src/index.ts`).href);
    expect(loaded).toContain(`${CORE_SRC}protocol/index.ts`);
    expect(loaded.filter((url) => BROWSER_ONLY.some((name) => isFromPackage(url, name)))).toEqual([]);
    expect(loaded.filter((url) => url.startsWith(CORE_SRC) && !url.startsWith(`${CORE_SRC}protocol/`))).toEqual([]);
  });
});

it('would see oidc-client-ts and zustand if they were loaded (the check can fail)', async () => {
  const loaded = await modulesLoadedBy(['oidc-client-ts', 'zustand/vanilla'], `${PACKAGES}core/`);
  for (const name of BROWSER_ONLY)
    expect(
      loaded.some((url) => isFromPackage(url, name)),
      name,
    ).toBe(true);
});
