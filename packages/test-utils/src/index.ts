// @celonis-auth/test-utils (private): the fakes and helpers every package's tests share. It depends
// on no workspace package: its fakes are typed by shape (platformShapes.ts), not by the core's types.
export { callbackFor } from './callbackFor.js';
export { deferred } from './deferred.js';
export { fakeBroadcastHub } from './fakeBroadcastHub.js';
export { fakeClock } from './fakeClock.js';
export type { FakeClock } from './fakeClock.js';
export { fakeDeps } from './fakeDeps.js';
export { fakeFetch, form, isTokenRequest } from './fakeFetch.js';
export type { Responder, SeenRequest } from './fakeFetch.js';
export { fakeLocks } from './fakeLocks.js';
export { fakePage } from './fakePage.js';
export type { FakePage } from './fakePage.js';
export { fakeTimers } from './fakeTimers.js';
export type { FakeTimers } from './fakeTimers.js';
export { flakyStorage } from './flakyStorage.js';
export { freePort } from './freePort.js';
export { inspectableStorage } from './inspectableStorage.js';
export { modulesLoadedBy } from './loadedModules.js';
export { memoryStorage } from './memoryStorage.js';
export { messagesOf } from './messagesOf.js';
export type { BroadcastLike, FakePlatform, LocksLike, StorageLike, TimerLike } from './platformShapes.js';
export { rejection } from './rejection.js';
export { startRedisServer } from './redisServer.js';
export type { RedisServer, RedisServerOptions } from './redisServer.js';
export { json, oauthError, rotating, tokenResponse } from './responses.js';
export { runTimersFor, settle } from './settle.js';
export { CLIENT_ID, REDIRECT_URI, TEAM_URL, TOKEN_ENDPOINT } from './testConstants.js';
