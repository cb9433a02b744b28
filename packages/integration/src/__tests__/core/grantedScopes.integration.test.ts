import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@celonis-auth/emulator';
import { insufficientScopeError } from '@celonis-auth/core';
import { createClient, grants, signIn } from './emulatorHarness.js';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

it('grants the viewer only studio; the audit API answers 403 insufficient_scope; step-up still yields no audit scope', async () => {
  const client = createClient(emulator, { scopes: ['studio', 'audit.log:read'] });
  const { auth } = client;
  await signIn(client, emulator, { username: 'viewer@example.com' });

  // Granted scopes come from the token response, narrower than requested.
  expect(auth.store.getState()).toMatchObject({ status: 'authenticated', scopes: ['studio'] });
  expect(auth.hasScopes(['studio'])).toBe(true);
  expect(auth.hasScopes(['audit.log:read'])).toBe(false);
  expect(auth.hasScopes(['studio', 'audit.log:read'], 'any')).toBe(true);

  const res = await auth.fetch('/audit-log/api/events');
  expect(res.status).toBe(403);
  const error = insufficientScopeError(res);
  expect(error).toMatchObject({ code: 'insufficient_scope', status: 403, oauthError: 'insufficient_scope', requiredScopes: ['audit.log:read'] });
  // A 403 is the caller's to handle: no refresh, no retry.
  expect(emulator.requests('api')).toHaveLength(1);
  expect(grants(emulator, 'refresh_token')).toEqual([]);

  // Step-up asks for the scope the API named; the viewer's permissions still do not include it.
  await signIn(client, emulator, { username: 'viewer@example.com', login: { scopes: error!.requiredScopes! } });
  const stepUp = new URL(client.tab.navigations[1]!);
  expect(stepUp.searchParams.get('scope')).toBe('studio audit.log:read');
  expect(auth.store.getState()).toMatchObject({ status: 'authenticated', scopes: ['studio'] });
  expect(auth.hasScopes(['audit.log:read'])).toBe(false);
  expect((await auth.fetch('/audit-log/api/events')).status).toBe(403);
  expect(grants(emulator, 'authorization_code').map((r) => r.status)).toEqual([200, 200]);
});

it('step-up for the analyst adds the scope, and the audit API then answers 200', async () => {
  const client = createClient(emulator, { scopes: ['studio'] });
  await signIn(client, emulator);
  expect(client.auth.hasScopes(['audit.log:read'])).toBe(false);
  const denied = insufficientScopeError(await client.auth.fetch('/audit-log/api/events'));
  await signIn(client, emulator, { login: { scopes: denied!.requiredScopes! } });
  expect(client.auth.store.getState().scopes).toEqual(['studio', 'audit.log:read']);
  expect(client.auth.hasScopes(['audit.log:read'])).toBe(true);
  expect((await client.auth.fetch('/audit-log/api/events')).status).toBe(200);
});
