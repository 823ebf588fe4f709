// GET /console/keys: the account's API keys and console sessions, as `gatehouse account:api_keys`
// lists them; POST: revoke one (`id`), or every key but this browser's (`others`). Each revocation
// takes effect on the next request, and is recorded as at the API.
import { type ApiKeyListing, listApiKeys, revokeApiKey, revokeOtherApiKeys } from '#data/api-keys.ts';
import { hasExpired, looksLikeKeyId } from '#domain/api-keys.ts';
import { createApp } from '#http/app.ts';
import { formBody, optionalString, string } from '#http/body.ts';
import {
  CONSOLE,
  clearSession,
  consolePage,
  formTokenField,
  LOGIN_PAGE,
  NEW_KEY_PAGE,
  requireConsoleSession,
  requireConsoleSessionWith,
  SIGNED_IN_PAGE,
  seeOther,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { audit, auditItem, auditLog } from '#services/audit.ts';
import { escapeHtml } from '#shared/html.ts';

const PATH = `${CONSOLE}/keys`;
const when = (seconds: number | undefined) =>
  seconds === undefined ? 'never' : new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ');

function keyRow(key: ApiKeyListing, current: boolean, token: string, now: number): string {
  const label = key.name ?? 'Login (CLI or API)';
  const used =
    key.lastUsedAt === undefined
      ? 'not yet'
      : `${when(key.lastUsedAt)} UTC${key.lastIp ? ` from ${key.lastIp}` : ''}`;
  return `<tr><td>${escapeHtml(label)}${current ? ' <strong>(this browser)</strong>' : ''}</td>
<td>${key.scope}${hasExpired(key.expiresAt, now) ? ', <strong>expired</strong>' : ''}</td>
<td>${escapeHtml(used)}</td>
<td><form method="post" action="${PATH}">${token}<input type="hidden" name="id" value="${escapeHtml(key.keyId)}"><button type="submit" class="link" aria-label="Revoke ${escapeHtml(label)} made ${escapeHtml(key.createdAt.slice(0, 16))}">Revoke</button></form></td></tr>`;
}

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: API keys and sessions',
    description:
      'Every key of the account (name, scope, last use), this browser’s session marked; each with a revoke button.',
    query: { revoked: { description: 'How many keys the last post revoked, to say so' } },
    responses: {
      200: 'The list',
      ...SIGNED_IN_PAGE,
    },
    html: true,
  },
  post: {
    summary: 'The web console: revoke a key, or every key but this browser’s',
    description:
      '`id` revokes that key (this browser’s own signs it out); `others` revokes every key but this browser’s (“sign out everywhere else”). Then back to the list.',
    responses: {
      303: 'Revoked: to the list (or, for this browser’s own session, to /console/login); or no live session',
      400: 'The form is malformed: no form token, neither or both of id and others',
      403: 'Not posted from this console (another site, or another session’s form token); or an operator suspended the account',
      404: 'The account has no key with this id',
    },
    html: true,
  },
};

export const app = createApp()
  // The listing is read with the session's key: one round trip.
  .get(PATH, requireConsoleSessionWith(listApiKeys), async (c) => {
    const { sessionKey, sessionRecord, alongside: listed } = c.var;
    const now = requestNow(c);
    const token = formTokenField(sessionKey);
    const revoked = Number(c.req.query('revoked'));
    const said =
      Number.isInteger(revoked) && revoked >= 0 ? `<p role="status">${revoked} key(s) revoked.</p>\n` : '';
    return c.html(
      consolePage(
        c,
        'API keys and sessions',
        `${said}<table class="facts"><thead><tr><th scope="col">Key</th><th scope="col">Scope</th><th scope="col">Last used</th><th scope="col"><span class="muted">Action</span></th></tr></thead><tbody>
${listed.map((k) => keyRow(k, k.keyId === sessionRecord.keyId, token, now)).join('\n')}
</tbody></table>
<form method="post" action="${PATH}">${token}<input type="hidden" name="others" value="1">
<p><button type="submit">Sign out everywhere else</button></p></form>
<p><a href="${NEW_KEY_PAGE}">Create a named key</a> for a machine (CI, a deploy script).</p>
<p class="muted">Revoking a key stops it at its next request.</p>`,
        c.var.signedIn,
      ),
    );
  })
  .post(
    PATH,
    formBody({ form_token: string(64), id: optionalString(36), others: optionalString(1) }),
    requireConsoleSession,
    async (c) => {
      const { id, others } = c.var.body;
      const { user, sessionRecord, sessionKey } = c.var;
      const now = requestNow(c);
      const origin = requestOrigin(c);
      if ((id === undefined) === (others === undefined))
        return c.html(
          consolePage(c, 'Nothing was revoked', '<p>Press one of the buttons on the list.</p>', {
            email: user.email,
            sessionKey,
          }),
          400,
        );
      if (others !== undefined) {
        const event = (count: number) =>
          ({
            name: 'api_key.revoked',
            userId: user.userId,
            ...origin,
            detail: { count, via: 'console-others' },
          }) as const;
        const count = await revokeOtherApiKeys(user.userId, sessionRecord.keyId, undefined, (n) =>
          auditItem(event(n), now),
        );
        auditLog(event(count));
        return seeOther(c, `${PATH}?revoked=${count}`);
      }
      if (!id || !looksLikeKeyId(id) || !(await revokeApiKey(user.userId, id)))
        return c.html(
          consolePage(c, 'No such key', '<p>It was revoked already, or is not this account’s.</p>', {
            email: user.email,
            sessionKey,
          }),
          404,
        );
      await audit(
        { name: 'api_key.revoked', userId: user.userId, ...origin, detail: { keyId: id, via: 'console' } },
        now,
      );
      if (id === sessionRecord.keyId) {
        clearSession(c);
        return seeOther(c, LOGIN_PAGE);
      }
      return seeOther(c, `${PATH}?revoked=1`);
    },
  );

export const handler = handle(app);
