// Runs `npm start` as a developer does, in its own process group so that Ctrl-C's SIGINT reaches
// all of it, as a terminal sends it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from '../../local/wait.ts';
import { freePort } from './ports.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface RunningStack {
  readonly api: string;
  readonly mail: string;
  /** The local bus: `${events}/events` lists the lifecycle events published. */
  readonly events: string;
  /** The local Step Functions API: the platform answers a deletion's wait here. */
  readonly stepFunctions: string;
  readonly dynamoPort: number;
  readonly process: ChildProcess;
  output(): string;
  /** True while a DynamoDB Local of this run is alive. */
  javaRunning(): boolean;
  /** Ctrl-C, then waits until every process of the run is gone. */
  stop(): Promise<void>;
  /** For afterAll: kills whatever is left if a test failed before stop(). */
  kill(): void;
}

/**
 * npm start's own words when a port it was given is taken (local/start.ts); or another test's
 * stack, which took DynamoDB's port between the check and Java's bind, answering its table call.
 */
const PORT_TAKEN = /is in use: stop what uses it|EADDRINUSE|Not supported here: DynamoDB_/;

/**
 * `npm start` on free ports. A port free when picked can be taken before the stack listens on it
 * (seconds later, by any process's outgoing connection or another test's stack, more likely the
 * more tests run at once): then the stack says so and exits, and this starts it again on ports
 * picked afresh, twice at most.
 */
export async function npmStart(
  args: string[] = [],
  ports: { dynamoPort?: number } = {},
  env: Record<string, string> = {},
): Promise<RunningStack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreePorts(args, ports, env);
    } catch (err) {
      if (attempt === 3 || !(err instanceof Error && PORT_TAKEN.test(err.message))) throw err;
    }
  }
}

async function startOnFreePorts(
  args: string[],
  ports: { dynamoPort?: number },
  env: Record<string, string>,
): Promise<RunningStack> {
  const [port, mailPort] = [await freePort(), await freePort()];
  const dynamoPort = ports.dynamoPort ?? (await freePort());
  const eventsPort = await freePort();
  const stepFunctionsPort = await freePort();
  let output = '';
  const child = spawn('npm', ['start', ...(args.length ? ['--', ...args] : [])], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      MAIL_PORT: String(mailPort),
      DYNAMODB_PORT: String(dynamoPort),
      GOOGLE_PORT: String(await freePort()),
      STRIPE_PORT: String(await freePort()),
      STEPFUNCTIONS_PORT: String(stepFunctionsPort),
      EVENTS_PORT: String(eventsPort),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const javaRunning = () =>
    spawnSync('pgrep', ['-f', `DynamoDBLocal.jar.*-port ${dynamoPort}$`], {
      encoding: 'utf8',
    }).stdout.trim() !== '';
  const kill = () => {
    if (!child.pid || exited()) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  await waitFor(
    'npm start',
    async () => {
      if (exited()) throw new Error(`npm start exited:\n${output}`);
      return output.includes('Press Ctrl-C to stop.');
    },
    150_000,
  ).catch((err) => {
    // The whole process group, even when npm itself has exited: nothing of this attempt lives on.
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    throw err;
  });
  return {
    api: `http://127.0.0.1:${port}`,
    mail: `http://127.0.0.1:${mailPort}`,
    events: `http://127.0.0.1:${eventsPort}`,
    stepFunctions: `http://127.0.0.1:${stepFunctionsPort}`,
    dynamoPort,
    process: child,
    output: () => output,
    javaRunning,
    kill,
    stop: async () => {
      process.kill(-(child.pid as number), 'SIGINT');
      await waitFor('npm start to exit', async () => exited(), 30_000);
      await waitFor('DynamoDB Local to exit', async () => !javaRunning(), 10_000);
    },
  };
}
