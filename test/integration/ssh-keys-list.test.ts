// GET /api/ssh_keys: the account's own keys, oldest first.
import { describe, expect, it } from 'vitest';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer, withKey } from '../support/keys.ts';
import { newSshKey } from '../support/ssh.ts';

describe('GET /api/ssh_keys', () => {
  it('lists the account’s keys, oldest first, and no one else’s', async () => {
    const key = await activeAccount(newEmail('ssh-list'));
    const other = await activeAccount(newEmail('ssh-list-other'));
    const empty = await call('GET', '/api/ssh_keys', bearer(key));
    expect(await empty.json()).toEqual({ data: [] });
    const lines = [newSshKey('first'), newSshKey('second')];
    for (const ssh_key of lines)
      expect((await call('POST', '/api/ssh_keys', withKey(key, { ssh_key }))).status).toBe(201);
    expect((await call('POST', '/api/ssh_keys', withKey(other, { ssh_key: newSshKey() }))).status).toBe(201);
    const { data } = (await (await call('GET', '/api/ssh_keys', bearer(key))).json()) as {
      data: { key: string }[];
    };
    expect(data.map((k) => k.key)).toEqual(lines);
  });
});
