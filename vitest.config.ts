import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { RUN_ID, responseLog } from './test/support/response-log.ts';

export default defineConfig({
  test: {
    restoreMocks: true,
    // Files of every project share these workers (a plain `vitest run`, as `npm test` runs it).
    // Most of a test's time is spent waiting (DynamoDB Local, the 300 ms response floors, child
    // processes), so at least 4 files run at once, even on 2 cores (Vitest's default: cores - 1).
    maxWorkers: Math.max(4, availableParallelism()),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/support/unit-env.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/local-services.ts', 'test/support/response-log.ts'],
          setupFiles: ['test/support/integration-env.ts'],
          env: { GATEHOUSE_RESPONSE_LOG: responseLog('integration') },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/response-log.ts'],
          env: { GATEHOUSE_RESPONSE_LOG: responseLog('e2e') },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          // After integration and e2e: judges the answers they logged (a plain `vitest run`, as
          // npm test runs it, starts this group only once the others are done).
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
          sequence: { groupOrder: 1 },
          // Tells the contract test which logs this very process wrote (test/support/response-log.ts).
          provide: { vitestRun: RUN_ID },
        },
      },
    ],
  },
});
