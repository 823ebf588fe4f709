// The account deletion workflow, locally: the same definition file the CDK stack deploys, run by
// aws-local-stepfunctions with each Task state mapped to the same handler its Lambda runs, in
// process. A small stand-in for the Step Functions API (StartExecution, DescribeExecution,
// SendTaskSuccess, SendTaskFailure, as the SDK speaks them) lets the destroy endpoint start it
// and the platform answer its wait exactly as they do when deployed.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { serve } from '@hono/node-server';
import { StateMachine } from 'aws-local-stepfunctions';
import { type Context, Hono } from 'hono';
import {
  DEFINITION_FILE,
  deletionSteps,
  PLATFORM_CLEANUP_SUBSTITUTION,
  substitutionOf,
} from '../functions/workflows/steps.ts';
import { LOCAL_STATE_MACHINE_ARN } from './env.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/** What the execution log tells of an event (the package does not export its type). */
export interface EventLog {
  readonly type: string;
  readonly state?: { readonly name: string };
  readonly Error?: string;
  readonly Cause?: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type TaskHandler = (input: Json) => Promise<Json>;

/** How long the workflow waits for the platform's cleanup locally: PLATFORM_CLEANUP_TIMEOUT_SECONDS, or not at all. */
export const platformCleanupSecondsFromEnv = (): number => {
  const raw = process.env.PLATFORM_CLEANUP_TIMEOUT_SECONDS?.trim();
  if (!raw) return 0;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1)
    throw new Error(`PLATFORM_CLEANUP_TIMEOUT_SECONDS must be a whole number of seconds ≥ 1: ${raw}`);
  return seconds;
};

/**
 * The definition as deployed, with made-up (valid) function ARNs in place of the CDK's and the
 * platform cleanup's timeout (0: no wait) in place of the deployment's setting.
 */
