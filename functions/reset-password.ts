// POST /api/users/reset_password {token, password}: sets the password with a reset link (API form
// of the page's form). No automatic login: the user logs in with the new password.
import { PASSWORD_RESET } from '#domain/messages.ts';
import { createApp } from '#http/app.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { resetWithToken } from '#services/password-reset.ts';

export const doc: EndpointDoc = {
  post: {
    summary: 'Set a new password with a reset link',
    description:
      "The API form of the /reset-password page: `token` is the link's `token` parameter. The link is spent, every API key of the account is revoked, linked Google sign-ins are unlinked, the source that set it keeps its own login budget from then on (strangers’ failed logins do not hold it up), an unconfirmed address is confirmed, and a notice is mailed. No key is returned: log in with the new password.",
    responses: {
      200: 'The password is set: `message` says to log in with it',
      400: 'The token is malformed, unknown, used already, replaced by a newer link or expired; or the password is shorter than 12 or longer than 256 characters, contains the address or the product name, is a common password, or appeared in a data breach',
      429: 'Over 30 reset requests a minute from this IP, links asked for and links used together (Retry-After says when to try again)',
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().post(
  '/api/users/reset_password',
  jsonBody({ token: string(128), password: string(1024) }),
  async (c) => {
    await resetWithToken(c.var.body.token, c.var.body.password, requestNow(c), requestOrigin(c));
    return c.json({ data: { message: PASSWORD_RESET } });
  },
);

export const handler = handle(app);
