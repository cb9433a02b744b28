import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

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
      // Type tests (*.test-d.ts, *.test-d.tsx): tsc checks them and nothing runs, through a tsconfig that holds only
      // them and what they import. The strict-scope mode needs its own program: strictScopes.test.ts in the core.
      {
        extends: true,
        test: {
          name: 'types',
          typecheck: {
            enabled: true,
            only: true,
            include: ['packages/*/src/__tests__/types/**/*.test-d.{ts,tsx}'],
            tsconfig: 'packages/core/src/__tests__/types/tsconfig.json',
          },
        },
      },
      // The core against a real emulator over HTTP: a package of its own, so the core does not depend on the emulator.
      { extends: true, test: { name: 'integration', include: ['packages/integration/src/**/*.test.ts'], environment: 'node' } },
      { extends: true, test: { name: 'server', include: ['packages/server/src/**/*.test.ts'], environment: 'node' } },
      { extends: true, test: { name: 'react', include: ['packages/react/src/**/*.test.{ts,tsx}'], environment: 'happy-dom', provide: { reactMajor: 19 } } },
      // The same React tests against React 18, the low end of the peer range: React, and Testing Library
      // which imports it, come from apps/react18-compat, whose copies are linked to React 18.
      {
        extends: true,
        resolve: { alias: ['react', 'react-dom', '@testing-library/react'].map((name) => ({ find: name, replacement: react18Compat(name) })) },
        test: {
          name: 'react18',
          include: ['packages/react/src/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          provide: { reactMajor: 18 },
          // React Router and TanStack Query import React themselves: inlined, they go through the aliases above
          // too (Node would otherwise resolve their `react` to the React 19 beside them, a second React).
          server: { deps: { inline: [/[\\/]react-router[\\/]/, /[\\/]@tanstack[\\/]/] } },
          // *.react19.test.tsx run on React 19 only: TanStack Router reads its store through the CommonJS
          // use-sync-external-store shim, whose require('react') no alias reaches (it finds React 19).
          exclude: [...configDefaults.exclude, 'packages/react/src/**/*.react19.test.{ts,tsx}'],
        },
      },
      // Release checks (packages/packaging): publint, attw and the tarballs' contents, the API reference, the READMEs'
      // code blocks. The tarballs are packed once per run into the OS temp dir, shared with the consumer project.
      {
        extends: true,
        test: {
          name: 'packaging',
          include: ['packages/packaging/src/__tests__/*.test.ts'],
          environment: 'node',
          globalSetup: ['packages/packaging/src/globalSetup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      // The consumer smoke test: the tarballs installed with npm into scratch apps outside the workspace (the registry must answer).
      {
        extends: true,
        test: {
          name: 'consumer',
          include: ['packages/packaging/src/__tests__/consumer/*.test.ts'],
          environment: 'node',
          globalSetup: ['packages/packaging/src/globalSetup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
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
