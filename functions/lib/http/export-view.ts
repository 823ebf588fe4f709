// The owner's copy of everything Gatehouse keeps about their account (POST /api/users/export):
// the profile, billing references, linked identities, keys and SSH keys as their owner may see
// them, and the whole audit trail. Field by field, so that nothing secret can slip in with a new
// attribute: no password hash, no TOTP secret, no recovery code or token digest, no key digest.
import type { ApiKeyListing } from '#data/api-keys.ts';
import type { StoredEvent } from '#data/events.ts';
import type { LinkedIdentity } from '#data/identities.ts';
import type { SshKeyRecord } from '#data/ssh-keys.ts';
import type { Account } from '#domain/account.ts';
import { cardView } from './card-view.ts';
import { sshKeyView } from './ssh-key-view.ts';

export const EXPORT_FORMAT = 'gatehouse-account-export/1';

const iso = (epochSeconds: number | undefined) =>
  epochSeconds === undefined ? null : new Date(epochSeconds * 1000).toISOString();

export interface AccountData {
  readonly user: Account;
  readonly apiKeys: readonly ApiKeyListing[];
  readonly sshKeys: readonly SshKeyRecord[];
  readonly identities: readonly LinkedIdentity[];
  readonly events: readonly StoredEvent[];
}

export function exportDocument(data: AccountData, exportedAt: string, currentKeyId: string) {
  const { user } = data;
  return {
    format: EXPORT_FORMAT,
    exported_at: exportedAt,
    account: {
      id: user.userId,
      email: user.email,
      status: user.status,
      tier: user.tier,
      credit_cents: user.creditCents,
      created_at: user.createdAt,
      email_confirmed_at: user.emailConfirmedAt ?? null,
      pending_email: user.pendingEmail,
      previous_email: user.previousEmail ?? null,
      mfa: {
        enabled: user.mfaEnabled,
        enabled_at: user.mfaEnabledAt ?? null,
        recovery_codes_left: user.mfaEnabled ? (user.mfaRecoveryCodes?.size ?? 0) : null,
      },
    },
    billing: {
      stripe_customer_id: user.stripeCustomerId ?? null,
      payment_method: user.paymentMethod ? cardView(user.paymentMethod) : null,
      failed_invoices: [...(user.failedInvoices ?? [])].sort(),
    },
    identities: data.identities.map((i) => ({
      provider: i.provider,
      subject: i.subject,
      email: i.email ?? null,
      linked_at: i.linkedAt ?? null,
    })),
    api_keys: data.apiKeys.map((k) => ({
      id: k.keyId,
      name: k.name ?? null,
      scope: k.scope,
      created_at: k.createdAt,
      expires_at: iso(k.expiresAt),
      last_used_at: iso(k.lastUsedAt),
      ip: k.ip ?? null,
      user_agent: k.userAgent ?? null,
      last_ip: k.lastIp ?? null,
      last_user_agent: k.lastUserAgent ?? null,
      current: k.keyId === currentKeyId,
    })),
    ssh_keys: data.sshKeys.map(sshKeyView),
    // Oldest first, every event kept (about 400 days), with the facts it was stored with: the
    // audit trail never stores a secret or an address (services/audit.ts).
    activity: data.events.map((e) => ({
      event: e.event,
      at: e.at,
      ip: e.ip ?? null,
      user_agent: e.userAgent || null,
      detail: e.detail ?? {},
      ...(e.count === undefined ? {} : { count: Number(e.count), first_at: e.firstAt ?? e.at }),
    })),
  };
}
