/** One command of a release. */
export interface ReleaseStep {
  /** What it is for, printed before it runs. */
  why: string;
  command: string;
  args: string[];
}

/** What `pnpm release` will do, or why it will not. */
export type ReleasePlan = { kind: 'refused'; message: string; steps: ReleaseStep[] } | { kind: 'release'; dryRun: boolean; steps: ReleaseStep[] };

/** The flag that confirms a real publish; the environment may say it instead (for CI). */
export const CONFIRM_FLAG = '--yes-publish';
export const CONFIRM_ENV = 'CELONIS_AUTH_RELEASE';

/**
 * The release of the packages `pnpm changeset version` has versioned: the lockfile as committed,
 * every check of `pnpm test` (build, publint, attw, the consumer smoke test, the API reference,
 * the docs), then `pnpm publish -r` (which packs each package through its prepack, rewrites
 * `workspace:` ranges, and skips versions already on the registry), then git tags.
 *
 * Refused unless `argv` holds `--yes-publish` or `env.CELONIS_AUTH_RELEASE` is `publish`, except
 * with `--dry-run`, which pnpm passes on to publish: it packs and reports, and uploads nothing.
 * Other arguments (`--tag next`, `--otp 123456`) go to `pnpm publish -r`.
 */
export function releasePlan(argv: readonly string[], env: Record<string, string | undefined>): ReleasePlan {
  const dryRun = argv.includes('--dry-run');
  const confirmed = argv.includes(CONFIRM_FLAG) || env[CONFIRM_ENV] === 'publish';
  const publishArgs = argv.filter((arg) => arg !== CONFIRM_FLAG);
  const steps: ReleaseStep[] = [
    { why: 'the dependencies exactly as the lockfile has them', command: 'pnpm', args: ['install', '--frozen-lockfile'] },
    { why: 'every check: types, lint, format, tests, publint, attw, the consumer smoke test, typedoc, the docs', command: 'pnpm', args: ['test'] },
    {
      why: 'publish every public package not yet on the registry (prepack builds each)',
      command: 'pnpm',
      args: ['publish', '-r', '--access', 'public', ...publishArgs],
    },
    ...(dryRun ? [] : [{ why: 'a git tag per published version', command: 'pnpm', args: ['changeset', 'git-tag'] }]),
  ];
  if (!confirmed && !dryRun)
    return {
      kind: 'refused',
      message: `pnpm release publishes to the registry and cannot be undone. Nothing was run.\nRun it as \`pnpm release ${CONFIRM_FLAG}\` (or with ${CONFIRM_ENV}=publish), or try \`pnpm release --dry-run\` first. It would run:`,
      steps,
    };
  return { kind: 'release', dryRun, steps };
}

/** `pnpm publish -r --access public`, for printing. */
export function describeStep(step: ReleaseStep): string {
  return `${step.command} ${step.args.join(' ')}`;
}
