// The operator command `npm run deletion:retry`, run as an operator runs it, against this file's
// table and the local Step Functions stand-in (which runs the workflow in this test's process).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deletionExecutionName } from '#adapters/step-functions.ts';
import { markDeleting } from '#data/deletion.ts';
import { getUser } from '#data/profiles.ts';
import { runDeletion } from '../../local/stepfunctions.ts';
import {
  expectGone,
  FAST_RETRIES,
  failOnce,
  markedForDeletion,
  useLocalStepFunctions,
  userIdOf,
} from '../support/deletion.ts';
import { activeAccount } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';

const sfn = useLocalStepFunctions();
const ROOT = resolve(import.meta.dirname, '../..');
// Not spawnSync: the Step Functions stand-in the command calls runs in this process.
const retry = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn('npm', ['run', '--silent', 'deletion:retry', '--', ...args], {
      cwd: ROOT,
      env: process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => done({ status, stdout, stderr }));
  });

/** An account whose deletion failed at `state` (for good), as the alarm would report it. */
async function failedAt(state: string, tag: string) {
  const email = newEmail(tag);
  await activeAccount(email);
  const userId = await userIdOf(email);
  const run = await runDeletion(await markedForDeletion(userId), {
    ...FAST_RETRIES,
    wrap: failOnce(state, 'ValidationException'),
  });
  expect(run.status).toBe('FAILED');
  expect((await getUser(userId))?.status).toBe('DELETION_FAILED');
  return { email, userId };
}

describe('npm run deletion:retry', () => {
  it('shows what failed and runs the deletion again to the end, by account id', async () => {
    const account = await failedAt('Goodbye', 'retry-by-id');
    const run = await retry(account.userId);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Deletion of ${account.userId} failed at `);
    expect(run.stdout).toContain('ValidationException: Goodbye refused');
    expect(run.stdout).toContain('Deletion started again as execution');
    await sfn().settled();
    expect(
      [...sfn().executions.values()].filter((e) => e.name.startsWith(account.userId)).map((e) => e.status),
    ).toEqual(['SUCCEEDED']);
    await expectGone(account);
  });

  it('finds the account by address while the address is still held', async () => {
    const account = await failedAt('Purge', 'retry-by-email');
    const run = await retry(account.email.toUpperCase());
    expect(run.status, run.stderr).toBe(0);
    await sfn().settled();
    await expectGone(account);
  });

  it('restarts a deletion whose request never started its workflow, but not one just requested', async () => {
    for (const [tag, minutesAgo, status] of [
      ['lost', 20, 0],
      ['recent', 1, 1],
    ] as const) {
      const email = newEmail(tag);
      await activeAccount(email);
      const userId = await userIdOf(email);
      const user = await getUser(userId);
      if (!user) throw new Error('no account');
      const requested = new Date(Date.now() - minutesAgo * 60_000).toISOString();
      expect((await markDeleting(user, deletionExecutionName(userId), requested)).marked).toBe(true);
      const run = await retry(email);
      expect(run.status, run.stderr).toBe(status);
      if (status === 0) {
        expect(run.stdout).toContain(`was requested at ${requested} but never started`);
        await sfn().settled();
        await expectGone({ userId, email });
      } else {
        expect(run.stderr).toContain('its workflow is running, or was requested moments ago');
        expect((await getUser(userId))?.status).toBe('DELETING');
      }
    }
  });

  it('refuses an account that is not DELETION_FAILED, and explains its usage', async () => {
    const email = newEmail('alive');
    await activeAccount(email);
    const alive = await retry(email);
    expect(alive.status).toBe(1);
    expect(alive.stderr).toContain('is ACTIVE, not DELETION_FAILED: nothing to retry.');
    expect((await getUser(await userIdOf(email)))?.status).toBe('ACTIVE');
    expect((await retry()).status).toBe(2);
    expect((await retry('not an address')).status).toBe(2);
    expect((await retry(newEmail('nobody'))).status).toBe(1);
  });
});
