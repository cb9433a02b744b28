// @celonis-auth/server/redis: the Redis session store. It imports nothing from `redis` at runtime;
// the user creates the node-redis client (an optional peer dependency) and passes it in.
export { createRedisSessionStore, DEFAULT_REDIS_COMMAND_TIMEOUT_MS, DEFAULT_REDIS_KEY_PREFIX } from './redisSessionStore.js';
export type { RedisSessionStoreOptions } from './redisSessionStore.js';
export type { RedisSessionStoreClient } from './redisCommand.js';
export { SessionStoreUnavailableError } from '../sessionStore/sessionStore.js';
export type { SessionStore, SessionStoreLock } from '../sessionStore/sessionStore.js';
