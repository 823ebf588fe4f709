// "A new device signed in": a sign-in (password, Google, with or without a second factor) from a
// device and network the account has not signed in from is mailed to the owner, with what to do if
// it was not them. The account's first sign-in is no news; known devices are remembered within the
// bounds of domain/devices.ts.
import { rememberDevice, undoDevice } from '#data/devices.ts';
import type { Account } from '#domain/account.ts';
import { deviceOf, deviceVerdict, type KnownDevices } from '#domain/devices.ts';
import type { Origin } from '#domain/request.ts';
import { deliver } from '#email/deliver.ts';
import type { SignInWay } from '#email/templates.ts';

/** A sign-in's device: whether it is news to the owner, and remembering it. */
export interface SignInDevice {
  readonly notify: boolean;
  /** Remembers the device; answers what puts the account's devices back as they were. */
  remember(): Promise<() => Promise<void>>;
}

/**
 * The device of a sign-in; `known` is what knownDevices (#data/devices.ts) answered during the
 * sign-in, read beside its own writes (one round trip fewer). A sign-in that its last checks take
 * back undoes the remembering, so that a device never counts as known for a sign-in that did not
 * happen.
 */
export function signInDevice(
  user: Pick<Account, 'userId'>,
  known: KnownDevices | undefined,
  origin: Origin,
  now: number,
): SignInDevice {
  const device = deviceOf(origin.ip, origin.userAgent);
  const verdict = deviceVerdict(known, device, now);
  const nothing = async () => undefined;
  return {
    notify: verdict.notify,
    remember: async () => {
      if (!verdict.remember) return nothing;
      const first = known === undefined;
      await rememberDevice(user.userId, device, now, { first, forget: verdict.forget });
      const change = {
        device,
        first,
        previous: known?.get(device),
        forgotten: verdict.forget.map((d) => [d, known?.get(d) ?? now] as const),
      };
      return () => undoDevice(user.userId, change);
    },
  };
}

/** The owner is told of a sign-in from a new device (once it has landed). */
export async function announceSignIn(
  user: Pick<Account, 'email'>,
  device: Pick<SignInDevice, 'notify'>,
  signIn: {
    readonly origin: Origin;
    readonly way: SignInWay;
    readonly secondFactor?: string;
    readonly keyId: string;
  },
  now: number,
): Promise<void> {
  if (!device.notify) return;
  await deliver('notice', user.email, [
    'newDeviceNotice',
    new Date(now * 1000),
    {
      ip: signIn.origin.ip,
      userAgent: signIn.origin.userAgent,
      way: signIn.way,
      secondFactor: signIn.secondFactor,
      keyId: signIn.keyId,
    },
  ]);
}

/**
 * After a sign-in has landed (its key stored and its guards passed): remembers the device, and
 * mails the owner when it is new, at once.
 */
export async function signedIn(
  user: Pick<Account, 'userId' | 'email'>,
  known: KnownDevices | undefined,
  signIn: Parameters<typeof announceSignIn>[2],
  now: number,
): Promise<void> {
  const device = signInDevice(user, known, signIn.origin, now);
  await Promise.all([device.remember(), announceSignIn(user, device, signIn, now)]);
}
