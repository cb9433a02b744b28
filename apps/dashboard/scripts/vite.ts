// `pnpm build` / `pnpm preview` for the dashboard. Run under tsx with the @celonis-auth/source
// condition and Vite's native config loader, so vite.config.ts can import the relay from the
// workspace's TypeScript source (nothing needs building first).
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const command = process.argv[2];
if (command === 'build') {
  await build({ root, configLoader: 'native' });
} else if (command === 'preview') {
  const server = await preview({ root, configLoader: 'native' });
  server.printUrls();
} else {
  console.error('usage: vite.ts build|preview');
  process.exit(2);
}
