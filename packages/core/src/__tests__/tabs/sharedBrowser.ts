// The "tabs" of one browser that share one storage object, for the cross-tab tests of this folder.
import { fakeBroadcastHub, fakeDeps, fakeFetch, fakeLocks, form, type Responder, rotating, tokenResponse } from '@celonis-auth/test-utils';
import { createCelonisAuth } from '../../createCelonisAuth.js';
import { createMemoryStorage } from '../../platform/memoryStorage.js';
import { seedSession, testConfig } from '../signIn.js';

/**
 * "Tabs" of one browser: one shared storage object (so the record is shared), one lock manager,
 * one broadcast hub, one clock and one network.
 */
export function sharedBrowser(respond: Responder = rotating) {
  const env = fakeDeps();
  const storage = createMemoryStorage();
  const locks = fakeLocks();
  const hub = fakeBroadcastHub();
  let answered = 0;
  const net = fakeFetch((request) => (form(request).grant_type === 'authorization_code' ? tokenResponse(1) : respond(request, answered++)));
  const tab = () => createCelonisAuth({ ...testConfig({ storage }), deps: { ...env.deps, fetch: net.fetch, locks, broadcast: hub.open } });
  return { ...env, storage, hub, requests: net.requests, tab };
}

/** Two started tabs sharing a session whose access token expires `inMs` from now. */
export function twoTabs(inMs: number, respond?: Responder) {
  const b = sharedBrowser(respond);
  seedSession(b.storage, { expiresAt: b.clock.now() + inMs });
  const tabA = b.tab();
  const tabB = b.tab();
  tabA.start();
  tabB.start();
  return { ...b, tabA, tabB };
}
