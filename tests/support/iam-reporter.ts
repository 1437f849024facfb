/**
 * After the backend tests: does each Lambda function's role in serverless.yml allow exactly the
 * DynamoDB actions its code issued in them (tests/support/iam.ts)? A missing action fails any
 * run; an action a role allows but none of its functions used fails a complete, passing run.
 * A reporter because it must see every worker's calls, after the last test file has finished.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { CALLS_DIR_ENV, checkRoles, readDeployment, readUsage } from './iam';

export default class IamReporter implements Reporter {
  private vitest?: Vitest;
  private dir = '';

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    this.dir = mkdtempSync(join(tmpdir(), 'linli-iam-'));
    // Read by the workers, which the pool starts after this with a copy of process.env.
    process.env[CALLS_DIR_ENV] = this.dir;
  }

  async onTestRunEnd(modules: readonly TestModule[], _errors: unknown, reason: 'passed' | 'interrupted' | 'failed'): Promise<void> {
    const backend = this.vitest?.projects.find((project) => project.name === 'backend');
    const ran = new Set(modules.filter((m) => m.project.name === 'backend').map((m) => m.moduleId));
    try {
      if (!backend || ran.size === 0) return;
      const { testFiles } = await backend.globTestFiles();
      const all = testFiles.every((file) => ran.has(file));
      const complete = reason === 'passed' && all;
      const usage = readUsage(this.dir);
      const problems = checkRoles(readDeployment(), usage, { complete });
      if (all && !complete) {
        // Failed tests may have stopped before some calls: unused grants are shown, not judged.
        const missing = new Set(checkRoles(readDeployment(), usage, { complete: false }));
        const unused = checkRoles(readDeployment(), usage, { complete: true }).filter((p) => !missing.has(p));
        if (unused.length) console.log(`\n IAM  (not judged: some tests failed)\n${unused.map((p) => `   - ${p}`).join('\n')}`);
      }
      const scope = complete ? 'all backend tests' : `${ran.size} of ${testFiles.length} backend test files (unused grants not judged)`;
      if (problems.length === 0) {
        console.log(`\n IAM  every function's role allows what its code issued in ${scope} (${usage.size} functions)\n`);
        return;
      }
      console.error(`\n IAM  serverless.yml roles do not match the DynamoDB calls of ${scope}:\n${problems.map((p) => `   - ${p}`).join('\n')}\n`);
      process.exitCode = 1;
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
