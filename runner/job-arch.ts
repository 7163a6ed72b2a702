import type { StepContext } from './types.js';

/**
 * The arch a job builds or tests for: its matrix `arch`, else this runner's own, under the naming
 * of the job's packages (rpm: x86_64, aarch64; deb: amd64, arm64).
 */
export function jobArch(context: Pick<StepContext, 'job' | 'host'>, naming: 'rpm' | 'deb'): string {
  const { arch } = context.job.matrix;
  if (typeof arch === 'string' && arch !== '') return arch;
  return naming === 'deb' ? context.host.debArch : context.host.rpmArch;
}
