import { CELONIS_SCOPES, isKnownCelonisScope } from '@celonis-auth/core';

/** Scopes with the Celonis description of each one that has one. */
export function ScopeList({ scopes, testId }: { scopes: readonly string[]; testId?: string }) {
  return (
    <ul className="scope-list" data-testid={testId}>
      {scopes.map((scope) => (
        <li key={scope}>
          <code>{scope}</code>
          {isKnownCelonisScope(scope) ? <span> — {CELONIS_SCOPES[scope]}</span> : null}
        </li>
      ))}
    </ul>
  );
}
