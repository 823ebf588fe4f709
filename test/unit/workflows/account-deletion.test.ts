// The deletion workflow's definition file, as a file: valid Amazon States Language, and shaped as
// docs/architecture.md describes it. Its behaviour is tested by running it (test/integration/
// deletion-*.test.ts); this checks what a run cannot show (every task's retry and catch).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { DEFINITION_FILE, deletionSteps, substitutionOf } from '../../../functions/workflows/steps.ts';
import { deletionDefinition } from '../../../local/stepfunctions.ts';

interface State {
  readonly Type: string;
  readonly Resource?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Retry?: unknown[];
  readonly Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string }[];
}

const raw = readFileSync(DEFINITION_FILE, 'utf8');
const states = (JSON.parse(raw) as { States: Record<string, State> }).States;
const tasks = Object.entries(states).filter(([, s]) => s.Type === 'Task');

describe('account-deletion.asl.json', () => {
  it('is valid Amazon States Language once its task ARNs are substituted', async () => {
    const result = validator(await deletionDefinition());
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('leaves nothing unsubstituted: every placeholder is a step’s, every step has one', async () => {
    const placeholders = [...raw.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(placeholders).toEqual(deletionSteps.map(substitutionOf).sort());
    expect(JSON.stringify(await deletionDefinition())).not.toContain('${');
  });

  it('maps every Task state to a step handler that exists', () => {
    expect(tasks.map(([name]) => name).sort()).toEqual(deletionSteps.map((s) => s.state).sort());
    for (const step of deletionSteps) {
      expect(states[step.state]?.Resource).toBe(`\${${substitutionOf(step)}}`);
      expect(existsSync(join(import.meta.dirname, '../../../functions', step.entry)), step.entry).toBe(true);
    }
  });

  it('retries Lambda service errors, throttling, timeouts and transient failures: 2 s, 6 attempts, backoff 2, jitter', () => {
    for (const [name, state] of tasks) {
      expect(state.Retry, name).toEqual([
        {
          ErrorEquals: [
            'Lambda.ServiceException',
            'Lambda.AWSLambdaException',
            'Lambda.SdkClientException',
            'Lambda.TooManyRequestsException',
            'Lambda.Unknown',
            'Sandbox.Timedout',
            'States.Timeout',
            'Gatehouse.Transient',
          ],
          IntervalSeconds: 2,
          MaxAttempts: 6,
          BackoffRate: 2,
          JitterStrategy: 'FULL',
        },
      ]);
    }
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
    for (let name: string | undefined = 'CancelBilling'; name; ) {
      path.push(name);
      const state: (State & { Default?: string }) | undefined = states[name];
      name = state?.Type === 'Choice' ? state.Default : state?.Next;
    }
    expect(path).toEqual([
      'CancelBilling',
      'Claimed?',
      'Purge',
      'MoreToPurge?',
      'ReleaseEmail',
      'Goodbye',
      'Tombstone',
      'Deleted',
    ]);
    expect(JSON.stringify(states['MoreToPurge?'])).toContain('"Next":"Purge"');
    expect(JSON.stringify(states['Claimed?'])).toContain('"Next":"NotRequested"');
  });
});
