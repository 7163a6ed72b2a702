import type { Command } from 'commander';
import type { Job, Plan } from '../../plan/types.js';
import { CliError, EXIT } from '../exit-codes.js';
import { eventOption, refOption } from '../trigger-options.js';

interface PlanOptions {
  event?: string;
  ref?: string;
  json?: boolean;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description(
      'show the jobs a push would run: the matrix expanded into build, test, sign and publish jobs',
    )
    .argument('[path]', 'a .albs.yml, or the directory that holds one', '.')
    .addOption(eventOption())
    .addOption(refOption())
    .option('--json', 'print the plan as JSON on stdout')
    .addHelpText(
      'after',
      `
Without --event/--ref, a directory at the top of a git work tree plans for the tag HEAD is at,
else for its branch; any other directory plans for branch main.

Examples:
  $ albs plan examples/hello-c
  $ albs plan examples/hello-c --event tag --ref v1.0 --json`,
    )
    .action(async (path: string, options: PlanOptions) => {
      const [{ readConfig }, { resolveTrigger }, { buildPlan }] = await Promise.all([
        import('../read-config.js'),
        import('../resolve-trigger.js'),
        import('../../plan/build-plan.js'),
      ]);
      const { found, result } = await readConfig(path);
      if (result.config === null) {
        process.exitCode = EXIT.failed;
        return;
      }
      const trigger = await resolveTrigger(found.dir, options).catch((error: unknown) => {
        throw error instanceof CliError ? error : new CliError(String(error), EXIT.usage, { cause: error });
      });
      const plan = buildPlan(result.config, trigger);
      process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
    });
}

function formatPlan(plan: Plan): string {
  const head = `${plan.trigger.event} ${plan.trigger.ref}`;
  if (plan.skipped) return `${head}: no pipeline: ${plan.skipped.reason}\n`;
  const rows = plan.jobs.map((job: Job) => [
    job.id,
    job.name,
    job.runsOn.length ? job.runsOn.join(',') : '(any)',
    job.needs.length ? job.needs.join(' ') : '-',
  ]);
  const table = [['JOB', 'NAME', 'RUNS-ON', 'NEEDS'], ...rows];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const lines = table.map((r) =>
    r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '),
  );
  const counts = (['build', 'test', 'sign', 'publish'] as const)
    .map((stage) => [stage, plan.jobs.filter((j) => j.stage === stage).length] as const)
    .filter(([, n]) => n > 0)
    .map(([stage, n]) => `${n} ${stage}`);
  return `${head}: ${plan.jobs.length} jobs (${counts.join(', ')})\n${lines.join('\n')}\n`;
}