export async function deletionDefinition(platformCleanupSeconds = 0): Promise<Record<string, unknown>> {
  let text = await readFile(DEFINITION_FILE, 'utf8');
  for (const step of deletionSteps) {
    text = text.replaceAll(
      `\${${substitutionOf(step)}}`,
      `arn:aws:lambda:${REGION}:${ACCOUNT}:function:gatehouse-${step.id}`,
    );
  }
  text = text.replaceAll(`\${${PLATFORM_CLEANUP_SUBSTITUTION}}`, String(platformCleanupSeconds));
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * aws-local-stepfunctions reads a TimeoutSecondsPath from the state's input after Parameters, Step
 * Functions from its input before: the one wait's path becomes the number it names, for the run.
 */
function withLiteralTimeouts(definition: Record<string, unknown>, seconds: number): Record<string, unknown> {
  const states = definition.States as Record<string, Record<string, unknown>>;
  for (const state of Object.values(states)) {
    if (state.TimeoutSecondsPath === undefined) continue;
    delete state.TimeoutSecondsPath;
    state.TimeoutSeconds = Math.max(seconds, 1);
  }
  return definition;
}

/** Each Task state's handler, imported only now: handlers read the environment on first use. */
export async function stepHandlers(): Promise<Record<string, TaskHandler>> {
  const handlers: Record<string, TaskHandler> = {};
  for (const step of deletionSteps) {
    const module = (await import(/* @vite-ignore */ `../functions/${step.entry}`)) as {
      handler: TaskHandler;
    };
    handlers[step.state] = module.handler;
  }
  return handlers;
}

/** Tasks waiting for a callback (`.waitForTaskToken`), by token; and how the ended ones ended. */
const waiting = new Map<string, { resolve(output: Json): void; reject(err: Error): void }>();
const ended = new Set<string>();

/** Why a callback was not taken: Step Functions' own error names. */
export class CallbackError extends Error {}

function answer(token: string, outcome: { output: Json } | { error: string; cause: string }): void {
  const task = waiting.get(token);
  if (!task) {
    if (ended.has(token))
      throw Object.assign(new CallbackError("Task Timed Out: 'Provided task does not exist anymore'"), {
        name: 'TaskTimedOut',
      });
    throw Object.assign(new CallbackError(`Invalid Token: '${token.slice(0, 16)}…'`), {
      name: 'InvalidToken',
    });
  }
  waiting.delete(token);
  ended.add(token);
  if ('output' in outcome) task.resolve(outcome.output);
  else task.reject(Object.assign(new Error(outcome.cause), { name: outcome.error }));
}

/** SendTaskSuccess, as the local Step Functions API takes it. */
export const sendTaskSuccess = (token: string, output: Json): void => answer(token, { output });
/** SendTaskFailure, as the local Step Functions API takes it. */
export const sendTaskFailure = (token: string, error: string, cause = ''): void =>
  answer(token, { error, cause });

/**
 * A `.waitForTaskToken` task's local handler: invokes the function with the Payload (as the
 * Lambda integration does), then waits for the token's answer; the library's TimeoutSeconds ends
 * the wait with States.Timeout, after which the token answers TaskTimedOut, as Step Functions does.
 * Unlike Step Functions, a retried attempt keeps the run's one token (the library has no other).
 */
const waitingFor =
  (handler: TaskHandler, token: string, timeoutSeconds: number): TaskHandler =>
  async (input) => {
    // Answerable from the task's start, as in Step Functions, and until its deadline from then.
    ended.delete(token);
    const answered = new Promise<Json>((resolve, reject) => waiting.set(token, { resolve, reject }));
    answered.catch(() => {});
    setTimeout(() => {
      if (waiting.delete(token)) ended.add(token);
    }, timeoutSeconds * 1000).unref();
    try {
      await handler((input as { Payload: Json }).Payload);
    } catch (err) {
      waiting.delete(token);
      throw err;
    }
    return answered;
  };

export interface RunOptions {
  /** Wrap or replace a state's handler (failure injection in tests). */
  readonly wrap?: (state: string, handler: TaskHandler) => TaskHandler;
  /** Pause before each retry, in ms, instead of the definition's 2 s with backoff and jitter. */
  readonly retryIntervalMs?: number;
  /** Wait this long for the platform's cleanup; default: PLATFORM_CLEANUP_TIMEOUT_SECONDS, or no wait. */
  readonly platformCleanupSeconds?: number;
}

export interface DeletionRun {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: Json;
  readonly error?: string;
  readonly cause?: string;
  /** The execution's events (states entered, retried, caught, ...), in order. */
  readonly events: readonly EventLog[];
}

/** Runs one execution of the deletion workflow to its end. */
export async function runDeletion(
  input: { userId: string; execution: string },
  options: RunOptions = {},
): Promise<DeletionRun> {
  const cleanupSeconds = options.platformCleanupSeconds ?? platformCleanupSecondsFromEnv();
  const definition = withLiteralTimeouts(await deletionDefinition(cleanupSeconds), cleanupSeconds);
  const handlers = await stepHandlers();
  // One token a run: the library gives $$.Task.Token from the run's context.
  const token = `local-${randomBytes(24).toString('base64url')}`;
  const local = Object.fromEntries(
    Object.entries(handlers).map(([state, handler]) => {
      const wrapped = options.wrap?.(state, handler) ?? handler;
      const callback = deletionSteps.find((s) => s.state === state)?.callback;
      return [state, callback ? waitingFor(wrapped, token, cleanupSeconds) : wrapped];
    }),
  );
  const retryIntervalOverrides =
    options.retryIntervalMs === undefined
      ? undefined
      : Object.fromEntries(deletionSteps.map((s) => [s.state, options.retryIntervalMs as number]));
  const machine = new StateMachine(definition as never);
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: local as never, retryIntervalOverrides },
    context: { Execution: { Name: input.execution, Input: input }, Task: { Token: token } },
  });
  const events: EventLog[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) events.push(event as EventLog);
  })();
  try {
    const output = (await execution.result) as Json;
    await collecting;
    return { status: 'SUCCEEDED', output, events };
  } catch (err) {
    await collecting.catch(() => {});
    const failed = events.find((e) => e.type === 'ExecutionFailed');
    return {
      status: 'FAILED',
      error: failed?.Error ?? (err as Error).name,
      cause: String(failed?.Cause ?? (err as Error).message),
      events,
    };
  }
}

interface Execution {
  readonly executionArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: number;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  readonly done: Promise<void>;
}

