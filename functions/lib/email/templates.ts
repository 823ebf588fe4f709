// Mail templates: a text part for every client and an HTML part built from the same words.
import { escapeHtml, htmlDocument } from '#shared/html.ts';
import { STYLESHEET } from '#shared/stylesheet.ts';

export interface Message {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

function message(subject: string, paragraphs: string[], action?: { label: string; url: string }): Message {
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : [])].join('\n\n');
  const html = htmlDocument(
    subject,
    [
      ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
      ...(action
        ? // A window of its own: mail viewers that show mail in a frame (the local one does) cannot
          // open our pages inside it (they refuse framing), and a mail's page needs no opener.
          [
            `<p><a class="button" href="${escapeHtml(action.url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(action.label)}</a></p>`,
          ]
        : []),
    ].join('\n'),
    'no-referrer',
    STYLESHEET,
  );
  return { subject, text: `${text}\n`, html };
}

export const confirmEmailMessage = (link: string): Message =>
  message(
    'Confirm your Gatehouse account',
    [
      'Welcome to Gatehouse. Confirm your email address to finish creating your account.',
      'The link works once and expires in 24 hours. If you did not sign up, ignore this mail.',
    ],
    { label: 'Confirm your email address', url: link },
  );

export const confirmationCodeMessage = (code: string): Message =>
  message(`Your Gatehouse confirmation code: ${code}`, [
    `Your confirmation code is ${code}. Enter it where you are signing up; it expires in 30 minutes.`,
    'If you did not start a signup, ignore this mail: without the code nothing happens.',
  ]);

/** The moment of a notice, as its reader sees it: UTC, to the minute. */
const when = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const NOT_YOU =
  'If this was not you, someone else knows your password: reset it now, and check your account for changes.';

export const apiKeyResetNotice = (at: Date): Message =>
  message('Your Gatehouse API key was reset', [
    `The API key of your account was reset on ${when(at)}. Every earlier key stopped working: log in again wherever you use Gatehouse.`,
    NOT_YOU,
  ]);

export const apiKeyCreatedNotice = (
  at: Date,
  key: { readonly id: string; readonly name: string; readonly scope: string; readonly expiresAt?: Date },
): Message =>
  message('An API key was created for your Gatehouse account', [
    `An API key named "${key.name}" was created for your account on ${when(at)}: it can ${key.scope === 'read' ? 'read your account (GET requests only)' : 'do everything your login can'}, and ${key.expiresAt ? `expires on ${when(key.expiresAt)}` : 'never expires'}. Its id is ${key.id}.`,
    `If this was not you, revoke it (gatehouse account:api_keys:revoke ${key.id}), then reset your password: someone else knows it.`,
  ]);

export const accountExportedNotice = (at: Date): Message =>
  message('Your Gatehouse account data was exported', [
    `A copy of everything Gatehouse keeps about your account (profile, keys, SSH keys, billing references, activity) was downloaded on ${when(at)}, with your password.`,
    NOT_YOU,
  ]);

/** How a sign-in proved itself, as the new-device notice says it. */
export type SignInWay = 'password' | 'google';

const factorWords: Record<string, string> = {
  totp: ' and a code from the authenticator app',
  recovery: ' and a recovery code',
};

export const newDeviceNotice = (
  at: Date,
  signIn: {
    readonly ip: string;
    readonly userAgent?: string;
    readonly way: SignInWay;
    readonly secondFactor?: string;
    readonly keyId: string;
  },
): Message =>
  message('New sign-in to your Gatehouse account', [
    `Your account was signed in to on ${when(at)} from ${signIn.ip}${signIn.userAgent ? ` (${signIn.userAgent})` : ''}, with ${signIn.way === 'google' ? 'Google' : 'the password'}${factorWords[signIn.secondFactor ?? ''] ?? ''}. It had not been signed in to from this device and network before.`,
    'If this was you, there is nothing to do.',
    `If it was not: revoke the key that sign-in was given (gatehouse account:api_keys:revoke ${signIn.keyId}), then reset your password (gatehouse account:password:reset mails you a link; a reset revokes every key)${signIn.secondFactor === 'recovery' ? ', and make new recovery codes (gatehouse account:mfa:recovery_codes:regenerate)' : ''}.`,
  ]);

