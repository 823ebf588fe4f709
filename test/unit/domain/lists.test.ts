// The compact lists (functions/lib/domain/*.txt.br, made by `npm run lists`) hold exactly what the
// packages hold, read as the rules read them before the files replaced them: so the password
// policy and the disposable-domain rule refuse exactly what they refused.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { listSet, readList } from '#domain/lists.ts';

const require = createRequire(import.meta.url);

describe('the compact word lists', () => {
  it('hold the common passwords of @zxcvbn-ts/language-common, entry for entry', async () => {
    const { default: passwords } = await import('@zxcvbn-ts/language-common/dist/passwords.json.mjs');
    const decoded = readList('commonPasswords');
    expect(new Set(decoded).size).toBe(decoded.length);
    expect(decoded).toEqual([...new Set(passwords)].sort());
    expect(listSet('commonPasswords')).toEqual(new Set(passwords));
  });

  it('hold the domains of disposable-email-domains-js, entry for entry', () => {
    const { disposableEmailBlocklistSet } = require('disposable-email-domains-js') as {
      disposableEmailBlocklistSet: () => Set<string>;
    };
    const domains = disposableEmailBlocklistSet();
    const decoded = readList('disposableDomains');
    expect(new Set(decoded).size).toBe(decoded.length);
    expect(decoded).toEqual([...domains].sort());
    expect(listSet('disposableDomains')).toEqual(domains);
  });

  it('are read once per container', () => {
    expect(listSet('commonPasswords')).toBe(listSet('commonPasswords'));
  });
});
