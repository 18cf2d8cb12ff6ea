/**
 * The order test files start in: the longest first (by their last run's duration, else their size), across projects —
 * vitest's own order runs project after project, which left a long file to start last and finish alone. While the e2e
 * bundle is being built (LAMBDA_COLDSTART_BUILDING, see e2e/global-setup.ts), the e2e files go after the others: they
 * would only wait for it.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const cache = this.ctx.cache;
    const building = process.env['LAMBDA_COLDSTART_BUILDING'] !== undefined;
    const weight = (spec: TestSpecification): number => {
      const key = `${spec.project.name}:${relative(this.ctx.config.root, spec.moduleId)}`;
      // a file without a past run: its size in bytes, as ~1 ms of test each
      return cache.getFileTestResults(key)?.duration ?? cache.getFileStats(key)?.size ?? 0;
    };
    const waits = (spec: TestSpecification): number => (building && spec.project.name === 'e2e' ? 1 : 0);
    return [...files].sort(
      (a, b) => a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder || waits(a) - waits(b) || weight(b) - weight(a),
    );
  }
}
