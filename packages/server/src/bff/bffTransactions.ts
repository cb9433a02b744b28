import { parseJson } from '@celonis-auth/core/protocol';
import { sha256Base64url } from './bffIds.js';
import { TRANSACTION_TTL_SECONDS } from './bffCookies.js';
import type { BffSettings } from './bffSettings.js';

/** A login under way, kept server-side (sealed) from `/auth/login` to its callback. */
export interface LoginTransaction {
  /** SHA-256 of the transaction cookie's value: the callback must come from the browser that started the login. */
  binding: string;
  codeVerifier: string;
  /** A same-origin path. */
  returnTo: string;
  /** The scopes asked for. */
  scopes: string[];
  createdAt: number;
}

/** Where the transaction of `state` is stored: under its hash, so the store holds no usable state. */
export function transactionKey(state: string): string {
  return `txn:${sha256Base64url(state)}`;
}

/** Stores `transaction` for `state`, sealed, for {@link TRANSACTION_TTL_SECONDS}. */
export async function saveTransaction(settings: BffSettings, state: string, transaction: LoginTransaction): Promise<void> {
  const key = transactionKey(state);
  await settings.store.set(key, settings.sealer.seal(JSON.stringify(transaction), key), TRANSACTION_TTL_SECONDS * 1000);
}

/** The transaction of `state`, or `null` when there is none, or it is unreadable, malformed or too old. */
export async function readTransaction(settings: BffSettings, state: string): Promise<LoginTransaction | null> {
  const key = transactionKey(state);
  const sealed = await settings.store.get(key);
  const text = sealed === null ? null : settings.sealer.open(sealed, key);
  const transaction = text === null ? undefined : parseTransaction(text);
  if (!transaction || settings.now() - transaction.createdAt > TRANSACTION_TTL_SECONDS * 1000) return null;
  return transaction;
}

/** Deletes the transaction of `state`: a callback is single use. */
export async function deleteTransaction(settings: BffSettings, state: string): Promise<void> {
  await settings.store.delete(transactionKey(state));
}

function parseTransaction(text: string): LoginTransaction | undefined {
  const t = parseJson(text) as Partial<Record<keyof LoginTransaction, unknown>> | null | undefined;
  if (typeof t !== 'object' || t === null) return undefined;
  const { binding, codeVerifier, returnTo, scopes, createdAt } = t;
  if (typeof binding !== 'string' || typeof codeVerifier !== 'string' || typeof returnTo !== 'string' || typeof createdAt !== 'number') return undefined;
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string')) return undefined;
  return { binding, codeVerifier, returnTo, scopes: scopes, createdAt };
}
