// GET /api/users: the account's status as the CLI shows it (`gatehouse account`).
import { handle } from 'hono/aws-lambda';
import type { User } from '#lib/data/users.ts';
import { TIER_LIMITS } from '#lib/domain/tiers.ts';
import { createApp } from '#lib/http/app.ts';
import { requireApiKey } from '#lib/http/auth.ts';

export const accountView = (user: User) => ({
  email: user.email,
  tier: user.tier,
  credit_cents: user.creditCents,
  email_confirmed: user.status === 'ACTIVE',
  mfa_enabled: user.mfaEnabled,
  mfa_recovery_codes_left: user.mfaRecoveryCodes?.size ?? 0,
  pending_email: user.pendingEmail,
  /** An invoice stands unpaid after a payment attempt (Stripe webhooks). */
  payment_failed: (user.failedInvoices?.size ?? 0) > 0,
  created_at: user.createdAt,
  limits: TIER_LIMITS[user.tier],
});

export const app = createApp().get('/api/users', requireApiKey, (c) =>
  c.json({ data: accountView(c.var.user) }),
);

export const handler = handle(app);
