import { describe, expect, it } from 'vitest';
import {
  type AccountStatus,
  deletionFailed,
  isAccountStatus,
  isActive,
  isDeleting,
  isUnconfirmed,
  mayReceiveLinks,
  STATUS,
} from '#domain/account.ts';

const of = (status: AccountStatus) => ({ status });

describe('the account lifecycle', () => {
  it('knows its four statuses and nothing else', () => {
    expect(Object.values(STATUS).every(isAccountStatus)).toBe(true);
    for (const other of ['active', 'DELETED', '', undefined, 1, null])
      expect(isAccountStatus(other)).toBe(false);
  });

  it.each([
    ['UNCONFIRMED', { active: false, unconfirmed: true, deleting: false, failed: false, links: true }],
    ['ACTIVE', { active: true, unconfirmed: false, deleting: false, failed: false, links: true }],
    ['DELETING', { active: false, unconfirmed: false, deleting: true, failed: false, links: false }],
    ['DELETION_FAILED', { active: false, unconfirmed: false, deleting: false, failed: true, links: false }],
  ] as const)('reads %s', (status, expected) => {
    const a = of(status);
    expect({
      active: isActive(a),
      unconfirmed: isUnconfirmed(a),
      deleting: isDeleting(a),
      failed: deletionFailed(a),
      links: mayReceiveLinks(a),
    }).toEqual(expected);
  });

  it('answers no for no account at all', () => {
    for (const rule of [isActive, isUnconfirmed, isDeleting, deletionFailed, mayReceiveLinks])
      expect(rule(undefined)).toBe(false);
  });
});