export const sshKeyAddedNotice = (at: Date, fingerprint: string, comment?: string): Message =>
  message('An SSH key was added to your Gatehouse account', [
    `An SSH key was added to your account on ${when(at)}: ${fingerprint}${comment ? ` (${comment})` : ''}. It can push code and open shells wherever your platform trusts your account.`,
    NOT_YOU,
  ]);

export const passwordChangedNotice = (at: Date): Message =>
  message('Your Gatehouse password was changed', [
    `The password of your account was changed on ${when(at)}. Every API key but the one used to change it stopped working.`,
    'If this was not you, reset your password now from the login page: the reset link goes to this address, and resetting revokes every key.',
  ]);

export const resetLinkMessage = (link: string): Message =>
  message(
    'Reset your Gatehouse password',
    [
      'Someone, perhaps you, asked to reset the password of the Gatehouse account of this address.',
      'The link works once and expires in 1 hour; a newer link replaces it. If you did not ask, ignore this mail: nothing changes.',
    ],
    { label: 'Choose a new password', url: link },
  );

export const passwordResetNotice = (at: Date): Message =>
  message('Your Gatehouse password was reset', [
    `The password of your account was reset with a link mailed here, on ${when(at)}. Every API key stopped working: log in again with the new password.`,
    'If this was not you, someone can read your mail: secure your mailbox, then reset your password again.',
  ]);

export const emailChangeConfirmMessage = (link: string): Message =>
  message(
    'Confirm your new Gatehouse address',
    [
      'Someone asked to move a Gatehouse account to this address. Confirm to make the move; until then nothing changes.',
      'The link works once and expires in 24 hours. If you did not ask for this, ignore this mail.',
    ],
    { label: 'Confirm this address', url: link },
  );

export const emailChangeRequestedNotice = (at: Date, next: string, revokeLink: string): Message =>
  message(
    'Your Gatehouse address is about to change',
    [
      `On ${when(at)} someone asked to move your account to ${next}. It moves when that address confirms.`,
      'If this was not you, cancel it with the link below (it works for 7 days), then reset your password.',
    ],
    { label: 'Cancel this change', url: revokeLink },
  );

export const emailChangedNotice = (at: Date, next: string, revokeLink: string): Message =>
  message(
    'Your Gatehouse address was changed',
    [
      `On ${when(at)} your account moved to ${next}. Mail about it now goes there.`,
      'If this was not you, undo it with the link below (it works for 7 days): the account comes back to this address, every key is revoked, and you get a link to set a new password.',
    ],
    { label: 'Undo this change', url: revokeLink },
  );

export const emailChangeRevokedNotice = (at: Date): Message =>
  message('Your Gatehouse address change was undone', [
    `On ${when(at)} the change of your account's address was cancelled with the link mailed here.`,
    'If the change had happened, the account is back at this address and every key was revoked; a link to set a new password is in a separate mail.',
  ]);

// Sent when a signup names an address that has an account, confirmed or still pending. Nothing
// about the account changes; the mail says what to do in either case, and warns against
// confirming a signup the owner did not start (someone may have signed up with their address).
export const alreadyRegisteredMessage = (): Message =>
  message('Someone tried to sign up with your address', [
    'Someone, perhaps you, tried to create a Gatehouse account with this email address, which already has one.',
    'If you have been using it, log in; if you forgot the password, reset it.',
    'If you signed up earlier and have not confirmed yet, use the link from that mail, or ask for a new one.',
    'If none of this was you, ignore this mail, and do not confirm a signup you did not start.',
  ]);

export const mfaEnabledNotice = (at: Date): Message =>
  message('Multi-factor authentication is on for your Gatehouse account', [
    `Multi-factor authentication was turned on for your account on ${when(at)}. Every API key stopped working: each login now needs your password and a code from your authenticator app (or a recovery code).`,
    'If this was not you, someone holds one of your API keys and added their own authenticator: reset your password now and ask the operator of this service to remove it (they can turn MFA off for you once they know it is you).',
  ]);

