// The single table's physical shape. The CDK stack, the local stack and the tests all build the
// table from this, so they cannot drift apart.

export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after (tokens, rate markers). */
  ttlAttribute: 'expiresAt',
  /** The stream hands new outbox items to the lifecycle event publisher (data/outbox.ts). */
  stream: 'NEW_IMAGE',
  gsi1: {
    indexName: 'gsi1',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
    include: ['email', 'confirmTokenHash'],
  },
} as const;
