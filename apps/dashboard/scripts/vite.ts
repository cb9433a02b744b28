// `pnpm build` / `pnpm preview` for the dashboard. Run under tsx with the @celonis-auth/source
// condition and Vite's native config loader, so vite.config.ts can import the relay from the
// workspace's TypeScript source (nothing needs building first).
// Flags: --outDir DIR (build and preview), --port N (preview).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const { positionals, values } = parseArgs({ allowPositionals: true, options: { outDir: { type: 'string' }, port: { type: 'string' } } });
const outDir = values.outDir ? { build: { outDir: values.outDir, emptyOutDir: true } } : {};
if (positionals[0] === 'build') {
  await build({ root, configLoader: 'native', ...outDir });
} else if (positionals[0] === 'preview') {
  const server = await preview({
    root,
    configLoader: 'native',
    ...outDir,
    ...(values.port ? { preview: { port: Number(values.port), strictPort: true } } : {}),
  });
  server.printUrls();
} else {
  console.error('usage: vite.ts build|preview [--outDir DIR] [--port N]');
  process.exit(2);
}
