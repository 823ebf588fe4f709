// The audit trail: every security event is one structured log line, and, when it concerns a known
// user, an item under that user (USER#<id>|EVENT#…, kept about 400 days). Events carry ids, the
// source IP and facts; never a password, key, token, code or address.
import { randomBytes } from 'node:crypto';
import type { TransactItem } from '#data/client.ts';
import { eventPut, putEvent } from '#data/events.ts';
import { log } from '#shared/log.ts';

export type AuditEventName =
  | 'signup'
  | 'signup.removed'
  | 'email.confirmed'
  | 'login.succeeded'
  | 'login.failed'
  | 'login.throttled'
  | 'reauth.throttled'
  | 'ip.throttled'
  | 'api_key.minted'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'api_key.reset'
  | 'ssh_key.added'
  | 'ssh_key.removed'
  | 'password.changed'
  | 'password.reset'
  | 'email.change_requested'
  | 'email.changed'
  | 'email.change_revoked'
  | 'mfa.setup_started'
  | 'mfa.enabled'
  | 'mfa.disabled'
  | 'mfa.recovery_codes_regenerated'
  | 'mfa.recovery_code_used'
  | 'mfa.failed'
  | 'identity.linked'
  | 'oauth.failed'
  | 'billing.payment_method_set'
  | 'billing.upgraded'
  | 'billing.webhook'
  | 'account.exported'
  | 'account.suspended'
  | 'account.unsuspended'
  | 'account.tier_set'
  | 'account.credited'
  | 'account.deletion_requested';

export interface AuditEvent {
  readonly name: AuditEventName;
  readonly userId?: string;
  readonly ip?: string;
  readonly userAgent?: string;
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

export interface UserAuditEvent extends AuditEvent {
  readonly userId: string;
}

export function auditLog(event: AuditEvent): void {
  const { name, detail, ...rest } = event;
  log.info('audit', { event: name, ...rest, ...detail });
}

let sequence = 0;

/** Time to the millisecond, then a per-container sequence: events of one request keep their order. */
const stamp = () => ({
  at: new Date().toISOString(),
  unique: `${String(sequence++ % 1_000_000).padStart(6, '0')}${randomBytes(3).toString('hex')}`,
});

/** The item of a user event, to write in the same transaction as the change it records. */
export function auditItem(event: UserAuditEvent, now: number): TransactItem {
  return eventPut([event], now, stamp());
}

/**
 * The events of one request, of one user and one source (a login's success and the key it
 * mints), in one item: one write unit for all of them. Read back, they are the same events.
 */
export function auditItems(events: readonly UserAuditEvent[], now: number): TransactItem {
  return eventPut(events, now, stamp());
}

/** Logs an event, and stores it under the user when there is one. */
export async function audit(event: AuditEvent, now: number): Promise<void> {
  auditLog(event);
  if (event.userId) await putEvent({ ...event, userId: event.userId }, now, stamp());
}
