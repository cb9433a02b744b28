// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Tests, their support files and the packages that only serve tests.
const TESTS = ['**/__tests__/**', '**/*.test.{ts,tsx}', 'apps/*/e2e/**', 'packages/test-utils/**', 'packages/integration/**'];

// DESIGN.md §6: private fields are #x, not TypeScript's `private`.
const NO_TS_PRIVATE = {
  selector: ':matches(PropertyDefinition, MethodDefinition, TSParameterProperty)[accessibility="private"]',
  message: 'Use a #private field or method (DESIGN.md §6).',
};

export default defineConfig(
  globalIgnores(['**/dist/', '**/node_modules/', '**/coverage/', '**/test-artifacts/', '**/.vite/']),
  // A disable comment for a rule that is off, or that no longer reports, is an error: each one must mean something.
  { linterOptions: { reportUnusedDisableDirectives: 'error', reportUnusedInlineConfigs: 'error' } },

  js.configs.recommended,
  // Type-aware rules from the one root tsconfig.json: the project service builds a single program for the whole workspace.
  tseslint.configs.recommendedTypeChecked,
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
  // Plain JS (this file) is in no tsconfig: no type information there.
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] },

  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // A leading underscore marks a binding kept on purpose, e.g. `const { client_id: _omitted, ...rest } = ...`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // Off: an `async` function without `await` is how this code base implements a Promise-returning interface
      // (fakes, test clients) and turns a synchronous throw into a rejection; the rule only asks to rewrite those.
      '@typescript-eslint/require-await': 'off',
      // DESIGN.md §6: no I-prefixed interfaces.
      '@typescript-eslint/naming-convention': ['error', { selector: 'interface', format: null, custom: { regex: '^I[A-Z]', match: false } }],
      'no-restricted-syntax': ['error', NO_TS_PRIVATE],
    },
  },

  // DESIGN.md §6: named exports only in package and app source. Tool entry points (vite configs, vitest global setup) stay outside src/.
  {
    files: ['packages/*/src/**/*.{ts,tsx}', 'apps/*/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        NO_TS_PRIVATE,
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only (DESIGN.md §6).' },
        { selector: 'ExportSpecifier[exported.name="default"]', message: 'Named exports only (DESIGN.md §6).' },
      ],
    },
  },

  {
    files: ['packages/react/src/**/*.{ts,tsx}', 'apps/dashboard/src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    rules: {
      // `pnpm lint` runs with --max-warnings 0 anyway; an error says so in the editor too.
      'react-hooks/exhaustive-deps': 'error',
    },
  },

  {
    files: TESTS,
    rules: {
      // Vitest's asymmetric matchers (expect.any, expect.objectContaining, ...) are typed `any`, and negative
      // tests call APIs with ill-typed input on purpose (@ts-expect-error): the no-unsafe-* rules only see noise here.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['packages/react/src/**/__tests__/**/*.{ts,tsx}'],
    rules: {
      // Test components hand values out of render (render counters, a grabbed hook result) on purpose.
      'react-hooks/globals': 'off',
      'react-hooks/immutability': 'off',
    },
  },
);
