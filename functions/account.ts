// GET /api/users: the account's status as the CLI shows it (`gatehouse account`).
import { type Account, isActive } from '#domain/account.ts';
import { TIER_LIMITS } from '#domain/tiers.ts';
import { createApp } from '#http/app.ts';
import { requireApiKey } from '#http/auth.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';

export const accountView = (user: Account) => ({
  email: user.email,
  tier: user.tier,
  credit_cents: user.creditCents,
  email_confirmed: isActive(user),
  mfa_enabled: user.mfaEnabled,
  mfa_recovery_codes_left: user.mfaRecoveryCodes?.size ?? 0,
  pending_email: user.pendingEmail,
  /** An invoice stands unpaid after a payment attempt (Stripe webhooks). */
  payment_failed: (user.failedInvoices?.size ?? 0) > 0,
  created_at: user.createdAt,
  limits: TIER_LIMITS[user.tier],
});

export const doc: EndpointDoc = {
  get: {
    summary: "The account's status",
    description:
      'What `gatehouse account` shows: the address, tier and its limits, credit, MFA, an address change under way, unpaid invoices.',
    responses: { 200: 'The account' },
    data: {
      type: 'object',
      required: [
        'email',
        'tier',
        'credit_cents',
        'email_confirmed',
        'mfa_enabled',
        'mfa_recovery_codes_left',
        'pending_email',
        'payment_failed',
        'created_at',
        'limits',
      ],
      additionalProperties: false,
      properties: {
        email: { type: 'string', format: 'email' },
        tier: { type: 'string', enum: ['FREE', 'STANDARD'] },
        credit_cents: { type: 'integer' },
        email_confirmed: { type: 'boolean' },
        mfa_enabled: { type: 'boolean' },
        mfa_recovery_codes_left: { type: 'integer', minimum: 0 },
        pending_email: {
          type: ['string', 'null'],
          description: 'The new address of an email change waiting for confirmation',
        },
        payment_failed: { type: 'boolean', description: 'An invoice stands unpaid after a payment attempt' },
        created_at: { type: 'string', format: 'date-time' },
        limits: {
          type: 'object',
          description: 'What the tier allows; null is no limit',
          required: ['instances', 'instance_memory_gb', 'databases', 'database_rows'],
          additionalProperties: false,
          properties: {
            instances: { type: ['integer', 'null'] },
            instance_memory_gb: { type: ['number', 'null'] },
            databases: { type: ['integer', 'null'] },
            database_rows: { type: ['integer', 'null'] },
          },
        },
      },
    },
  },
};

export const app = createApp().get('/api/users', requireApiKey, (c) =>
  c.json({ data: accountView(c.var.user) }),
);

export const handler = handle(app);
