// The whole local stack: DynamoDB Local, the local SES, the table, the deletion workflow, the
// stand-ins for Google and Stripe, and the API on one port.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { serve } from '@hono/node-server';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.ts';
import { startLocalEvents } from './events.ts';
import { startFakeGoogle } from './fake-google.ts';
import { startFakeStripe } from './fake-stripe.ts';
import { type LocalSes, startLocalSes } from './ses.ts';
import { startLocalStepFunctions } from './stepfunctions.ts';
import { startStreamPoller } from './streams.ts';
import { createTable } from './table.ts';

export interface StackOptions {
  readonly port: number;
  readonly mailPort: number;
  readonly dynamoPort: number;
  /** Keep DynamoDB data in this folder between runs; in memory when absent. */
  readonly persistDir?: string;
  readonly tableName?: string;
  /** Port of the local stand-in for Google sign-in (started unless GOOGLE_CLIENT_ID is set). */
  readonly googlePort?: number;
  /** Port of the local stand-in for Stripe (started unless STRIPE_SECRET_KEY is set). */
  readonly stripePort?: number;
  /** Port of the local Step Functions API that runs the deletion workflow (0: any free port). */
  readonly stepFunctionsPort?: number;
  /** Seconds between runs of the cleanup of unconfirmed signups; 0 turns it off. */
  readonly cleanupEverySeconds?: number;
  /** Port of the local bus, whose events show at `/events` (0: any free port). */
  readonly eventsPort?: number;
}

export interface LocalStack {
  readonly apiUrl: string;
  readonly mailUrl: string;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  /** The local stand-in for Google, when the stack started one. */
  readonly googleUrl?: string;
  /** The local stand-in for Stripe, when the stack started one. */
  readonly stripeUrl?: string;
  /** The local Step Functions API, running the deletion workflow's own definition. */
  readonly stepFunctionsUrl: string;
  /** The local bus: the lifecycle events published, in order, at `${eventsUrl}/events`. */
  readonly eventsUrl: string;
  stop(): Promise<void>;
}

/** Environment the handlers read, pointing the AWS SDK at the local services. */
export function localEnvironment(o: {
  dynamoEndpoint: string;
  mailUrl: string;
  tableName: string;
  apiUrl: string;
  /** Key material TOTP secrets are sealed under (deployed stacks read it from Secrets Manager). */
  mfaKey: string;
}) {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: o.dynamoEndpoint,
    AWS_ENDPOINT_URL_SES: o.mailUrl,
    TABLE_NAME: o.tableName,
    MAIL_FROM: 'Gatehouse <no-reply@gatehouse.local>',
    PUBLIC_BASE_URL: o.apiUrl,
    STAGE: 'local',
    MFA_ENCRYPTION_KEY: o.mfaKey,
  };
}

/** A fresh dev key for MFA secrets; with persisted data, the one kept beside it (mode 0600). */
export async function devMfaKey(persistDir?: string): Promise<string> {
  const fresh = randomBytes(32).toString('base64url');
  if (!persistDir) return fresh;
  const file = join(persistDir, 'mfa-encryption.key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(persistDir, { recursive: true });
  await writeFile(file, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
  return fresh;
}

export async function startLocalStack(options: StackOptions): Promise<LocalStack> {
  const tableName = options.tableName ?? 'gatehouse-local';
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const part of started.reverse()) await part.stop().catch(() => {});
  };
  try {
    const dynamo: DynamoDbLocal = await startDynamoDbLocal({
      port: options.dynamoPort,
      dbPath: options.persistDir,
    });
    started.push(dynamo);
    const ses: LocalSes = await startLocalSes(options.mailPort);
    started.push(ses);
    const apiUrl = `http://127.0.0.1:${options.port}`;
    // Google sign-in against a local stand-in, unless real Google settings are in the environment.
    const google = process.env.GOOGLE_CLIENT_ID ? undefined : await startFakeGoogle(options.googlePort ?? 0);
    if (google) {
      started.push(google);
      Object.assign(process.env, google.environment);
    }
    // Stripe likewise: the SDK pointed at a local stand-in unless a real key is in the environment.
    const stripe = process.env.STRIPE_SECRET_KEY ? undefined : await startFakeStripe(options.stripePort ?? 0);
    if (stripe) {
      started.push(stripe);
      Object.assign(process.env, stripe.environment);
    }
    Object.assign(
      process.env,
      localEnvironment({
        dynamoEndpoint: dynamo.endpoint,
        mailUrl: ses.url,
        tableName,
        apiUrl,
        mfaKey: await devMfaKey(options.persistDir),
      }),
    );
    await createTable(new DynamoDBClient({}), tableName);
    // The deletion workflow: its definition run in process, reached as Step Functions would be.
    const stepFunctions = await startLocalStepFunctions(options.stepFunctionsPort ?? 0);
    started.push(stepFunctions);
    Object.assign(process.env, stepFunctions.environment);

    // Lifecycle events: the table's stream fed to the publisher, which puts them on a local bus.
    const bus = await startLocalEvents(options.eventsPort ?? 0);
    started.push(bus);
    Object.assign(process.env, bus.environment);
    const { handler: publish } = await import('../functions/platform/publisher.ts');
    started.push(await startStreamPoller({ endpoint: dynamo.endpoint, tableName, handler: publish }));

    // Imported only now: handlers read their configuration from the environment set above.
    const { createLocalApp } = await import('./server.ts');
    const app = await createLocalApp();
    const { referencePage, REFERENCE_STYLE, REFERENCE_STYLE_PATH } = await import('./reference.ts');
    app.get('/docs', (c) => c.html(referencePage()));
    app.get(REFERENCE_STYLE_PATH, (c) =>
      c.body(REFERENCE_STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8' }),
    );
    const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: options.port }, () => ready(s));
      s.once('error', fail);
    });
    // An idle connection outlives any client's wait: Node closes one after 5 s by default, and a
    // client (fetch) that reuses it just then, a busy event loop having kept it from seeing the
    // close, fails with "other side closed" (test/e2e/cli.test.ts did, once, under a loaded CI).
    // Clients drop theirs a little before the server's Keep-Alive hint, so only a minute-long
    // idle could race now.
    if ('keepAliveTimeout' in server) {
      server.keepAliveTimeout = 65_000;
      server.headersTimeout = 66_000;
    }
    started.push({
      stop: () =>
        new Promise((done) => {
          if ('closeAllConnections' in server) server.closeAllConnections();
          server.close(() => done());
        }),
    });
    // The scheduled job, on a short interval: EventBridge's part in the deployed stack.
    const every = options.cleanupEverySeconds ?? 60;
    if (every > 0) {
      const { cleanupUnconfirmed } = await import('../functions/jobs/cleanup-unconfirmed.ts');
      const { config } = await import('#shared/config.ts');
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        cleanupUnconfirmed({
          now: Math.floor(Date.now() / 1000),
          retentionSeconds: config().unconfirmedRetentionDays * 24 * 3600,
          shouldStop: () => false,
        })
          .catch((err) => console.error('cleanup failed:', err))
          .finally(() => {
            running = false;
          });
      }, every * 1000);
      started.push({ stop: async () => clearInterval(timer) });
    }
    const port = (server.address() as AddressInfo).port;
    return {
      apiUrl: `http://127.0.0.1:${port}`,
      mailUrl: ses.url,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      googleUrl: google?.url,
      stripeUrl: stripe?.url,
      stepFunctionsUrl: stepFunctions.url,
      eventsUrl: bus.url,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
