// GET and POST /console/ssh-keys: the account's SSH keys from the console, by the API's rules.
import { describe, expect, it } from 'vitest';
import { parseSshPublicKey } from '#domain/ssh-keys.ts';
import { escapeHtml } from '#shared/html.ts';
import { get, post, signedInOn } from '../support/console.ts';
import { call } from '../support/flows.ts';
import { bearer } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { newSshKey } from '../support/ssh.ts';
import { suspended } from '../support/suspension.ts';

const PAGE = '/console/ssh-keys';

const signedIn = (tag: string) => signedInOn(PAGE, tag);

const apiKeys = async (key: string) =>
  (
    (await (await call('GET', '/api/ssh_keys', bearer(key))).json()) as {
      data: { id: string; fingerprint: string }[];
    }
  ).data;

describe('/console/ssh-keys', () => {
  it('adds a key (the owner mailed), lists it with its fingerprint, and removes it', async () => {
    const { email, key, cookies, token } = await signedIn('cssh');
    expect(await (await get(PAGE, cookies)).text()).toContain('No SSH keys yet.');
    const line = newSshKey('me@console');
    const { fingerprint } = parseSshPublicKey(line);
    const added = await post(PAGE, { form_token: token, ssh_key: `${line}\r\n` }, cookies);
    expect(added.status).toBe(303);
    const listed = await get(added.headers.get('location') ?? '', cookies);
    const text = await listed.text();
    expect(text).toContain(`<p role="status">Added the key ${escapeHtml(fingerprint)}.</p>`);
    expect(text).toContain(`<code>${escapeHtml(fingerprint)}</code>`);
    expect(text).toContain('me@console');
    expect((await mailsTo(email)).at(-1)?.body.text).toContain(fingerprint);
    const [stored] = await apiKeys(key);
    expect(stored?.fingerprint).toBe(fingerprint);

    const removed = await post(PAGE, { form_token: token, remove: stored?.id ?? '' }, cookies);
    expect(removed.status).toBe(303);
    expect(await (await get(removed.headers.get('location') ?? '', cookies)).text()).toContain(
      '<p role="status">The key is removed.</p>',
    );
    expect(await apiKeys(key)).toEqual([]);
    const again = await post(PAGE, { form_token: token, remove: stored?.id ?? '' }, cookies);
    expect(again.status).toBe(404);
  });

  it('says next to the field why a key is refused (400, 409), keeping what was pasted', async () => {
    const { cookies, token } = await signedIn('cssh-bad');
    const bad = await post(PAGE, { form_token: token, ssh_key: 'ssh-ed25519 not-base64' }, cookies);
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toMatch(/id="ssh_key-problem" role="alert">[^<]+\./);
    expect(text).toContain('>ssh-ed25519 not-base64</textarea>');
    const other = await signedIn('cssh-other');
    const line = newSshKey();
    expect((await post(PAGE, { form_token: other.token, ssh_key: line }, other.cookies)).status).toBe(303);
    const taken = await post(PAGE, { form_token: token, ssh_key: line }, cookies);
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain(
      'role="alert">This key belongs to another account: each key may belong to one account only.',
    );
    expect((await post(PAGE, { form_token: token }, cookies)).status).toBe(400);
  });

  it('refuses another site, no session and a suspended account', async () => {
    const { email, cookies, token } = await signedIn('cssh-refused');
    expect(
      (
        await post(PAGE, { form_token: token, ssh_key: newSshKey() }, cookies, {
          'sec-fetch-site': 'cross-site',
        })
      ).status,
    ).toBe(403);
    expect((await get(PAGE)).status).toBe(303);
    expect((await post(PAGE, { form_token: token, ssh_key: newSshKey() })).status).toBe(303);
    await suspended(email);
    expect((await get(PAGE, cookies)).status).toBe(403);
  });
});
