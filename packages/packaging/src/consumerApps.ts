import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeBlocks, type CodeBlock } from './codeBlocks.js';
import type { Tarball } from './packTarballs.js';
import { readJson, ROOT, type Manifest } from './workspace.js';

/** A scratch app outside the workspace: its folder and what `npm install` puts in it. */
export interface ConsumerApp {
  name: string;
  dir: string;
}

/** The version a workspace manifest pins for `dependency`, so the scratch apps install what the repository tests. */
function pinned(manifestPath: string, dependency: string): string {
  const manifest = readJson<Manifest>(`${ROOT}${manifestPath}`);
  const version = manifest.dependencies?.[dependency] ?? manifest.devDependencies?.[dependency];
  if (!version) throw new Error(`${manifestPath} pins no ${dependency}`);
  return version;
}

/** The README block the smoke test uses as a file of a scratch app. */
function readmeBlock(file: string, pick: (block: CodeBlock) => boolean, what: string): string {
  const block = codeBlocks(file).find(pick);
  if (!block) throw new Error(`${file} has no ${what}`);
  return block.code;
}

/** The React README's quick start: the first complete tsx block. */
export const reactQuickStart = () => readmeBlock('packages/react/README.md', (b) => b.lang === 'tsx' && b.flags.length === 0, 'complete tsx quick start');
/** The server README's quick start: the Node script marked run. */
export const serverQuickStart = () => readmeBlock('packages/server/README.md', (b) => b.flags.includes('run'), 'quick start marked run');

function fileDependencies(tarballs: readonly Tarball[], names: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    names.map((name) => {
      const tarball = tarballs.find((t) => t.name === name);
      if (!tarball) throw new Error(`${name} was not packed`);
      return [name, `file:${tarball.file}`];
    }),
  );
}

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

// What a Vite + React template's tsconfig sets, strict; skipLibCheck off so our declarations are checked too.
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    module: 'ESNext',
    moduleResolution: 'bundler',
    jsx: 'react-jsx',
    strict: true,
    noEmit: true,
    isolatedModules: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    types: [],
  },
  include: ['src'],
};

/** A Vite + React app of React `major` (19, or 18 for the low end of the peer range) whose src/main.tsx is the React README's quick start. */
export function writeReactApp(dir: string, major: 18 | 19, tarballs: readonly Tarball[]): ConsumerApp {
  const react =
    major === 19
      ? { react: pinned('packages/react/package.json', 'react'), 'react-dom': pinned('packages/react/package.json', 'react-dom') }
      : { react: pinned('apps/react18-compat/package.json', 'react'), 'react-dom': pinned('apps/react18-compat/package.json', 'react-dom') };
  const types =
    major === 19
      ? { '@types/react': pinned('packages/react/package.json', '@types/react'), '@types/react-dom': pinned('packages/react/package.json', '@types/react-dom') }
      : { '@types/react': '^18.3.0', '@types/react-dom': '^18.3.0' };
  write(dir, {
    'package.json': JSON.stringify({
      name: `consumer-react${major}`,
      private: true,
      type: 'module',
      dependencies: {
        ...fileDependencies(tarballs, ['@celonis-auth/core', '@celonis-auth/react']),
        ...react,
        'react-router': pinned('packages/react/package.json', 'react-router'),
      },
      devDependencies: {
        ...types,
        '@vitejs/plugin-react': pinned('apps/dashboard/package.json', '@vitejs/plugin-react'),
        typescript: pinned('package.json', 'typescript'),
        vite: pinned('package.json', 'vite'),
      },
    }),
    'tsconfig.json': JSON.stringify(TSCONFIG),
    'index.html': '<!doctype html>\n<html><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>\n',
    'vite.config.js':
      "import react from '@vitejs/plugin-react';\nimport { defineConfig } from 'vite';\n\nexport default defineConfig({ plugins: [react()] });\n",
    'src/main.tsx': reactQuickStart(),
  });
  return { name: `react${major}`, dir };
}

/** A plain Node ESM app with the server, the core and the emulator; token.mjs is the server README's quick start. */
export function writeNodeApp(dir: string, tarballs: readonly Tarball[]): ConsumerApp {
  write(dir, {
    'package.json': JSON.stringify({
      name: 'consumer-node',
      private: true,
      type: 'module',
      dependencies: fileDependencies(tarballs, ['@celonis-auth/core', '@celonis-auth/server', '@celonis-auth/emulator']),
    }),
    'token.mjs': serverQuickStart(),
    // The browser core constructed where there is no window, as in server rendering.
    'core-in-node.mjs':
      "import { createCelonisAuth } from '@celonis-auth/core';\n\n" +
      "const auth = createCelonisAuth({ teamUrl: 'https://acme.eu-1.celonis.cloud', clientId: 'my-portal', redirectUri: 'https://portal.example.com/callback', scopes: ['studio'] });\n" +
      'console.log(auth.store.getState().status);\n',
  });
  return { name: 'node', dir };
}
