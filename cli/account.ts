// Operator commands for one account, against the table named by TABLE_NAME (the local stack's by
// default), with the operator's own AWS credentials, like `npm run promo` and `npm run mfa:reset`.
// Every change is audited under the account (via operator, and who: --operator, else
// GATEHOUSE_OPERATOR, else the login name) and tells the platform (docs/events.md).
//   npm run account -- show EMAIL|ID
//   npm run account -- suspend EMAIL --reason TEXT | unsuspend EMAIL
//   npm run account -- set-tier EMAIL FREE|STANDARD | credit EMAIL CENTS | revoke-keys EMAIL
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { useLocalTableByDefault } from '../local/env.ts';

useLocalTableByDefault();

const operator = await import('#services/operator.ts');
const { isTier } = await import('#domain/tiers.ts');
const { nowSeconds } = await import('#domain/tokens.ts');

const USAGE = `Usage: npm run account -- COMMAND
  show EMAIL|ID                   status, tier, credit, MFA, keys, SSH keys, last logins
  suspend EMAIL|ID --reason TEXT  refuse its keys and logins; mail the owner
  unsuspend EMAIL|ID              lift the suspension; mail the owner
  set-tier EMAIL|ID FREE|STANDARD
  credit EMAIL|ID CENTS           add credit (negative takes some back)
  revoke-keys EMAIL|ID            revoke every API key
Options: --operator NAME (recorded with each change; default GATEHOUSE_OPERATOR or your login)`;

function fail(message: string, code = 2): never {
  console.error(code === 2 ? `${message}\n${USAGE}` : message);
  process.exit(code);
}

function parse() {
  try {
    return parseArgs({
      allowPositionals: true,
      // Credit may be taken back: "-500" is a value, not an option (trimmed below).
      args: process.argv.slice(2).map((a) => (/^-\d+$/.test(a) ? ` ${a}` : a)),
      options: { reason: { type: 'string' }, operator: { type: 'string' } },
    });
  } catch (err) {
    return fail(err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err));
  }
}

const { positionals, values } = parse();
const [command, ref, arg, ...extra] = positionals.map((p) => p.trim());
const arity: Record<string, number> = {
  show: 1,
  suspend: 1,
  unsuspend: 1,
  'set-tier': 2,
  credit: 2,
  'revoke-keys': 1,
};
const wanted = command === undefined ? undefined : arity[command];
if (wanted === undefined) fail(command ? `Unknown command: ${command}` : 'No command given');
if (!ref || (wanted === 2 ? !arg || extra.length > 0 : arg !== undefined))
  fail(`${command} takes ${wanted === 2 ? 'an account and a value' : 'an account'}`);
if (values.reason !== undefined && command !== 'suspend') fail('--reason goes with suspend only');

const who = (values.operator ?? process.env.GATEHOUSE_OPERATOR ?? userInfo().username).trim();
if (!who) fail('--operator must name you');
const user = await operator.findAccount(ref);
if (!user) fail(`No account for ${ref}`, 1);
const now = nowSeconds();
const mailNote = (mailed: boolean | undefined) =>
  mailed
    ? 'The owner was mailed a notice.'
    : 'The notice could not be mailed (see the log above): tell the owner.';

switch (command) {
  case 'show': {
    const r = await operator.accountReport(user, now);
    const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;
    console.log(`${r.email}  (${r.userId})`);
    console.log(
      `  status     ${r.status}${r.suspended ? `, SUSPENDED since ${r.suspended.at}: ${r.suspended.reason}` : ''}`,
    );
    console.log(`  tier       ${r.tier}`);
    console.log(`  credit     ${dollars(r.creditCents)} (${r.creditCents} cents)`);
    console.log(`  MFA        ${r.mfaEnabled ? 'on' : 'off'}`);
    console.log(`  created    ${r.createdAt}`);
    console.log(`  API keys   ${r.apiKeys.length}`);
    for (const k of r.apiKeys)
      console.log(
        `    ${k.id}  ${k.name ?? '(login)'}  ${k.scope}  created ${k.createdAt}${k.expired ? '  EXPIRED' : ''}${k.lastUsedAt ? `  last used ${new Date(k.lastUsedAt * 1000).toISOString()} from ${k.lastIp ?? '?'}` : ''}`,
      );
    console.log(`  SSH keys   ${r.sshKeys.length}`);
    for (const k of r.sshKeys) console.log(`    ${k.id}  ${k.fingerprint}  added ${k.createdAt}`);
    console.log(`  last logins`);
    if (r.lastLogins.length === 0) console.log('    none');
    for (const l of r.lastLogins)
      console.log(`    ${l.at}  ${l.via}  ${l.ip ?? '?'}  ${l.userAgent ?? ''}`.trimEnd());
    break;
  }
  case 'suspend': {
    const reason = values.reason?.trim();
    if (!reason) fail('suspend needs --reason TEXT (kept with the suspension, sent to the platform)');
    if (reason.length > operator.MAX_REASON_LENGTH)
      fail(`--reason is at most ${operator.MAX_REASON_LENGTH} characters; the details belong in the ticket`);
    const { result, mailed } = await operator.suspend(user, reason, who, now);
    if (result === 'already') fail(`${user.email} is suspended already`, 1);
    if (result === 'not-active')
      fail(`${user.email} is ${user.status}: only an active account can be suspended`, 1);
    console.log(`Suspended ${user.email}: its keys and logins are refused; the owner may still delete it.`);
    console.log(mailNote(mailed));
    break;
  }
  case 'unsuspend': {
    const { lifted, mailed } = await operator.unsuspend(user, who, now);
    if (!lifted) fail(`${user.email} is not suspended`, 1);
    console.log(`Lifted the suspension of ${user.email}.`);
    if (mailed !== undefined) console.log(mailNote(mailed));
    break;
  }
  case 'set-tier': {
    const tier = (arg ?? '').toUpperCase();
    if (!isTier(tier)) fail('The tier is FREE or STANDARD');
    const result = await operator.assignTier(user, tier, who, now);
    if (result === 'already') fail(`${user.email} is on ${tier} already`, 1);
    if (result === 'not-active')
      fail(`${user.email} is ${user.status}: only an active account changes tier`, 1);
    if (result === 'changed') fail(`${user.email} changed meanwhile: run the command again`, 1);
    console.log(`${user.email} is on ${tier} now (was ${user.tier}).`);
    break;
  }
  case 'credit': {
    const cents = Number(arg);
    if (!/^-?\d+$/.test(arg ?? '') || !Number.isSafeInteger(cents) || cents === 0)
      fail('CENTS is a whole number of cents, not 0 (negative takes credit back)');
    const outcome = await operator.credit(user, cents, who, now);
    if (outcome.result !== 'credited')
      fail(
        {
          'below-zero': `${user.email} has ${user.creditCents} cents: the balance cannot go below zero`,
          'not-active': `${user.email} is ${user.status}: only an active account takes credit`,
          changed: `${user.email} changed meanwhile: run the command again`,
        }[outcome.result],
        1,
      );
    console.log(`${user.email} has ${outcome.balance} cents of credit now (was ${user.creditCents}).`);
    break;
  }
  case 'revoke-keys': {
    const revoked = await operator.revokeAllKeys(user, who, now);
    console.log(
      revoked === 0
        ? `${user.email} has no API keys.`
        : `Revoked ${revoked} API key(s) of ${user.email}: the owner logs in again for a new one.`,
    );
    break;
  }
}
