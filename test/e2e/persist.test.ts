// `npm start -- --persist <dir>` keeps DynamoDB data between runs; without it, data is gone.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { basic, json, newEmail, PASSWORD } from '../support/http.ts';
import { npmStart, type RunningStack } from '../support/npm-start.ts';

let running: RunningStack | undefined;
afterEach(() => running?.kill());

const CONFIRM_FIRST = /confirm your email address first/;

async function signUpThenRestart(args: string[]): Promise<{ email: string; loginBody: string }> {
  const email = newEmail('persist');
  running = await npmStart(args);
  const signup = await fetch(`${running.api}/api/free_users`, {
    method: 'POST',
    ...json({ email, password: PASSWORD }),
  });
  expect(signup.status).toBe(200);
  await running.stop();

  running = await npmStart(args, { dynamoPort: running.dynamoPort });
  const login = await fetch(`${running.api}/api/login`, {
    headers: { authorization: basic(email, PASSWORD) },
  });
  expect(login.status).toBe(401);
  const loginBody = await login.text();
  await running.stop();
  return { email, loginBody };
}

describe('npm start --persist', () => {
  it('keeps accounts across a restart', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gatehouse-persist-')), 'data');
    const { loginBody } = await signUpThenRestart(['--persist', dir]);
    // The account is still there: the right password meets "confirm first", not the generic 401.
    expect(loginBody).toMatch(CONFIRM_FIRST);
  });

  it('forgets them without it', async () => {
    const { loginBody } = await signUpThenRestart([]);
    expect(loginBody).not.toMatch(CONFIRM_FIRST);
    expect(JSON.parse(loginBody)).toEqual({ errors: { '': ['Invalid credentials'] } });
  });
});
