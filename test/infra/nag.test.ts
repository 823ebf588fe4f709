// cdk-nag's AwsSolutions pack over the whole stack, as deployed in each shape: no finding left, except
// those acknowledged in the code next to the resource, each with its reason.
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { synth } from './synth.ts';

const STRIPE = {
  'gatehouse:stripePublishableKey': 'pk_test_abc',
  'gatehouse:stripeSecretsArn': 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stripe-AbCdEf',
  'gatehouse:googleClientId': 'client.apps.googleusercontent.com',
  'gatehouse:googleClientSecretArn': 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:google-AbCdEf',
};

describe('cdk-nag (AwsSolutions)', () => {
  it.each([
    ['prod, without Google and Stripe', {}],
    ['prod, with Google and Stripe', STRIPE],
    ['dev', { 'gatehouse:stage': 'dev' }],
    [
      'prod, with platform roles and the deletion waiting for them',
      {
        'gatehouse:platformRoleArns': 'arn:aws:iam::123456789012:role/git-host',
        'gatehouse:platformCleanupHours': '24',
      },
    ],
  ])('finds nothing unacknowledged in %s', (_what, context) => {
    const { stack } = synth(context);
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(
      report.violations.map(
        (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
      ),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });
});
