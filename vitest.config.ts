import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '@contract': resolve(__dirname, 'contract') };
const env = { STAGE: 'test', LINLI_COUNT_CALLS: '1', RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '100000', TZ: 'UTC' };

export default defineConfig({
  test: {
    // After the backend tests, each function's IAM role is checked against the calls its code made.
    reporters: ['default', './tests/support/iam-reporter.ts'],
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'backend',
          include: ['tests/domain/**/*.test.ts', 'tests/api/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          setupFiles: ['tests/support/setup-env.ts'],
          env,
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'ui',
          // Browser journeys share two cores with DynamoDB Local and Chromium: one file at a time.
          poolOptions: { forks: { singleFork: true } },
          // A journey that times out on a loaded two-core machine gets one more try; a real
          // failure fails twice.
          retry: 1,
          include: ['tests/ui/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          setupFiles: ['tests/support/setup-env.ts'],
          env,
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // The stack `npm start` runs (serverless-offline, its own DynamoDB Local), under load:
          // it brings its own database and its own limits, and one file at a time.
          name: 'stack',
          include: ['tests/stack/**/*.test.ts'],
          poolOptions: { forks: { singleFork: true } },
          env: { TZ: 'UTC' },
          pool: 'forks',
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
