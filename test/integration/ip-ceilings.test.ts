// The per-IP ceilings of the unauthenticated routes (and of the email change, keyed). The IP's
// counter for this minute is filled as `hit` fills it, so one valid request is all it takes to
// meet the ceiling; the refused request must have spent or written nothing.

import { describe, expect, it } from 'vitest';
import type { IpScope } from '#domain/throttle.ts';
import { confirmChange, requestChange, revokeChangeLink } from '../support/email-change.ts';
import { activeAccount, call, confirm, login, signUp } from '../support/flows.ts';
import {
  callback,
  enterCode,
  googleLoginSession,
  newBrowser,
  poll,
  signInAtGoogle,
  startLogin,
  stateOf,
  useFakeGoogle,
} from '../support/google.ts';
import { form, json, newEmail, PASSWORD } from '../support/http.ts';
import { fillWindow, uniqueIp } from '../support/ips.ts';
import { bearer, keyStatus, withKey } from '../support/keys.ts';
import { mailsTo } from '../support/mail.ts';
import { resetToken } from '../support/reset.ts';
import { allItems, itemsAbout, reauthFailures } from '../support/table.ts';

const google = useFakeGoogle();

const freshIp = uniqueIp;
const profileOf = async (email: string) => (await itemsAbout(email)).find((item) => item.type === 'user');
const view = async (key: string) =>
  ((await (await call('GET', '/api/users', bearer(key))).json()) as { data: Record<string, unknown> }).data;
const NEW_PASSWORD = 'a brand new passphrase here';

interface Prepared {
  /** Path (and query) of one valid request. */
  readonly path: string;
  readonly init?: RequestInit;
  /** What must still hold once that request was refused. */
  readonly unchanged: () => Promise<void>;
}

interface Ceiling {
  readonly route: string;
  readonly method: string;
  readonly scope: IpScope;
  /** For the HTML form posts: the sentence of the page their 429 is. */
  readonly page?: string;
  readonly prepare: () => Promise<Prepared>;
}

const PRESS_AGAIN = '<p>Wait a minute, then press the button again.</p>';

/** An account signed up but not confirmed, and its confirmation link. */
async function unconfirmed(tag: string) {
  const email = newEmail(tag);
  const token = await signUp(email);
  const unchanged = async () => {
    expect(await profileOf(email)).toMatchObject({ status: 'UNCONFIRMED' });
    expect((await confirm(token)).status).toBe(200); // the link was not spent
  };
  return { token, unchanged };
}

/** An email change under way, its two links, and a check that it still is, both links unspent. */
async function pendingChange(tag: string, spend: 'confirm' | 'revoke') {
  const old = newEmail(`${tag}-from`);
  const next = newEmail(`${tag}-to`);
  const key = await activeAccount(old);
  const links = await requestChange(key, old, next);
  const unchanged = async () => {
    expect(await view(key)).toMatchObject({ email: old, pending_email: next });
    const again = spend === 'confirm' ? confirmChange(links.confirm) : revokeChangeLink(links.revoke);
    expect((await again).status).toBe(200);
  };
  return { token: links[spend], unchanged };
}

/** An account with a key and a reset link; the refused reset must leave password, key and link. */
async function resettable(tag: string) {
  const email = newEmail(tag);
  const key = await activeAccount(email);
  const token = await resetToken(email);
  const unchanged = async () => {
    expect(await keyStatus(key)).toBe(200);
    expect((await login(email, PASSWORD)).status).toBe(200);
    const reset = await call('POST', '/api/users/reset_password', json({ token, password: NEW_PASSWORD }));
    expect(reset.status).toBe(200);
  };
  return { token, unchanged };
}

const oauthSessions = async () => (await allItems()).filter((item) => item.type === 'oauth').length;

