import type { ConfigProblem } from '../configProblem.js';

/**
 * Shown instead of the portal when its configuration cannot work (createCelonisAuth refused it):
 * which variable, what it holds and how to fix it, where a blank page would otherwise be.
 */
export function ConfigErrorPage({ problem }: { problem: ConfigProblem }) {
  const { variable, value } = problem;
  return (
    <main id="main" className="landing">
      <section className="card error-page" aria-labelledby="config-error-title">
        <p className="eyebrow">Celonis Portal</p>
        <h1 id="config-error-title">The portal is not set up correctly</h1>
        {variable ? (
          <p data-testid="config-variable">
            <code>{variable}</code> {describeValue(value)}
          </p>
        ) : (
          <p>The portal cannot sign in with its current settings.</p>
        )}
        <p className="next-step">{problem.fix}</p>
        <p className="muted">
          The <code>VITE_CELONIS_*</code> variables are read when <code>pnpm dev</code> starts and when the portal is built (from the environment, or from{' '}
          <code>apps/dashboard/.env.local</code>): restart <code>pnpm dev</code> or rebuild after changing one.
        </p>
        <details className="details">
          <summary>Details</summary>
          <dl className="facts">
            <dt>Error code</dt>
            <dd>
              <code>{problem.code}</code>
            </dd>
            <dt>Message</dt>
            <dd data-testid="error-message">{problem.detail}</dd>
          </dl>
        </details>
      </section>
    </main>
  );
}

function describeValue(value: string | undefined): string {
  if (value === undefined) return 'is not set, and its default does not work here.';
  if (value.trim() === '') return 'is set but empty.';
  return `is set to "${value}", which does not work.`;
}