export const mfaDisabledNotice = (at: Date): Message =>
  message('Multi-factor authentication is off for your Gatehouse account', [
    `Multi-factor authentication was turned off for your account on ${when(at)}. Logins now need only your password.`,
    'If this was not you, reset your password now and turn multi-factor authentication back on.',
  ]);

export const recoveryCodesRegeneratedNotice = (at: Date): Message =>
  message('New Gatehouse recovery codes', [
    `A new set of recovery codes was made for your account on ${when(at)}. Every earlier recovery code stopped working.`,
    NOT_YOU,
  ]);

export const recoveryCodeUsedNotice = (at: Date, left: number): Message =>
  message('A Gatehouse recovery code was used', [
    `One of your recovery codes was used on ${when(at)}. ${left === 1 ? '1 code is' : `${left} codes are`} left; each works once. Make a new set (gatehouse account:mfa:recovery_codes:regenerate) before they run out.`,
    NOT_YOU,
  ]);

/** How the first factor was passed before the second one failed. */
export type FirstFactor = 'password' | 'google' | 'key';

const FIRST_FACTOR: Record<FirstFactor, { subject: string; passed: string; advice: string }> = {
  password: {
    subject: 'Someone knows your Gatehouse password',
    passed: 'your password was entered correctly',
    advice: 'your password is known to someone else: change it now.',
  },
  google: {
    subject: 'Someone signed in to Google as you',
    passed: 'a sign-in with your Google account succeeded',
    advice: 'someone controls your Google account: secure it now.',
  },
  key: {
    subject: 'Someone holds one of your Gatehouse API keys',
    passed: 'one of your API keys was used',
    advice: 'someone holds one of your API keys: reset your API key now.',
  },
};

export const secondFactorFailedNotice = (at: Date, firstFactor: FirstFactor): Message => {
  const f = FIRST_FACTOR[firstFactor];
  return message(f.subject, [
    `On ${when(at)}, ${f.passed} but the second factor failed, several times in a row. Logins for your address now wait longer after each failure.`,
    `If this was not you, ${f.advice} Your authenticator kept them out.`,
  ]);
};

export const googleLinkedNotice = (at: Date): Message =>
  message('Google sign-in added to your Gatehouse account', [
    `On ${when(at)} someone signed in to your account with a Google account that Google says owns this address. From now on that Google account logs in here too.`,
    'If this was not you, someone controls a Google account with your address: reset your password, and secure that Google account.',
  ]);

export const googleClaimedNotice = (at: Date): Message =>
  message('Your Gatehouse account is confirmed through Google', [
    `On ${when(at)} this address was proven by signing in with Google, which confirmed an account that was waiting for confirmation.`,
    'The password chosen when that account was created was discarded, since nobody had proven the address then: sign in with Google, or set a password with a reset link.',
  ]);

export const mfaResetByOperatorNotice = (at: Date): Message =>
  message('Multi-factor authentication was reset on your Gatehouse account', [
    `On ${when(at)} an operator of this service turned multi-factor authentication off for your account, as asked for by someone who said they were you. Every API key stopped working and Google sign-in was unlinked.`,
    'If you did not ask for this, reset your password now and turn multi-factor authentication back on.',
  ]);

export const accountDeletedNotice = (at: Date): Message =>
  message('Your Gatehouse account was deleted', [
    `As asked on ${when(at)}, your Gatehouse account and everything it held were deleted: its API keys, its security history and its card at our payment provider. Its address is free to sign up again.`,
    'If you did not ask for this, someone had your password and API key: reply to this mail, and check the other services where you used that password.',
  ]);

export const accountSuspendedNotice = (at: Date): Message =>
  message('Your Gatehouse account is suspended', [
    `On ${when(at)} an operator of this service suspended your account. Until support lifts the suspension, its API keys and SSH keys are refused and it cannot log in; nothing in it was deleted.`,
    'Reply to this mail to learn why and what to do. You can still delete the account (gatehouse account:destroy).',
  ]);

export const accountUnsuspendedNotice = (at: Date): Message =>
  message('Your Gatehouse account is no longer suspended', [
    `On ${when(at)} an operator of this service lifted the suspension of your account. Its API keys, SSH keys and logins work again as before.`,
  ]);