const ceilings: Ceiling[] = [
  {
    route: 'free-users',
    method: 'POST',
    scope: 'signup',
    prepare: async () => {
      const email = newEmail('signup');
      return {
        path: '/api/free_users',
        init: json({ email, password: PASSWORD }),
        unchanged: async () => {
          expect(await itemsAbout(email)).toEqual([]);
          expect(await mailsTo(email)).toEqual([]);
        },
      };
    },
  },
  {
    route: 'confirm-email',
    method: 'POST',
    scope: 'confirm',
    prepare: async () => {
      const { token, unchanged } = await unconfirmed('confirm');
      return { path: '/api/users/confirm_email', init: json({ token }), unchanged };
    },
  },
  {
    route: 'confirm-email-page',
    method: 'POST',
    scope: 'confirm',
    page: PRESS_AGAIN,
    prepare: async () => {
      const { token, unchanged } = await unconfirmed('confirm-page');
      return { path: '/confirm-email', init: form({ token }), unchanged };
    },
  },
  {
    route: 'email-change',
    method: 'POST',
    scope: 'email-change',
    prepare: async () => {
      const email = newEmail('mover');
      const next = newEmail('moved');
      const key = await activeAccount(email);
      return {
        path: '/api/users/email',
        init: withKey(key, { next_email: next, current_password: PASSWORD }),
        unchanged: async () => {
          expect(await view(key)).toMatchObject({ email, pending_email: null });
          expect(await mailsTo(next)).toEqual([]);
          // Refused before the password was checked: nothing counted against the key.
          expect(await reauthFailures(email)).toBe(0);
        },
      };
    },
  },
  {
    route: 'email-change-confirm',
    method: 'POST',
    scope: 'email-change',
    prepare: async () => {
      const { token, unchanged } = await pendingChange('confirm', 'confirm');
      return { path: '/api/users/email/confirm', init: json({ token }), unchanged };
    },
  },
  {
    route: 'email-change-revoke',
    method: 'POST',
    scope: 'email-change',
    prepare: async () => {
      const { token, unchanged } = await pendingChange('revoke', 'revoke');
      return { path: '/api/users/email/revoke', init: json({ token }), unchanged };
    },
  },
  {
    route: 'email-change-confirm-page',
    method: 'POST',
    scope: 'email-change',
    page: PRESS_AGAIN,
    prepare: async () => {
      const { token, unchanged } = await pendingChange('confirm-page', 'confirm');
      return { path: '/confirm-email-change', init: form({ token }), unchanged };
    },
  },
  {
    route: 'email-change-revoke-page',
    method: 'POST',
    scope: 'email-change',
    page: PRESS_AGAIN,
    prepare: async () => {
      const { token, unchanged } = await pendingChange('revoke-page', 'revoke');
      return { path: '/revoke-email-change', init: form({ token }), unchanged };
    },
  },
  {
    route: 'reset-password',
    method: 'POST',
    scope: 'reset',
    prepare: async () => {
      const { token, unchanged } = await resettable('reset');
      return {
        path: '/api/users/reset_password',
        init: json({ token, password: NEW_PASSWORD }),
        unchanged,
      };
    },
  },
  {
    route: 'reset-password-page',
    method: 'POST',
    scope: 'reset',
    page: '<p>Wait a minute, then try again.</p>',
    prepare: async () => {
      const { token, unchanged } = await resettable('reset-page');
      return { path: '/reset-password', init: form({ token, password: NEW_PASSWORD }), unchanged };
    },
  },
  {
    route: 'oauth-google-start',
    method: 'POST',
    scope: 'login',
    prepare: async () => {
      const before = await oauthSessions();
      return {
        path: '/api/oauth/google',
        unchanged: async () => expect(await oauthSessions()).toBe(before),
      };
    },
  },
  {
    route: 'oauth-google-callback',
    method: 'GET',
    scope: 'login',
    page: '<p>Wait a minute, then reload this page.</p>',
    prepare: async () => {
      const back = await signInAtGoogle((await startLogin()).url, newEmail('callback'));
      return {
        path: back,
        // Google's code was not exchanged: the callback still takes it.
        unchanged: async () => expect((await callback(back)).status).toBe(200),
      };
    },
  },
  {
    route: 'oauth-google-callback',
    method: 'POST',
    scope: 'login',
    page: '<p>Wait a minute, then send the code again.</p>',
    prepare: async () => {
      const started = await startLogin();
      const back = await signInAtGoogle(started.url, newEmail('terminal-code'));
      const browser = newBrowser();
      expect((await callback(back, browser)).status).toBe(200);
      const state = stateOf(back);
      return {
        path: '/oauth/google/callback',
        init: form({ state, code: started.code }),
        unchanged: async () => {
          expect((await poll(started.session)).status).toBe(204);
          expect((await enterCode(state, started.code, browser)).status).toBe(200);
        },
      };
    },
  },
  {
    route: 'oauth-google-id-token',
    method: 'POST',
    scope: 'login',
    prepare: async () => {
      const email = newEmail('id-token');
      await activeAccount(email);
      const before = await itemsAbout(email);
      const id_token = await google().signIdToken({
        sub: google().subjectOf(email),
        email,
        email_verified: true,
      });
      return {
        path: '/api/oauth/google/id_token',
        init: json({ id_token }),
        // No key, no linked identity, no mail.
        unchanged: async () => {
          expect(await itemsAbout(email)).toEqual(before);
          expect((await allItems()).filter((i) => String(i.pk).startsWith('IDENTITY#'))).toEqual([]);
          expect((await mailsTo(email)).map((m) => m.subject)).not.toContain(
            'Google sign-in added to your Gatehouse account',
          );
        },
      };
    },
  },
  {
    route: 'oauth-google-poll',
    method: 'GET',
    scope: 'oauth-poll',
    prepare: async () => {
      const email = newEmail('poll');
      await activeAccount(email);
      const { session, page } = await googleLoginSession(email);
      expect(page.status).toBe(200);
      return {
        path: `/api/oauth/google/${session}`,
        // The key was not handed out to the refused poll: the next one gets it.
        unchanged: async () => expect((await poll(session)).status).toBe(200),
      };
    },
  },
];

describe('requests per source IP, route by route', () => {
  it.each(ceilings)('$route $method answers 429 over the $scope ceiling, changing nothing', async (row) => {
    const { path, init, unchanged } = await row.prepare();
    const ip = freshIp();
    const { now, windowEnd } = await fillWindow(row.scope, ip);
    const res = await call(row.method, path, init, ip);
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(windowEnd - now);
    if (row.page) {
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('<h1>Too many attempts</h1>');
      expect(html).toContain(row.page);
    } else {
      expect(await res.json()).toEqual({ errors: { '': ['Too many requests, please try again later'] } });
    }
    await unchanged();
  });
});
