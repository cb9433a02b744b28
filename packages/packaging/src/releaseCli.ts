// `pnpm release`: build, check and publish (see releasePlan.ts). Never runs a step without the confirmation.
import { spawnSync } from 'node:child_process';
import { describeStep, releasePlan } from './releasePlan.js';
import { ROOT } from './workspace.js';

const plan = releasePlan(process.argv.slice(2), process.env);
if (plan.kind === 'refused') {
  console.error(plan.message);
  for (const step of plan.steps) console.error(`  ${describeStep(step)}    # ${step.why}`);
  process.exit(1);
}
for (const step of plan.steps) {
  console.log(`\n> ${describeStep(step)}    # ${step.why}`);
  const { status } = spawnSync(step.command, step.args, { cwd: ROOT, stdio: 'inherit' });
  if (status !== 0) {
    console.error(`\n${describeStep(step)} exited ${status}: the release stopped here${plan.dryRun ? '' : '; nothing after it ran'}.`);
    process.exit(status ?? 1);
  }
}
console.log(plan.dryRun ? '\nDry run done: nothing was uploaded.' : '\nReleased. Push the tags: git push --follow-tags');
