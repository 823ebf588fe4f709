// What a deletion leaves on purpose, each to expire (docs/data-model.md): the tombstone, the
// account.deleted event on its way to the platform, and the account's event counter (which
// numbers it). Pure, so the e2e tests can hold a table they read directly to it too.
export const leftOnPurpose = (item: Record<string, unknown>): boolean =>
  item.type === 'tombstone' ||
  item.type === 'eventSequence' ||
  (item.type === 'outbox' && item.name === 'account.deleted');
