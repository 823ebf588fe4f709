// "A new device signed in": a sign-in (password, Google, with or without a second factor) from a
// device and network the account has not signed in from is mailed to the owner, with what to do if
// it was not them. The account's first sign-in is no news; known devices are remembered within the
// bounds of domain/devices.ts.
import { rememberDevice } from '#data/devices.ts';
import type { Account } from '#domain/account.ts';
import { deviceOf, deviceVerdict, type KnownDevices } from '#domain/devices.ts';
import type { Origin } from '#domain/request.ts';
import { deliver } from '#email/deliver.ts';
import { newDeviceNotice, type SignInWay } from '#email/templates.ts';

/**
 * After a sign-in has landed (its key stored and its guards passed): remembers the device, and
 * mails the owner when it is new. `known` is what knownDevices (#data/devices.ts) answered during
 * the sign-in, read beside its own writes (one round trip fewer).
 */
export async function signedIn(
  user: Pick<Account, 'userId' | 'email'>,
  known: KnownDevices | undefined,
  signIn: {
    readonly origin: Origin;
    readonly way: SignInWay;
    readonly secondFactor?: string;
    readonly keyId: string;
  },
  now: number,
): Promise<void> {
  const device = deviceOf(signIn.origin.ip, signIn.origin.userAgent);
  const verdict = deviceVerdict(known, device, now);
  await Promise.all([
    verdict.remember
      ? rememberDevice(user.userId, device, now, { first: known === undefined, forget: verdict.forget })
      : undefined,
    verdict.notify
      ? deliver(
          'notice',
          user.email,
          newDeviceNotice(new Date(now * 1000), {
            ip: signIn.origin.ip,
            userAgent: signIn.origin.userAgent,
            way: signIn.way,
            secondFactor: signIn.secondFactor,
            keyId: signIn.keyId,
          }),
        )
      : undefined,
  ]);
}
