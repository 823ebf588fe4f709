// Operator command for an owner locked out of their second factor (a lost phone and lost recovery
// codes, or an authenticator someone else added with a stolen key): turns MFA off and revokes every
// key, after the operator has checked who is asking by other means. Against the table named by
// TABLE_NAME (the local stack's by default), like `npm run promo`.
//   npm run mfa:reset -- someone@example.com
import { useLocalTableByDefault } from '../local/env.ts';

useLocalTableByDefault();

const { audit } = await import('../functions/lib/audit.ts');
const { revokeOtherApiKeys } = await import('../functions/lib/data/api-keys.ts');
const { disableMfa } = await import('../functions/lib/data/mfa.ts');
const { getUserByEmail } = await import('../functions/lib/data/users.ts');
const { normalizeEmail } = await import('../functions/lib/domain/email.ts');
const { nowSeconds } = await import('../functions/lib/domain/tokens.ts');

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
if (!(await disableMfa(user.userId))) {
  console.error(`MFA is not on for ${email}`);
  process.exit(1);
}
const revoked = await revokeOtherApiKeys(user.userId);
await audit(
  { name: 'mfa.disabled', userId: user.userId, detail: { via: 'operator', keysRevoked: revoked } },
  now,
);
console.log(
  `MFA is off for ${email} and ${revoked} API key(s) were revoked. The owner logs in with their password and may turn MFA on again.`,
);
