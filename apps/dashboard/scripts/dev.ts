// `pnpm dev`: the emulator on 127.0.0.1:8787 (unless VITE_CELONIS_TEAM_URL points at a real team)
// and the dashboard's Vite dev server on 127.0.0.1:5173, stopped together with Ctrl-C.
// `pnpm dev --relay` signs in with the emulator's confidential `portal` client through a token relay.
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';

const relay = process.argv.includes('--relay');
let emulator: RunningEmulator | undefined;
if (!process.env.VITE_CELONIS_TEAM_URL) {
  try {
    emulator = await startEmulator({ port: 8787 });
  } catch (error) {
    console.error(`Cannot start the emulator on 127.0.0.1:8787 (${(error as Error).message}). Is another one running?`);
    process.exit(1);
  }
  process.env.VITE_CELONIS_TEAM_URL = emulator.url;
}
if (relay) {
  process.env.VITE_CELONIS_CLIENT_ID ??= 'portal';
  process.env.VITE_CELONIS_TOKEN_ENDPOINT ??= '/api/celonis/token';
  process.env.CELONIS_RELAY_CLIENT_SECRET ??= 'portal-secret';
}

const server = await createServer({ root: fileURLToPath(new URL('..', import.meta.url)), configLoader: 'native' });
await server.listen();
console.log(
  `\n  Celonis team   ${process.env.VITE_CELONIS_TEAM_URL}${emulator ? ' (emulator: analyst@example.com / analyst, viewer@example.com / viewer)' : ''}`,
);
console.log(`  Client         ${process.env.VITE_CELONIS_CLIENT_ID ?? 'dashboard'}${relay ? ' via the token relay at /api/celonis/token' : ''}`);
console.log('  Dashboard      http://localhost:5173/  (press Ctrl-C to stop)\n');

const stop = async () => {
  await server.close();
  await emulator?.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
