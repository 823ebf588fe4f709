// Operator command for an owner locked out of their second factor (a lost phone and lost recovery
// codes, or an authenticator someone else added with a stolen key): turns MFA off and revokes every
// key and Google link, after the operator has checked who is asking by other means; the owner is
// mailed. Against the table named by TABLE_NAME (the local stack's by default), like `npm run promo`.
//   npm run mfa:reset -- someone@example.com
import { useLocalTableByDefault } from '../local/env.ts';

useLocalTableByDefault();

const { auditItem } = await import('#services/audit.ts');
const { deliver } = await import('#email/deliver.ts');
const { unlinkIdentities } = await import('#data/identities.ts');
const { revokeOtherApiKeys } = await import('#data/api-keys.ts');
const { disableMfa } = await import('#data/mfa.ts');
const { getUserByEmail } = await import('#data/profiles.ts');
const { normalizeEmail } = await import('#domain/email.ts');
const { nowSeconds } = await import('#domain/tokens.ts');

const [raw, ...extra] = process.argv.slice(2);
if (!raw || extra.length > 0) {
  console.error('Usage: npm run mfa:reset -- EMAIL');
  process.exit(2);
}
let email: string;
try {
  email = normalizeEmail(raw);
} catch {
  console.error(`Not an email address: ${raw}`);
  process.exit(2);
}
const user = await getUserByEmail(email);
if (!user) {
  console.error(`No account for ${email}`);
  process.exit(1);
}
const now = nowSeconds();
const event = { name: 'mfa.disabled', userId: user.userId, detail: { via: 'operator' } } as const;
if (!(await disableMfa(user.userId, now, [auditItem(event, now)]))) {
  console.error(`MFA is not on for ${email}`);
  process.exit(1);
}
const revoked = await revokeOtherApiKeys(user.userId);
// A Google sign-in added by whoever locked the owner out goes too.
const unlinked = await unlinkIdentities(user.userId);
const mailed = await deliver('notice', email, ['mfaResetByOperatorNotice', new Date(now * 1000)]);
console.log(
  `MFA is off for ${email}; ${revoked} API key(s) revoked, ${unlinked} Google sign-in(s) unlinked. The owner logs in with their password and may turn MFA on again.`,
);
console.log(
  mailed
    ? 'The owner was mailed a notice.'
    : 'The notice could not be mailed (see the log above): tell the owner.',
);
