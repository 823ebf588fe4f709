// MFA activation when revoking the old keys fails half way: MFA is on, so the recovery codes (kept
// only as digests) must still reach the user, with word that some keys may live on.
import { describe, expect, it, vi } from 'vitest';
import { activeAccount } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { keyStatus } from '../support/keys.ts';
import { codeAt, loginWithCode, startMfa, verifyMfa } from '../support/mfa.ts';

vi.mock('#data/api-keys.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('#data/api-keys.ts')>()),
  revokeOtherApiKeys: vi
    .fn()
    .mockRejectedValue(Object.assign(new Error('throttled'), { name: 'ThrottlingException' })),
}));

describe('POST /api/mfa/verify when revoking keys fails', () => {
  it('still answers the recovery codes, and says to reset the API key', async () => {
    const email = newEmail('half');
    const key = await activeAccount(email);
    const { secret } = await startMfa(key);
    const res = await verifyMfa(key, codeAt(secret));
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { message: string; recovery_codes: string[] } };
    expect(data.recovery_codes).toHaveLength(10);
    expect(data.message).toContain('Some API keys could not be revoked');
    // The key survived (the injected failure), and MFA is on: the codes work.
    expect(await keyStatus(key)).toBe(200);
    expect((await loginWithCode(email, data.recovery_codes[0] as string)).status).toBe(200);
  });
});
