/** The lifecycle events' bus as the local stack serves it (local/events.ts). */
export const LOCAL_EVENT_BUS = 'gatehouse-local';

/** The deletion workflow as the local stack serves it (local/stepfunctions.ts). */
export const LOCAL_STATE_MACHINE_ARN =
  'arn:aws:states:us-east-1:000000000000:stateMachine:gatehouse-account-deletion';

// For operator commands run against a table: the local stack's (DynamoDB Local on
// DYNAMODB_PORT, table gatehouse-local) unless TABLE_NAME and AWS credentials say otherwise.
export function useLocalTableByDefault(): void {
  process.env.TABLE_NAME ??= 'gatehouse-local';
  process.env.AWS_REGION ??= 'us-east-1';
  const local = process.env.TABLE_NAME === 'gatehouse-local';
  if (local && !process.env.AWS_PROFILE && !process.env.AWS_ACCESS_KEY_ID) {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    process.env.AWS_ENDPOINT_URL_DYNAMODB ??= `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? '8000'}`;
    process.env.AWS_ENDPOINT_URL_SES ??= `http://127.0.0.1:${process.env.MAIL_PORT ?? '8005'}`;
    process.env.AWS_ENDPOINT_URL_SFN ??= `http://127.0.0.1:${process.env.STEPFUNCTIONS_PORT ?? '8008'}`;
    process.env.DELETION_STATE_MACHINE_ARN ??= LOCAL_STATE_MACHINE_ARN;
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE ??= `http://127.0.0.1:${process.env.EVENTS_PORT ?? '8009'}`;
    process.env.EVENT_BUS_NAME ??= LOCAL_EVENT_BUS;
  }
  // The rest of the handlers' configuration: set it as deployed (MAIL_FROM) for mail to go out.
  process.env.MAIL_FROM ??= 'Gatehouse <no-reply@gatehouse.local>';
  process.env.PUBLIC_BASE_URL ??= 'http://localhost';
}
