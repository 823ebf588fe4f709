// GET /console/activity: the account's own activity as GET /api/users/events shows it (the same
// events, the same facts), newest first, 50 a page, with a link to the next page.
import { createMiddleware } from 'hono/factory';
import { eventsPage } from '#data/events.ts';
import {
  ACTIVITY_EVENTS,
  ACTIVITY_PAGE,
  activityView,
  decodeCursor,
  encodeCursor,
} from '#http/activity-view.ts';
import { createApp } from '#http/app.ts';
import { ACTIVITY_PAGE_PATH, consolePage, requireConsoleSessionWith, SIGNED_IN_PAGE } from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { escapeHtml } from '#shared/html.ts';

/** What each event says to its owner. */
const SAID: Readonly<Record<string, string>> = {
  signup: 'Signed up',
  'email.confirmed': 'Confirmed the address',
  'login.succeeded': 'Signed in',
  'login.failed': 'Failed sign-in',
  'api_key.minted': 'Got a key (sign-in)',
  'api_key.created': 'Made a named key',
  'api_key.revoked': 'Revoked keys',
  'api_key.reset': 'Reset the API key',
  'password.changed': 'Changed the password',
  'password.reset': 'Reset the password',
  'email.change_requested': 'Asked to change the address',
  'email.changed': 'Changed the address',
  'email.change_revoked': 'Undid an address change',
  'mfa.enabled': 'Turned MFA on',
  'mfa.disabled': 'Turned MFA off',
  'mfa.recovery_codes_regenerated': 'Made new recovery codes',
  'mfa.recovery_code_used': 'Used a recovery code',
  'mfa.failed': 'Wrong MFA codes',
  'ssh_key.added': 'Added an SSH key',
  'ssh_key.removed': 'Removed an SSH key',
  'identity.linked': 'Linked a sign-in provider',
  'billing.payment_method_set': 'Set the card',
  'billing.upgraded': 'Upgraded to STANDARD',
  'account.exported': 'Exported the account',
  'account.suspended': 'Suspended by an operator',
  'account.unsuspended': 'Unsuspended by an operator',
  'account.tier_set': 'Tier set by an operator',
  'account.credited': 'Credit changed by an operator',
  'account.deletion_requested': 'Asked to delete the account',
};

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function row(view: ReturnType<typeof activityView>): string {
  const details = Object.entries(view.details)
    .map(([k, v]) => `${k.replaceAll('_', ' ')}: ${String(v)}`)
    .join(', ');
  const count =
    view.count !== undefined && view.count > 1
      ? ` (${view.count} times, from ${when(view.first_at ?? view.at)})`
      : '';
  return `<tr><td>${escapeHtml(when(view.at))}</td><td>${escapeHtml(SAID[view.event] ?? view.event)}${escapeHtml(count)}${details ? `<br><span class="muted">${escapeHtml(details)}</span>` : ''}</td><td>${escapeHtml(view.ip ?? '')}</td></tr>`;
}

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: the account’s activity',
    description: `As GET /api/users/events: the account’s own events, newest first, ${ACTIVITY_PAGE} a page; a UTC day's failed sign-ins are one row with their count.`,
    query: { cursor: { description: 'Where the next page starts (the page’s “Older” link)' } },
    responses: {
      200: 'A page of the activity',
      400: 'cursor is not one this page gave',
      ...SIGNED_IN_PAGE,
    },
    html: true,
  },
};

// The cursor is checked before anything is read; the page goes with the session key's reads.
const cursorParam = createMiddleware<{ Variables: { cursor: string | undefined } }>(async (c, next) => {
  const raw = c.req.query('cursor');
  let cursor: string | undefined;
  try {
    cursor = raw === undefined ? undefined : decodeCursor(raw);
  } catch {
    return c.html(
      consolePage(
        c,
        'No such page',
        `<p>This link is not one the activity gave. <a href="${ACTIVITY_PAGE_PATH}">The newest activity</a></p>`,
      ),
      400,
    );
  }
  c.set('cursor', cursor);
  await next();
});

export const app = createApp().get(
  ACTIVITY_PAGE_PATH,
  cursorParam,
  requireConsoleSessionWith((userId, c) =>
    eventsPage(userId, ACTIVITY_EVENTS, ACTIVITY_PAGE, c.get('cursor' as never) as string | undefined),
  ),
  (c) => {
    const { alongside: page } = c.var;
    const rows = page.events.map((e) => row(activityView(e)));
    return c.html(
      consolePage(
        c,
        'Activity',
        `${
          rows.length
            ? `<table class="facts"><thead><tr><th scope="col">When (UTC)</th><th scope="col">What</th><th scope="col">From</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>`
            : '<p>Nothing yet.</p>'
        }
${page.next ? `<p><a href="${ACTIVITY_PAGE_PATH}?cursor=${encodeCursor(page.next)}">Older</a></p>` : ''}
<p class="muted">Events are kept about 400 days. Something you did not do? Change your password and revoke your keys.</p>`,
        c.var.signedIn,
      ),
    );
  },
);

export const handler = handle(app);
