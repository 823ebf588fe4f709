// What every task of the deletion workflow shares: its input, and how its failures reach Step
// Functions. A failure worth another attempt (throttling, a 5xx, a timeout, a dropped connection)
// leaves as `Gatehouse.Transient`, which the definition retries with backoff; anything else ends in
// the Catch that marks the account DELETION_FAILED.
import { TransientError, UnavailableError } from '#domain/errors.ts';
import { log } from '#shared/log.ts';

/** The execution's input, passed on to every task (account-deletion.asl.json). */
export interface DeletionInput {
  readonly userId: string;
  /** The execution's name, as recorded on the profile when the deletion was requested. */
  readonly execution: string;
}

const TRANSIENT_NAMES =
  /Throttl|TooManyRequests|RequestLimitExceeded|ProvisionedThroughputExceeded|TransactionConflict|ServiceUnavailable|InternalServerError|TimeoutError/;
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

export function isTransient(err: unknown): boolean {
  if (err instanceof TransientError) return true;
  if (err instanceof UnavailableError) return true;
  // A transaction cancelled only because others wrote the same items, or throttled: try again.
  const reasons = (err as { CancellationReasons?: { Code?: string }[] })?.CancellationReasons;
  if (reasons?.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError'))
    return !reasons.some((r) => r.Code === 'ConditionalCheckFailed');
  const e = err as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e?.$metadata?.httpStatusCode;
  return (
    Boolean(e?.$retryable) ||
    (status !== undefined && (status >= 500 || status === 429)) ||
    TRANSIENT_NAMES.test(e?.name ?? '') ||
    TRANSIENT_CODES.has(e?.code ?? '')
  );
}

/** A task handler: runs `work`, logs the outcome, and names a transient failure as such. */
export function step<I extends { readonly userId: string }, O>(
  name: string,
  work: (input: I) => Promise<O>,
): (input: I) => Promise<O> {
  return async (input) => {
    try {
      const result = await work(input);
      log.info('deletion step done', { step: name, userId: input.userId, result });
      return result;
    } catch (error) {
      const transient = isTransient(error);
      log.error('deletion step failed', { step: name, userId: input.userId, transient, error });
      if (transient && !(error instanceof TransientError))
        throw new TransientError(error instanceof Error ? error.message : String(error), { cause: error });
      throw error;
    }
  };
}

export const isoTime = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString();
