// `npm start`: the local stack, with a summary of where everything is. Ctrl-C stops it all.
import { parseArgs } from 'node:util';
import { ensureDynamoDbLocal, JAVA_MISSING, javaMajorVersion } from './dynamodb-local.ts';
import { takenPort } from './ports.ts';
import { startLocalStack } from './stack.ts';
import { platformCleanupSecondsFromEnv } from './stepfunctions.ts';

const { values } = parseArgs({
  options: { persist: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});

if (values.help) {
  console.log(`Usage: npm start [-- --persist <dir>]

Starts DynamoDB Local, a local SES with a mail viewer, and the Gatehouse API.
  --persist <dir>   keep DynamoDB data in <dir> between runs (or set GATEHOUSE_PERSIST_DIR)
Ports: PORT (API, 3000), MAIL_PORT (mail viewer, 8005), DYNAMODB_PORT (8000), GOOGLE_PORT (8006),
STRIPE_PORT (8007), STEPFUNCTIONS_PORT (8008), EVENTS_PORT (8009).
CLEANUP_EVERY_SECONDS (60): how often unconfirmed signups past their retention are removed.
PLATFORM_CLEANUP_TIMEOUT_SECONDS (unset): account deletion waits this long for the platform to
  answer the account.deletion_requested event's task token (SendTaskSuccess or SendTaskFailure).`);
  process.exit(0);
}

function wholeNumber(name: string, fallback: number, max = 65535): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    console.error(`${name} must be a whole number from 0 to ${max}, got "${raw}"`);
    process.exit(1);
  }
  return value;
}

const java = javaMajorVersion();
if (java === undefined) {
  console.error(JAVA_MISSING);
  process.exit(1);
}
if (java < 17) {
  console.error(`DynamoDB Local needs Java 17 or newer; found Java ${java}. ${JAVA_MISSING.split('. ')[1]}`);
  process.exit(1);
}

const persistDir = values.persist ?? process.env.GATEHOUSE_PERSIST_DIR;
ensureDynamoDbLocal((line) => console.log(line));

const cleanupEverySeconds = wholeNumber('CLEANUP_EVERY_SECONDS', 60, 86_400);
let platformCleanupSeconds: number;
try {
  platformCleanupSeconds = platformCleanupSecondsFromEnv();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const ports = {
  port: wholeNumber('PORT', 3000),
  mailPort: wholeNumber('MAIL_PORT', 8005),
  dynamoPort: wholeNumber('DYNAMODB_PORT', 8000),
  googlePort: wholeNumber('GOOGLE_PORT', 8006),
  stripePort: wholeNumber('STRIPE_PORT', 8007),
  stepFunctionsPort: wholeNumber('STEPFUNCTIONS_PORT', 8008),
  eventsPort: wholeNumber('EVENTS_PORT', 8009),
};
const taken = await takenPort([
  { variable: 'PORT', what: 'the API', port: ports.port },
  { variable: 'MAIL_PORT', what: 'the mail viewer and local SES', port: ports.mailPort },
  { variable: 'DYNAMODB_PORT', what: 'DynamoDB Local', port: ports.dynamoPort },
  // The stand-ins start only where no real settings are given.
  ...(process.env.GOOGLE_CLIENT_ID
    ? []
    : [{ variable: 'GOOGLE_PORT', what: 'the Google stand-in', port: ports.googlePort }]),
  ...(process.env.STRIPE_SECRET_KEY
    ? []
    : [{ variable: 'STRIPE_PORT', what: 'the Stripe stand-in', port: ports.stripePort }]),
  { variable: 'STEPFUNCTIONS_PORT', what: 'the deletion workflow', port: ports.stepFunctionsPort },
  { variable: 'EVENTS_PORT', what: 'the lifecycle events', port: ports.eventsPort },
]);
if (taken) {
  console.error(taken);
  process.exit(1);
}
let stack: Awaited<ReturnType<typeof startLocalStack>>;
try {
  stack = await startLocalStack({ ...ports, persistDir, cleanupEverySeconds });
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`Could not start the local stack: ${message}`);
  if (/EADDRINUSE/.test(message))
    console.error(
      'A port is taken: set PORT, MAIL_PORT, DYNAMODB_PORT, GOOGLE_PORT, STRIPE_PORT, STEPFUNCTIONS_PORT or EVENTS_PORT.',
    );
  process.exit(1);
}

console.log(`Gatehouse local stack is up.
  API            ${stack.apiUrl}   (e.g. curl -X POST ${stack.apiUrl}/api/free_users)
  API reference  ${stack.apiUrl}/docs   (OpenAPI: ${stack.apiUrl}/api/openapi.json)
  Mail viewer    ${stack.mailUrl}   (JSON: ${stack.mailUrl}/store)
  DynamoDB Local ${stack.dynamoEndpoint}   table ${stack.tableName}, ${persistDir ? `data in ${persistDir}` : 'in memory'}
  Google sign-in ${stack.googleUrl ? `${stack.googleUrl}   (a local stand-in for Google: any address signs in)` : 'Google (GOOGLE_CLIENT_ID is set)'}
  Stripe         ${stack.stripeUrl ? `${stack.stripeUrl}   (a local stand-in for Stripe: test tokens tok_visa, tok_chargeDeclined, ...)` : 'Stripe (STRIPE_SECRET_KEY is set)'}
  Platform route ${stack.apiUrl}/example/whoami   (behind the platform authorizer: curl -u EMAIL:KEY ${stack.apiUrl}/example/whoami)
  Events         ${stack.eventsUrl}/events   (the account lifecycle events published, in order, as JSON)
  Deletions      ${stack.stepFunctionsUrl}   (the account deletion workflow's own definition, run locally; ${platformCleanupSeconds ? `waits up to ${platformCleanupSeconds} s for the platform: SendTaskSuccess with the token of account.deletion_requested` : 'no wait for the platform: set PLATFORM_CLEANUP_TIMEOUT_SECONDS'})
  Cleanup        unconfirmed signups older than ${process.env.UNCONFIRMED_RETENTION_DAYS ?? 7} days, ${cleanupEverySeconds ? `checked every ${cleanupEverySeconds} s` : 'off'}
Press Ctrl-C to stop.`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  console.log('Stopping...');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
