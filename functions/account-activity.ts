// GET /api/users/events: the account's own activity, newest first, 50 a page: logins (how, from
// where, with which second factor), each day's failed logins as one counted row, keys made and
// revoked, password, address, MFA, SSH key and billing changes. From the audit items stored under
// the account (kept about 400 days); never a secret.
import { eventsPage } from '#data/events.ts';
import {
  ACTIVITY_DATA,
  ACTIVITY_EVENTS,
  ACTIVITY_PAGE,
  activityView,
  decodeCursor,
  encodeCursor,
} from '#http/activity-view.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';

export const doc: EndpointDoc = {
  get: {
    summary: 'The account’s own activity, newest first',
    description: `${ACTIVITY_PAGE} events a page; \`next_cursor\`, when not null, is the \`cursor\` of the next page. A UTC day's failed logins are one row with their count, first among that day's events. Events are kept about 400 days.`,
    query: { cursor: { description: 'next_cursor of the page before; absent: the newest page' } },
    responses: {
      200: 'A page of events, and where the next starts',
      400: 'cursor is not one this endpoint answered',
    },
    data: {
      type: 'object',
      required: ['events', 'next_cursor'],
      additionalProperties: false,
      properties: {
        events: { type: 'array', maxItems: ACTIVITY_PAGE, items: ACTIVITY_DATA },
        next_cursor: { type: ['string', 'null'], description: 'null: this is the last page' },
      },
    },
  },
};

// The cursor is the last event's sort key, base64url: opaque to clients, checked on the way back,
// and only ever read under the account of the key that sends it.
export const app = createApp().get('/api/users/events', requireApiKey, async (c) => {
  const raw = c.req.query('cursor');
  const page = await eventsPage(
    c.var.user.userId,
    ACTIVITY_EVENTS,
    ACTIVITY_PAGE,
    raw === undefined ? undefined : decodeCursor(raw),
  );
  return c.json({
    data: { events: page.events.map(activityView), next_cursor: page.next ? encodeCursor(page.next) : null },
  });
});

export const handler = handle(app);
