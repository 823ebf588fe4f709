// DELETE /api/ssh_keys {id}: the key goes, and its fingerprint is free again.
import { describe, expect, it } from 'vitest';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer, withKey } from '../support/keys.ts';
import { newSshKey } from '../support/ssh.ts';
import { itemsAbout } from '../support/table.ts';

describe('DELETE /api/ssh_keys', () => {
  it('removes the key by id, frees its fingerprint, and answers 404 for another account’s id', async () => {
    const email = newEmail('ssh-remove');
    const key = await activeAccount(email);
    const other = await activeAccount(newEmail('ssh-remove-other'));
    const line = newSshKey();
    const added = await call('POST', '/api/ssh_keys', withKey(key, { ssh_key: line }));
    const { id } = ((await added.json()) as { data: { id: string } }).data;
    // Someone else's id: not theirs to remove.
    const foreign = await call('DELETE', '/api/ssh_keys', withKey(other, { id }));
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ errors: { '': ['No SSH key of that id on this account.'] } });
    const res = await call('DELETE', '/api/ssh_keys', withKey(key, { id }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: 'The SSH key is removed.' } });
    expect(await (await call('GET', '/api/ssh_keys', bearer(key))).json()).toEqual({ data: [] });
    expect((await call('DELETE', '/api/ssh_keys', withKey(key, { id }))).status).toBe(404);
    expect((await itemsAbout(email)).find((i) => i.type === 'user')).toMatchObject({ sshKeyCount: 0 });
    // Free for any account again.
    expect((await call('POST', '/api/ssh_keys', withKey(other, { ssh_key: line }))).status).toBe(201);
  });
});
