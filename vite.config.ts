import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript source under this condition, so no build step
// sits between an edit and a test.
const SOURCE = '@celonis-auth/source';
/** A package as apps/react18-compat has it, linked to React 18. */
const react18Compat = (name: string) => fileURLToPath(new URL(`./apps/react18-compat/node_modules/${name}`, import.meta.url));

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions], externalConditions: [SOURCE] } },
  test: {
    // Servers in tests bind 127.0.0.1; nothing should take long, but the two-core CI machine can be busy.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'emulator', include: ['packages/emulator/src/**/*.test.ts'], environment: 'node' } },
      { extends: true, test: { name: 'core', include: ['packages/core/src/**/*.test.ts'], environment: 'node' } },
      // The core against a real emulator over HTTP: a package of its own, so the core does not depend on the emulator.
      { extends: true, test: { name: 'integration', include: ['packages/integration/src/**/*.test.ts'], environment: 'node' } },
      { extends: true, test: { name: 'server', include: ['packages/server/src/**/*.test.ts'], environment: 'node' } },
      { extends: true, test: { name: 'react', include: ['packages/react/src/**/*.test.{ts,tsx}'], environment: 'happy-dom', provide: { reactMajor: 19 } } },
      // The same React tests against React 18, the low end of the peer range: React, and Testing Library
      // which imports it, come from apps/react18-compat, whose copies are linked to React 18.
      {
        extends: true,
        resolve: { alias: ['react', 'react-dom', '@testing-library/react'].map((name) => ({ find: name, replacement: react18Compat(name) })) },
        test: { name: 'react18', include: ['packages/react/src/**/*.test.{ts,tsx}'], environment: 'happy-dom', provide: { reactMajor: 18 } },
      },
      // Real Chromium against a built dashboard, the emulator and two preview servers started once by
      // the global setup; files share them (and the emulator's log), so they run one after another.
      {
        extends: true,
        // Vitest loads global setup files in its own `__vitest__` environment, which takes neither
        // `resolve.conditions` nor `ssr.resolve`: without this the setup cannot import the emulator's source.
        environments: { __vitest__: { resolve: { conditions: [SOURCE, ...defaultServerConditions], externalConditions: [SOURCE] } } },
        test: {
          name: 'e2e',
          include: ['apps/dashboard/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          globalSetup: ['apps/dashboard/e2e/globalSetup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
