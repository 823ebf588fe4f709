// A device, as an account's sign-ins tell them apart: a kind of client (the user agent, without
// its version numbers, so an update is no new device) on a network (domain/throttle.ts networkOf).
// Kept only as a digest: the list of an account's devices holds no address and no user agent.

import { networkOf } from './throttle.ts';
import { digest } from './tokens.ts';

/** Devices an account remembers; past it the one seen longest ago is forgotten. */
export const MAX_KNOWN_DEVICES = 20;
/** A device not seen this long is forgotten: its next sign-in is news again. */
export const DEVICE_MEMORY_SECONDS = 180 * 86_400;
/** How often a known device's last sign-in is written again (a login is not worth a write). */
export const DEVICE_SEEN_RESOLUTION_SECONDS = 7 * 86_400;

const versionless = (userAgent: string) =>
  userAgent
    .replace(/\d+([._]\d+)*/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** The device a sign-in came from, as the digest the account keeps. */
export const deviceOf = (ip: string, userAgent: string | undefined): string =>
  digest(`${networkOf(ip) ?? 'unknown'}\n${versionless(userAgent ?? '')}`).slice(0, 32);

/** What an account remembers: each device's digest and when it last signed in (epoch seconds). */
export type KnownDevices = ReadonlyMap<string, number>;

/**
 * What to do about a sign-in from `device`: tell the owner when it is new to an account that has
 * signed in before (the first sign-in of an account is no news); remember it when it is new or its
 * last sign-in is old; forget the devices past the bounds.
 */
export function deviceVerdict(
  known: KnownDevices | undefined,
  device: string,
  now: number,
): { readonly notify: boolean; readonly remember: boolean; readonly forget: readonly string[] } {
  if (known === undefined) return { notify: false, remember: true, forget: [] };
  const seen = known.get(device);
  const fresh = seen !== undefined && now - seen < DEVICE_MEMORY_SECONDS;
  const stale = [...known]
    .filter(([d, at]) => d !== device && now - at >= DEVICE_MEMORY_SECONDS)
    .map(([d]) => d);
  const kept = [...known].filter(([d, at]) => d !== device && now - at < DEVICE_MEMORY_SECONDS);
  // Room for this one: the ones seen longest ago go.
  const over = Math.max(0, kept.length + 1 - MAX_KNOWN_DEVICES);
  const oldest = kept
    .sort((a, b) => a[1] - b[1])
    .slice(0, over)
    .map(([d]) => d);
  const remember = !fresh || now - (seen ?? 0) >= DEVICE_SEEN_RESOLUTION_SECONDS;
  return { notify: !fresh, remember, forget: remember ? [...stale, ...oldest] : [] };
}
