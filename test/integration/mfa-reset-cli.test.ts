// The operator command `npm run mfa:reset`, run as an operator runs it, against this file's table.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activeAccount, login } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { keyStatus } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { mfaAccount, mfaKey } from '../support/mfa.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const mfaReset = (...args: string[]) =>
  spawnSync('npm', ['run', '--silent', 'mfa:reset', '--', ...args], {
    cwd: ROOT,
    env: process.env,
    encoding: 'utf8',
  });

describe('npm run mfa:reset', () => {
  it('turns MFA off and revokes every key of a locked-out account', async () => {
    const account = await mfaAccount(newEmail('lost-phone'));
    const key = await mfaKey(account, 0);
    const run = mfaReset(account.email.toUpperCase());
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `MFA is off for ${account.email}; 1 API key(s) revoked, 0 Google sign-in(s) unlinked`,
    );
    expect(run.stdout).toContain('The owner was mailed a notice.');
    expect((await mailsTo(account.email)).at(-1)?.subject).toBe(
      'Multi-factor authentication was reset on your Gatehouse account',
    );
    expect(await keyStatus(key)).toBe(401);
    expect((await login(account.email)).status).toBe(200);
  });

  it('says so when there is nothing to do, and explains its usage', async () => {
    const email = newEmail('plain');
    await activeAccount(email);
    const off = mfaReset(email);
    expect(off.status).toBe(1);
    expect(off.stderr).toContain(`MFA is not on for ${email}`);
    expect(mfaReset(newEmail('nobody')).status).toBe(1);
    expect(mfaReset().status).toBe(2);
    expect(mfaReset('not an address').stderr).toContain('Not an email address');
  });
});
