// The cleanup of unconfirmed signups on 1,000 stale accounts in DynamoDB Local: how many one run
// removes and how long it takes, and (machines being noisy) the ratio to the time it took, in the
// same run, to create those accounts with the same transactions' shape and parallelism.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { devMfaKey, localEnvironment } from '../local/stack.ts';
import { createTable } from '../local/table.ts';
import { freePort } from '../test/support/ports.ts';

const STALE = 1000;
const PARALLEL = 25;

const dynamo = await startDynamoDbLocal({ port: await freePort() });
try {
  Object.assign(
    process.env,
    localEnvironment({
      dynamoEndpoint: dynamo.endpoint,
      mailUrl: 'http://127.0.0.1:9',
      tableName: 'bench',
      apiUrl: 'http://localhost',
      mfaKey: await devMfaKey(),
    }),
    { LOG_LEVEL: 'silent' },
  );
  await createTable(new DynamoDBClient({}), 'bench', { stream: false });
  const { createUnconfirmedUser } = await import('#data/profiles.ts');
  const { cleanupUnconfirmed } = await import('../functions/jobs/cleanup-unconfirmed.ts');
  const { newToken, nowSeconds } = await import('#domain/tokens.ts');

  const now = nowSeconds();
  const createdAt = new Date((now - 30 * 24 * 3600) * 1000).toISOString();
  const seedStart = performance.now();
  for (let i = 0; i < STALE; i += PARALLEL) {
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL, STALE - i) }, (_, j) =>
        createUnconfirmedUser({
          userId: randomUUID(),
          email: `stale-${i + j}@example.com`,
          passwordHash: 'x',
          createdAt,
          confirmToken: { hash: newToken().hash, expiresAt: now },
        }),
      ),
    );
  }
  const seedMs = performance.now() - seedStart;

  const runStart = performance.now();
  const summary = await cleanupUnconfirmed({ now, retentionSeconds: 7 * 24 * 3600, shouldStop: () => false });
  const runMs = performance.now() - runStart;

  console.log(`seeded ${STALE} stale signups in ${seedMs.toFixed(0)} ms (baseline)`);
  console.log(
    `one cleanup run removed ${summary.deleted} of ${summary.examined} in ${runMs.toFixed(0)} ms ` +
      `(${(runMs / Math.max(1, summary.deleted)).toFixed(2)} ms each; ${(runMs / seedMs).toFixed(2)}x the seeding)`,
  );
  const ok = summary.deleted === STALE && !summary.stoppedEarly;
  console.log(`${ok ? 'PASS' : 'MISS'}  one run removes all ${STALE} stale signups`);
  if (!ok) process.exitCode = 1;
} finally {
  await dynamo.stop();
}
