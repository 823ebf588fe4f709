// POST /api/ssh_keys: one checked key per call, one account per key, at most 50, the owner mailed.
import { describe, expect, it } from 'vitest';
import { MAX_SSH_KEYS_PER_ACCOUNT } from '#data/ssh-keys.ts';
import { parseSshPublicKey } from '#domain/ssh-keys.ts';
import { activeAccount, call } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { bearer, withKey } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { newSshKey } from '../support/ssh.ts';
import { itemsAbout } from '../support/table.ts';

const add = (key: string, ssh_key: string) => call('POST', '/api/ssh_keys', withKey(key, { ssh_key }));
const list = async (key: string) =>
  ((await (await call('GET', '/api/ssh_keys', bearer(key))).json()) as { data: { id: string }[] }).data;

describe('POST /api/ssh_keys', () => {
  it('adds a key with its fingerprint and comment, and mails the owner', async () => {
    const email = newEmail('ssh');
    const key = await activeAccount(email);
    const line = newSshKey('me@laptop');
    const res = await add(key, `${line}\n`);
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: Record<string, unknown> };
    expect(data).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      key: line,
      type: 'ssh-ed25519',
      fingerprint: parseSshPublicKey(line).fingerprint,
      comment: 'me@laptop',
      created_at: expect.stringMatching(/^\d{4}-/),
    });
    expect(await list(key)).toEqual([data]);
    const notice = (await mailsTo(email)).at(-1);
    expect(notice?.subject).toBe('An SSH key was added to your Gatehouse account');
    expect(notice?.body.text).toContain(String(data.fingerprint));
  });

  it('refuses a bad key with what is wrong, and stores nothing', async () => {
    const email = newEmail('ssh-bad');
    const key = await activeAccount(email);
    const res = await add(
      key,
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errors: { ssh_key: ['is a private key: add the public one (the .pub file), and keep this one secret'] },
    });
    expect((await add(key, `${newSshKey()}\n${newSshKey()}`)).status).toBe(400);
    expect((await itemsAbout(email)).filter((i) => String(i.sk).startsWith('SSHKEY#'))).toEqual([]);
  });

  it('gives a key to one account only: again on the same one, or on another, is a 409', async () => {
    const mine = await activeAccount(newEmail('ssh-mine'));
    const theirs = await activeAccount(newEmail('ssh-theirs'));
    const line = newSshKey();
    expect((await add(mine, line)).status).toBe(201);
    const again = await add(mine, line.replace(/ me@laptop$/, ' another comment'));
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ errors: { '': ['This key is on your account already.'] } });
    const other = await add(theirs, line);
    expect(other.status).toBe(409);
    expect(await other.json()).toEqual({
      errors: { '': ['This key belongs to another account: each key may belong to one account only.'] },
    });
    expect(await list(theirs)).toEqual([]);
  });

  it(`holds at most ${MAX_SSH_KEYS_PER_ACCOUNT} keys, however many are added at once`, async () => {
    const key = await activeAccount(newEmail('ssh-many'));
    const statuses = (
      await Promise.all(Array.from({ length: MAX_SSH_KEYS_PER_ACCOUNT + 5 }, () => add(key, newSshKey())))
    ).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(MAX_SSH_KEYS_PER_ACCOUNT);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true);
    expect(await list(key)).toHaveLength(MAX_SSH_KEYS_PER_ACCOUNT);
    const full = await add(key, newSshKey());
    expect(await full.json()).toEqual({
      errors: { '': [`An account holds at most ${MAX_SSH_KEYS_PER_ACCOUNT} SSH keys: remove one first.`] },
    });
  });
});
