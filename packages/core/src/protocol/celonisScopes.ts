/**
 * The Celonis OAuth 2.0 scopes with their descriptions: the 15 of the vendor's scope table, and
 * `studio`, which the page names in its prose ("the scope studio that gives access to Studio").
 *
 * Scopes never grant permissions beyond what the client or user already has; they only narrow
 * what a token may be used for. Celonis may add scopes at any time, so APIs that take scopes
 * accept any valid scope token too (see {@link CelonisScope}).
 *
 * @example
 * ```ts
 * CELONIS_SCOPES['audit.log:read'] // 'Gives read-only access to audit logs.'
 * ```
 */
export const CELONIS_SCOPES = {
  studio: 'Gives access to Studio.',
  'intelligence.knowledge-models:read':
    'Allows read access to Knowledge Models and their data, filters, records, KPIs, OData metadata, specs, and triggers (based on granted permissions).',
  'intelligence.subscriptions:manage':
    'Allows managing subscriptions to Knowledge Model triggers, including creation, updates, and event replay, based on granted permissions.',
  'intelligence.conversations:write': 'Gives access to Studio Copilot conversational API.',
  'user-provisioning.scim': 'Gives access to the SCIM API.',
  'audit.log:read': 'Gives read-only access to audit logs.',
  'integration.data-pools': 'Gives access to data pools.',
  'integration.data-pools:data_push': 'Gives access to push data to data pools.',
  'integration.data-pools:continuous_data_push': 'Gives access to continuously push data to data pools.',
  'platform-adoption.tracking-events:read': 'Gives read-only access to platform-adoption tracking-events.',
  'team.user-group-info:read': 'Gives read-only access to team user and group information.',
  'team.login-history:read': 'Gives read-only access to team login history.',
  'task-mining.gateway': 'Gives access to Task Mining Gateway integration API.',
  'task-mining.metadata:read': 'Gives read-only access to Task Mining user metadata.',
  'action-engine.projects': 'Gives access to projects.',
  'machine-learning': 'Gives access to Machine Learning Workbench API.',
} as const satisfies Record<string, string>;

/** A scope named on the Celonis page: the literal union of {@link CELONIS_SCOPES}' keys. */
export type KnownCelonisScope = keyof typeof CELONIS_SCOPES;

/**
 * Settings of this library's types, filled in by module augmentation (as TanStack Router's
 * `Register`). Empty by default. `strictScopes: true` makes {@link CelonisScope} exactly
 * {@link KnownCelonisScope}, so a scope string that is not on the Celonis page is a type error.
 * Types only: nothing changes at run time (the core still accepts any valid scope token).
 *
 * @example
 * ```ts
 * // celonis-auth.d.ts (any file of your app that TypeScript includes)
 * import '@celonis-auth/core'
 * declare module '@celonis-auth/core' {
 *   interface Register {
 *     strictScopes: true
 *   }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface users augment; an empty one is the point
export interface Register {}

/**
 * A scope accepted by this library: one of the documented Celonis scopes (with editor
 * completion) or any other RFC 6749 §3.3 scope token, since Celonis adds scopes over time.
 * With `strictScopes: true` in {@link Register}, only the documented ones.
 */
export type CelonisScope = Register extends { strictScopes: true } ? KnownCelonisScope : KnownCelonisScope | (string & {});

/** Whether `scope` is one of the scopes documented on the Celonis page. */
export function isKnownCelonisScope(scope: string): scope is KnownCelonisScope {
  return Object.prototype.hasOwnProperty.call(CELONIS_SCOPES, scope);
}
