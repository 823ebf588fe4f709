// Breached-password check through the k-anonymity range API (Pwned Passwords): only the first 5
// hex digits of the password's SHA-1 leave; the service answers every suffix it knows for that
// prefix (padded, so the answer's size tells nothing), and the match happens here. Fail-open:
// when the service is slow or down, signup goes on and a log line says so.
import { createHash } from 'node:crypto';
import { ValidationError } from '#domain/errors.ts';
import { log } from '#shared/log.ts';

export interface BreachedCheckSettings {
  /** Base URL; the 5-digit prefix is appended. */
  readonly url: string;
  readonly timeoutMs: number;
}

/** How often the password appears in known breaches; undefined when the service did not answer. */
export async function breachCount(
  password: string,
  settings: BreachedCheckSettings,
): Promise<number | undefined> {
  const sha1 = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
  const prefix = sha1.slice(0, 5);
  const suffix = sha1.slice(5);
  try {
    const res = await fetch(`${settings.url}${prefix}`, {
      headers: { 'Add-Padding': 'true', 'User-Agent': 'gatehouse' },
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    if (!res.ok) throw new Error(`status ${res.status}`);
    for (const line of (await res.text()).split('\n')) {
      const [candidate, count] = line.trim().split(':');
      if (candidate === suffix) return Number(count) || 0;
    }
    return 0;
  } catch (error) {
    log.warn('breached-password check unavailable, allowing', { error });
    return undefined;
  }
}

/** Refuses a password seen in breaches, when the check is configured on. */
export async function checkNotBreached(
  password: string,
  settings: BreachedCheckSettings | undefined,
  field = 'password',
): Promise<void> {
  if (!settings) return;
  if (((await breachCount(password, settings)) ?? 0) > 0) {
    throw new ValidationError(field, 'has appeared in a data breach; choose another');
  }
}