export interface LocalStepFunctions {
  readonly url: string;
  readonly stateMachineArn: string;
  readonly environment: Record<string, string>;
  readonly executions: ReadonlyMap<string, Execution>;
  /** Resolves when every execution started so far has ended. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const awsError = (c: Context, type: string, message: string) =>
  c.body(JSON.stringify({ __type: type, message }), 400, { 'content-type': 'application/x-amz-json-1.0' });

const reply = (c: Context, body: Record<string, unknown>) =>
  c.body(JSON.stringify(body), 200, { 'content-type': 'application/x-amz-json-1.0' });

/** The Step Functions API of the local stack: executions of the deletion workflow, in process. */
export async function startLocalStepFunctions(
  port = 0,
  options: RunOptions = {},
): Promise<LocalStepFunctions> {
  const executions = new Map<string, Execution>();
  const stateMachineArn = LOCAL_STATE_MACHINE_ARN;
  const executionArn = (name: string) =>
    `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

  const start = (name: string, input: string): Execution => {
    const now = Date.now() / 1000;
    const execution: Execution = {
      executionArn: executionArn(name),
      name,
      input,
      startDate: now,
      status: 'RUNNING',
      done: runDeletion(JSON.parse(input), options).then(
        (run) => {
          Object.assign(execution, {
            status: run.status,
            stopDate: Date.now() / 1000,
            output: run.output === undefined ? undefined : JSON.stringify(run.output),
            error: run.error,
            cause: run.cause,
          });
          if (run.status === 'FAILED') console.error(`deletion ${name} failed: ${run.error} ${run.cause}`);
        },
        (err: Error) => {
          // The definition or a handler could not even be loaded: failed, as Step Functions would say.
          Object.assign(execution, {
            status: 'FAILED',
            stopDate: Date.now() / 1000,
            error: err.name,
            cause: err.message,
          });
          console.error(`deletion ${name} could not run: ${err.message}`);
        },
      ),
    };
    executions.set(name, execution);
    return execution;
  };

  const app = new Hono();
  app.post('/', async (c) => {
    const target = c.req.header('x-amz-target') ?? '';
    const body = (await c.req.json()) as Record<string, string | undefined>;
    if (target === 'AWSStepFunctions.StartExecution') {
      if (body.stateMachineArn !== stateMachineArn)
        return awsError(
          c,
          'StateMachineDoesNotExist',
          `State Machine Does Not Exist: '${body.stateMachineArn}'`,
        );
      const name = body.name ?? randomBytes(16).toString('hex');
      const input = body.input ?? '{}';
      const existing = executions.get(name);
      // As Step Functions: the same name and input while running is the same execution.
      if (existing && (existing.status !== 'RUNNING' || existing.input !== input))
        return awsError(c, 'ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
      const execution = existing ?? start(name, input);
      return reply(c, { executionArn: execution.executionArn, startDate: execution.startDate });
    }
    if (target === 'AWSStepFunctions.DescribeExecution') {
      const execution = [...executions.values()].find((e) => e.executionArn === body.executionArn);
      if (!execution)
        return awsError(c, 'ExecutionDoesNotExist', `Execution Does Not Exist: '${body.executionArn}'`);
      const { done: _done, ...description } = execution;
      return reply(c, { ...description, stateMachineArn });
    }
    if (target === 'AWSStepFunctions.SendTaskSuccess' || target === 'AWSStepFunctions.SendTaskFailure') {
      try {
        if (target === 'AWSStepFunctions.SendTaskSuccess') {
          let output: Json;
          try {
            output = JSON.parse(body.output ?? '') as Json;
          } catch {
            return awsError(c, 'InvalidOutput', 'Invalid Output: the output is not JSON');
          }
          sendTaskSuccess(String(body.taskToken), output);
        } else sendTaskFailure(String(body.taskToken), body.error ?? '', body.cause ?? '');
      } catch (err) {
        if (err instanceof CallbackError) return awsError(c, err.name, err.message);
        throw err;
      }
      return reply(c, {});
    }
    return awsError(c, 'UnknownOperationException', `Not supported here: ${target}`);
  });

  const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => ready(s));
    s.once('error', fail);
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  const settled = async () => {
    await Promise.all([...executions.values()].map((e) => e.done));
  };
  return {
    url,
    stateMachineArn,
    executions,
    environment: { AWS_ENDPOINT_URL_SFN: url, DELETION_STATE_MACHINE_ARN: stateMachineArn },
    settled,
    stop: async () => {
      await settled();
      await new Promise<void>((done) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => done());
      });
    },
  };
}
