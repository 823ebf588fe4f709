// GET /console: the signed-in console's front page: the account as `gatehouse account` shows it.
import type { Account } from '#domain/account.ts';
import { createApp } from '#http/app.ts';
import { cardSentence } from '#http/card-view.ts';
import {
  ADDRESS_PAGE,
  CARD_PAGE,
  CONSOLE,
  consolePage,
  MFA_PAGE,
  requireConsoleSession,
  tierLimits,
  UPGRADE_PAGE,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { escapeHtml } from '#shared/html.ts';

const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

const row = (label: string, value: string) => `<tr><th scope="row">${label}</th><td>${value}</td></tr>`;

function accountTable(user: Account): string {
  return `<table class="facts">
${row('Email', `${escapeHtml(user.email)} <a href="${ADDRESS_PAGE}">Change</a>`)}
${user.pendingEmail ? row('Changing to', `${escapeHtml(user.pendingEmail)} <span class="muted">(waiting for its confirmation link)</span>`) : ''}
${row('Tier', user.tier === 'FREE' ? `FREE <a href="${UPGRADE_PAGE}">Upgrade to STANDARD</a>` : user.tier)}
${row('Limits', escapeHtml(tierLimits(user.tier)))}
${row('Credit', dollars(user.creditCents))}
${row('Multi-factor authentication', `${user.mfaEnabled ? `On <span class="muted">(${user.mfaRecoveryCodes?.size ?? 0} recovery codes left)</span>` : 'Off'} <a href="${MFA_PAGE}">${user.mfaEnabled ? 'Manage' : 'Turn on'}</a>`)}
${row('Card', user.paymentMethod ? `${escapeHtml(cardSentence(user.paymentMethod))} <a href="${CARD_PAGE}">Change</a>` : `None <a href="${CARD_PAGE}">Add a card</a>`)}
${(user.failedInvoices?.size ?? 0) > 0 ? row('Billing', `<strong>A payment failed: <a href="${CARD_PAGE}">update your card</a>.</strong>`) : ''}
${row('Member since', escapeHtml(user.createdAt.slice(0, 10)))}
</table>`;
}

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: the account',
    description:
      'Address, tier and its limits, credit, MFA, an address change under way. Needs a console session (the cookie set by /console/login), used within the idle timeout.',
    responses: {
      200: 'The account page',
      303: 'No live session (none, revoked, expired or idle): to /console/login',
      403: 'An operator suspended the account: a page says so',
    },
    html: true,
  },
};

export const app = createApp().get(CONSOLE, requireConsoleSession, (c) =>
  c.html(consolePage(c, 'Your account', accountTable(c.var.user), c.var.signedIn)),
);

export const handler = handle(app);
