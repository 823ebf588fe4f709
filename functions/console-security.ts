// GET /console/security: the account's security at a glance, each with the page that changes it
// (password, address, MFA, API keys and sessions, SSH keys). Each of those is a route of its own,
// with only the access its change needs.
import { createApp } from '#http/app.ts';
import {
  ADDRESS_PAGE,
  CONSOLE,
  consolePage,
  DELETE_PAGE,
  KEYS_PAGE,
  MFA_PAGE,
  requireConsoleSession,
  SECURITY_PAGE,
  SIGNED_IN_PAGE,
  SSH_KEYS_PAGE,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { escapeHtml } from '#shared/html.ts';

const row = (label: string, value: string, href: string, action: string) =>
  `<tr><th scope="row">${label}</th><td>${value} <a href="${href}">${action}</a></td></tr>`;

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: security',
    description:
      'Password, address, MFA, API keys and sessions, SSH keys: each with the page that changes it.',
    responses: {
      200: 'The page',
      ...SIGNED_IN_PAGE,
    },
    html: true,
  },
};

export const app = createApp().get(SECURITY_PAGE, requireConsoleSession, (c) => {
  const { user } = c.var;
  const mfa = user.mfaEnabled
    ? `On <span class="muted">(${user.mfaRecoveryCodes?.size ?? 0} recovery codes left)</span>`
    : 'Off';
  return c.html(
    consolePage(
      c,
      'Security',
      `<table class="facts">
${row('Password', '', `${CONSOLE}/password`, 'Change the password')}
${row('Address', `${escapeHtml(user.email)}${user.pendingEmail ? ` <span class="muted">(changing to ${escapeHtml(user.pendingEmail)})</span>` : ''}`, ADDRESS_PAGE, 'Change the address')}
${row('Multi-factor authentication', mfa, MFA_PAGE, user.mfaEnabled ? 'Manage MFA' : 'Turn MFA on')}
${row('API keys and sessions', '', KEYS_PAGE, 'Keys and sessions')}
${row('SSH keys', '', SSH_KEYS_PAGE, 'SSH keys')}
${row('The account', '', DELETE_PAGE, 'Delete the account')}
</table>`,
      c.var.signedIn,
    ),
  );
});

export const handler = handle(app);
