// The deletion workflow's definition file, as a file: valid Amazon States Language, and shaped as
// docs/architecture.md describes it. Its behaviour is tested by running it (test/integration/
// deletion-*.test.ts); this checks what a run cannot show (every task's retry and catch).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import {
  DEFINITION_FILE,
  deletionSteps,
  PLATFORM_CLEANUP_SUBSTITUTION,
  substitutionOf,
} from '../../../functions/workflows/steps.ts';
import { deletionDefinition } from '../../../local/stepfunctions.ts';

interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly TimeoutSecondsPath?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Retry?: unknown[];
  readonly Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
}

const raw = readFileSync(DEFINITION_FILE, 'utf8');
const states = (JSON.parse(raw) as { States: Record<string, State> }).States;
const tasks = Object.entries(states).filter(([, s]) => s.Type === 'Task');

describe('account-deletion.asl.json', () => {
  it.each([0, 86_400])(
    'is valid Amazon States Language once its task ARNs and a cleanup wait of %i s are substituted',
    async (seconds) => {
      const result = validator(await deletionDefinition(seconds));
      expect(result.errorsText()).toBe('');
      expect(result.isValid).toBe(true);
    },
  );

  it('leaves nothing unsubstituted: every placeholder is a step’s, every step has one', async () => {
    const placeholders = [...raw.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect([...new Set(placeholders)].sort()).toEqual(
      [...deletionSteps.map(substitutionOf), PLATFORM_CLEANUP_SUBSTITUTION].sort(),
    );
    expect(JSON.stringify(await deletionDefinition())).not.toContain('${');
  });

  it('maps every Task state to a step handler that exists', () => {
    expect(tasks.map(([name]) => name).sort()).toEqual(deletionSteps.map((s) => s.state).sort());
    for (const step of deletionSteps) {
      // A callback task names its function in the Lambda integration's parameters.
      if (step.callback) {
        expect(states[step.state]?.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
        expect(states[step.state]?.Parameters?.FunctionName).toBe(`\${${substitutionOf(step)}}`);
        expect(states[step.state]?.Parameters?.Payload).toMatchObject({ 'taskToken.$': '$$.Task.Token' });
      } else expect(states[step.state]?.Resource).toBe(`\${${substitutionOf(step)}}`);
      expect(existsSync(join(import.meta.dirname, '../../../functions', step.entry)), step.entry).toBe(true);
    }
  });

  it('retries Lambda service errors, throttling, timeouts and transient failures: 2 s, 6 attempts, backoff 2, jitter; never the platform’s own timeout', () => {
    const errors = [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
      'Lambda.Unknown',
      'Sandbox.Timedout',
      'States.Timeout',
      'Gatehouse.Transient',
    ];
    for (const [name, state] of tasks) {
      // The wait's timeout is the platform's deadline passing: final, not a retry.
      const retried = name === 'WaitForPlatform' ? errors.filter((e) => e !== 'States.Timeout') : errors;
      expect(state.Retry, name).toEqual([
        { ErrorEquals: retried, IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, JitterStrategy: 'FULL' },
      ]);
    }
    expect(states.WaitForPlatform?.TimeoutSecondsPath).toBe('$.settings.platformCleanupSeconds');
  });

  it('catches every failure of every step into MarkFailed, which ends in a Fail state', () => {
    for (const [name, state] of tasks.filter(([n]) => n !== 'MarkFailed')) {
      expect(state.Catch, name).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'MarkFailed' },
      ]);
    }
    expect(states.MarkFailed?.Next).toBe('DeletionFailed');
    expect(states.DeletionFailed?.Type).toBe('Fail');
  });

  it('runs the steps in order, purging in a loop, and releases the address only after the purge', () => {
    const path: string[] = [];
    for (let name: string | undefined = 'Settings'; name; ) {
      path.push(name);
      const state: (State & { Default?: string }) | undefined = states[name];
      name = state?.Type === 'Choice' ? state.Default : state?.Next;
    }
    expect(path).toEqual([
      'Settings',
      'Claim',
      'Claimed?',
      'CancelBilling',
      'Purge',
      'MoreToPurge?',
      'ReleaseEmail',
      'Goodbye',
      'Tombstone',
      'Deleted',
    ]);
    expect(JSON.stringify(states['MoreToPurge?'])).toContain('"Next":"Purge"');
    expect(JSON.stringify(states['Claimed?'])).toContain('"Next":"NotRequested"');
    // The wait, when the deployment asks for one, sits between the claim and the billing.
    expect(JSON.stringify(states['Claimed?'])).toContain('"Next":"WaitForPlatform"');
    expect(states.WaitForPlatform?.Next).toBe('CancelBilling');
  });
});
