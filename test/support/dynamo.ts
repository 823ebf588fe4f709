import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** A TransactWriteItems cancellation as DynamoDB reports it, one reason code per item. */
export const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
