// POST /api/users/export {current_password}: everything Gatehouse keeps about the account, as one
// JSON document its owner can take elsewhere (http/export-view.ts says what is in it and what is
// never: hashes, secrets, digests). The password is asked for, counted toward the key's throttle,
// because the document is the account's whole history; the owner is mailed that it was taken.
import { listApiKeys } from '#data/api-keys.ts';
import { listEvents } from '#data/events.ts';
import { listIdentities } from '#data/identities.ts';
import { listSshKeys } from '#data/ssh-keys.ts';
import { deliver } from '#email/deliver.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import { jsonBody, string } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { EXPORT_FORMAT, exportDocument } from '#http/export-view.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin, requestTime } from '#http/request.ts';
import { audit } from '#services/audit.ts';
import { checkCurrentPassword } from '#services/reauthenticate.ts';

const nullable = (type: string) => ({ type: [type, 'null'] });

export const doc: EndpointDoc = {
  post: {
    summary: 'Export everything stored about the account, as one JSON document',
    description: `The profile, billing references (Stripe customer id, card brand and last digits), linked Google identity, API keys and SSH keys as their owner sees them, and the whole activity (audit trail, about 400 days). Never a password hash, TOTP secret, recovery code, token or key digest. Needs the current password (counted toward the throttle of the key sent); the owner is mailed. \`format\` is \`${EXPORT_FORMAT}\`.`,
    responses: {
      200: 'The account’s data',
      401: 'The current password is incorrect',
      429: 'Too many wrong passwords sent with this key lately (Retry-After says when to try again)',
    },
    data: {
      type: 'object',
      required: [
        'format',
        'exported_at',
        'account',
        'billing',
        'identities',
        'api_keys',
        'ssh_keys',
        'activity',
      ],
      additionalProperties: false,
      properties: {
        format: { type: 'string', const: EXPORT_FORMAT },
        exported_at: { type: 'string', format: 'date-time' },
        account: {
          type: 'object',
          description:
            'id, email, status, tier, credit_cents, created_at, email_confirmed_at, pending_email, previous_email, mfa {enabled, enabled_at, recovery_codes_left}',
        },
        billing: {
          type: 'object',
          properties: {
            stripe_customer_id: nullable('string'),
            payment_method: nullable('object'),
            failed_invoices: { type: 'array', items: { type: 'string' } },
          },
        },
        identities: {
          type: 'array',
          items: { type: 'object', description: 'provider, subject, email (at the provider), linked_at' },
        },
        api_keys: {
          type: 'array',
          items: { type: 'object', description: 'As GET /api/api_keys lists them' },
        },
        ssh_keys: {
          type: 'array',
          items: { type: 'object', description: 'As GET /api/ssh_keys lists them' },
        },
        activity: {
          type: 'array',
          items: {
            type: 'object',
            description: 'Every stored event, oldest first: event, at, ip, user_agent, detail',
          },
        },
      },
    },
  },
};

export const app = createApp().post(
  '/api/users/export',
  requireApiKey,
  jsonBody({ current_password: string(1024) }),
  async (c) => {
    const { user } = c.var;
    const now = requestNow(c);
    const origin = requestOrigin(c);
    const passed = await checkCurrentPassword(user, c.var.keyId, c.var.body.current_password, now, origin.ip);
    const [apiKeys, sshKeys, identities, events] = await Promise.all([
      listApiKeys(user.userId),
      listSshKeys(user.userId),
      listIdentities(user.userId),
      listEvents(user.userId),
      passed.succeed(),
    ]);
    const document = exportDocument(
      { user, apiKeys, sshKeys, identities, events },
      requestTime(c).at,
      c.var.keyId,
    );
    await Promise.all([
      audit({ name: 'account.exported', userId: user.userId, ...origin }, now),
      deliver('notice', user.email, ['accountExportedNotice', new Date(now * 1000)]),
    ]);
    return c.json({ data: document });
  },
);

export const handler = handle(app);
