// POST /console/logout: the console's sign-out button. The session's key is revoked (like
// DELETE /api/api_keys/current) and its cookie dropped.
import { revokeKey } from '#data/api-keys.ts';
import { createApp } from '#http/app.ts';
import { formBody, string } from '#http/body.ts';
import { clearSession, LOGIN_PAGE, requireConsoleSession, seeOther } from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { auditItem, auditLog } from '#services/audit.ts';

export const doc: EndpointDoc = {
  post: {
    summary: 'The web console: sign out',
    description:
      'Revokes the session’s key (it is listed with the other keys until then) and drops its cookie.',
    responses: {
      303: 'Signed out, or no live session: to /console/login',
      400: 'The form is malformed (no form token)',
      403: 'Not posted from this console (another site, or a form token of another session); or an operator suspended the account',
    },
    html: true,
  },
};

export const app = createApp().post(
  '/console/logout',
  formBody({ form_token: string(64) }),
  requireConsoleSession,
  async (c) => {
    const now = requestNow(c);
    const record = c.var.sessionRecord;
    const event = {
      name: 'api_key.revoked',
      userId: record.userId,
      ...requestOrigin(c),
      detail: { keyId: record.keyId, via: 'console-logout' },
    } as const;
    if (await revokeKey(record, [auditItem(event, now)])) auditLog(event);
    clearSession(c);
    return seeOther(c, LOGIN_PAGE);
  },
);

export const handler = handle(app);
