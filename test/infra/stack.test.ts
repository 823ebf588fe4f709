import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ROUTE_STACKS, routes, stackOf } from '../../functions/routes.ts';
import {
  DEFINITION_FILE,
  deletionSteps,
  PLATFORM_CLEANUP_SUBSTITUTION,
  substitutionOf,
} from '../../functions/workflows/steps.ts';
import { TABLE_ACTIONS } from '../../infra/api.ts';
import { PUBLISHER } from '../../infra/events.ts';
import { PLATFORM_FUNCTIONS } from '../../infra/platform.ts';
import { nestedStacksOf, synth } from './synth.ts';

const prod = synth();
const dev = synth({ 'gatehouse:stage': 'dev' });
const template = prod.template;

type Resource = { Type: string; Properties: Record<string, unknown> & { [k: string]: unknown } };
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;

/** A construct's logical id in the stack it sits in (route functions sit in nested stacks). */
const logicalIdOf = (c: IConstruct | undefined): string => {
  if (!c) throw new Error('no such construct');
  return Stack.of(c).getLogicalId(c.node.defaultChild as never);
};

/** The logical id of the function made for a route (or the cleanup job). */
const functionIdOf = (routeId: string): string => {
  const fn =
    routeId === 'cleanup'
      ? prod.stack.jobs.cleanup
      : routeId === 'fallback'
        ? prod.stack.api.fallback
        : prod.stack.api.functions.get(routeId);
  if (!fn) throw new Error(`no function for ${routeId}`);
  return logicalIdOf(fn);
};

/** Every IAM action granted to the role of a route's function, with the statements. */
function statementsOf(routeId: string) {
  const fnId = functionIdOf(routeId);
  const fn = resources('AWS::Lambda::Function')[fnId];
  if (!fn) throw new Error(`no function ${fnId}`);
  const roleRef = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
  return Object.values(resources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(String(roleRef)))
    .flatMap(
      (p) =>
        (
          p.Properties.PolicyDocument as {
            Statement: { Action: string | string[]; Resource?: unknown; Condition?: unknown }[];
          }
        ).Statement,
    );
}
const actionsOf = (routeId: string) => statementsOf(routeId).flatMap((s) => [s.Action].flat());

/** A function's role may write logs to that function's own log group, and nowhere else. */
function expectOwnLogsOnly(statements: { Action: string | string[]; Resource?: unknown }[], fnId: string) {
  const logs = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('logs:')));
  const fn = resources('AWS::Lambda::Function')[fnId];
  const group = (fn?.Properties.LoggingConfig as { LogGroup: { Ref: string } } | undefined)?.LogGroup.Ref;
  expect(logs).toEqual([
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [group, 'Arn'] },
    },
  ]);
}

describe('the table', () => {
  it('is one on-demand table with TTL, point-in-time recovery and the sparse gsi1', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['email', 'confirmTokenHash'] },
        },
      ],
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
    });
  });

  it('is retained and deletion-protected outside dev', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })],
    });
  });

  it('may be destroyed in dev, and only there', () => {
    dev.template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Delete' });
    dev.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })],
    });
  });
});

describe('the MFA key secret', () => {
  it('is generated, 64 characters, and kept like the table outside dev', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResource('AWS::SecretsManager::Secret', {
      Properties: { GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    dev.template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
  });
});

describe('the stacks', () => {
  const countOf = (t: Template) => Object.keys((t.toJSON() as { Resources: object }).Resources).length;
  const stacks = [prod.stack, ...nestedStacksOf(prod.stack)];

  it('put the routes in one nested stack per concern, and nothing else there', () => {
    expect(nestedStacksOf(prod.stack).map((s) => s.node.id)).toEqual(ROUTE_STACKS.map((n) => `${n}Routes`));
    for (const route of routes) {
      const fn = prod.stack.api.functions.get(route.id);
      expect(fn && Stack.of(fn).node.id, route.id).toBe(`${stackOf(route)}Routes`);
    }
    expect(routes.filter((r) => stackOf(r) === 'Console').map((r) => r.path)).toEqual(
      routes.filter((r) => r.path.startsWith('/console')).map((r) => r.path),
    );
  });

  it.each(stacks.map((s) => [s.node.path, s] as const))(
    '%s stays well inside CloudFormation’s 500 resources (about seven a route): split it by concern before this fails',
    (_path, stack) => {
      const count = countOf(Template.fromStack(stack));
      console.info(`${stack.node.path}: ${count} resources`);
      expect(count).toBeLessThan(400);
    },
  );

  it('deploy what one stack deployed: every route, function and role, once', () => {
    const total = stacks.reduce((n, s) => n + countOf(Template.fromStack(s)), 0);
    // The flat view counts each resource once and leaves out the nested stacks' own resources.
    expect(countOf(template)).toBe(total - ROUTE_STACKS.length);
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.flatMap((r) => r.methods).length + 1);
  });
});

describe('the functions', () => {
  it("are one per route (and the fallback, the cleanup job, each deletion step, the platform's authorizer and lookup, the events' publisher), arm64 on nodejs24.x", () => {
    template.resourceCountIs(
      'AWS::Lambda::Function',
      routes.length + 2 + deletionSteps.length + PLATFORM_FUNCTIONS.length + [PUBLISHER].length,
    );
    for (const route of routes) {
      const fn = resources('AWS::Lambda::Function')[functionIdOf(route.id)];
      expect(fn?.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: route.memoryMb ?? 512,
        Timeout: route.timeoutSeconds ?? 10,
        Environment: {
          Variables: expect.objectContaining({
            TABLE_NAME: expect.anything(),
            MAIL_FROM: 'Gatehouse <no-reply@mail.example.com>',
            PUBLIC_BASE_URL: expect.anything(),
            STAGE: 'prod',
            BREACHED_PASSWORD_CHECK: 'on',
          }),
        },
      });
    }
  });

  it('log to their own group with a retention', () => {
    // Two more: the deletion state machine's and the API's access log.
    template.resourceCountIs(
      'AWS::Logs::LogGroup',
      routes.length + 2 + deletionSteps.length + PLATFORM_FUNCTIONS.length + [PUBLISHER].length + 2,
    );
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    const groups = resources('AWS::Logs::LogGroup');
    for (const route of routes) {
      const fn = resources('AWS::Lambda::Function')[functionIdOf(route.id)];
      expect(fn?.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: expect.stringMatching(/logs/) } });
      // The functions' logs in the Infrequent Access class (half the ingestion price; docs/cost.md).
      const group = (fn?.Properties.LoggingConfig as { LogGroup?: { Ref: string } } | undefined)?.LogGroup
        ?.Ref;
      expect(groups[String(group)]?.Properties.LogGroupClass, route.id).toBe('INFREQUENT_ACCESS');
    }
    // And the API's access log, which every request writes a line to.
    const accessLogs = Object.entries(groups).filter(([id]) => /accesslogs/i.test(id));
    expect(accessLogs).toHaveLength(1);
    expect(accessLogs[0]?.[1].Properties.LogGroupClass).toBe('INFREQUENT_ACCESS');
  });

  it('check breached passwords unless told not to', () => {
    synth({ 'gatehouse:breachedPasswordCheck': 'off' }).template.allResourcesProperties(
      'AWS::Lambda::Function',
      {
        Environment: { Variables: Match.objectLike({ BREACHED_PASSWORD_CHECK: 'off' }) },
      },
    );
  });

  it('link to the API URL unless a public base URL is configured', () => {
    const url = 'https://accounts.example.com';
    synth({ 'gatehouse:publicBaseUrl': `${url}/` }).template.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PUBLIC_BASE_URL: url }) },
    });
    template.allResourcesProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PUBLIC_BASE_URL: { 'Fn::GetAtt': [Match.stringLikeRegexp('HttpApi'), 'ApiEndpoint'] },
        }),
      },
    });
  });
});

describe('least privilege', () => {
  it.each(routes.map((r) => [r.id, r] as const))('%s has exactly the access its row names', (_id, route) => {
    const tableStatements = statementsOf(route.id).filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('dynamodb:')),
    );
    const expected = route.access.table
      ? [
          ...TABLE_ACTIONS[route.access.table],
          ...(route.access.batchWrite ? ['dynamodb:BatchWriteItem'] : []),
        ].sort()
      : [];
    expect(tableStatements.flatMap((s) => [s.Action].flat()).sort()).toEqual(expected);
    for (const statement of tableStatements) {
      // The table itself: not its indexes, not another table.
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DataTable/), 'Arn'] });
    }
    expect(actionsOf(route.id).includes('ses:SendEmail')).toBe(route.access.mail === true);
    const secretStatements = statementsOf(route.id).filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('secretsmanager:')),
    );
    if (route.access.mfaKey) {
      // Read the MFA key secret, and no other.
      expect(secretStatements).toEqual([
        expect.objectContaining({
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: { Ref: expect.stringMatching(/^DataMfaEncryptionKey/) },
        }),
      ]);
    } else {
      expect(secretStatements).toEqual([]);
    }
    expectOwnLogsOnly(statementsOf(route.id), functionIdOf(route.id));
    const known = (a: string) =>
      a.startsWith('dynamodb:') ||
      a.startsWith('secretsmanager:') ||
      a === 'ses:SendEmail' ||
      a.startsWith('logs:');
    const others = statementsOf(route.id).filter((s) => [s.Action].flat().some((a) => !known(a)));
    if (route.access.deletion) {
      // Start executions of the deletion workflow, and of nothing else.
      expect(others).toEqual([
        expect.objectContaining({
          Action: 'states:StartExecution',
          Resource: { Ref: expect.stringMatching(/^DeletionStateMachine/) },
        }),
      ]);
    } else {
      expect(others).toEqual([]);
    }
  });

  it('gives the MFA key secret only to the functions that handle second factors', () => {
    for (const route of routes) {
      const fn = resources('AWS::Lambda::Function')[functionIdOf(route.id)];
      const env = fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined;
      const variables = env?.Variables ?? {};
      if (route.access.mfaKey) {
        expect(variables.MFA_ENCRYPTION_KEY_SECRET_ARN).toEqual({
          Ref: expect.stringMatching(/^DataMfaEncryptionKey/),
        });
      } else {
        expect(variables).not.toHaveProperty('MFA_ENCRYPTION_KEY_SECRET_ARN');
      }
      expect(variables).not.toHaveProperty('MFA_ENCRYPTION_KEY');
    }
  });

  it('never lets a function scan the table, nor batch-write to it but the logins (API and console)', () => {
    for (const route of routes) {
      expect(actionsOf(route.id)).not.toContain('dynamodb:Scan');
      expect(actionsOf(route.id).includes('dynamodb:BatchWriteItem'), route.id).toBe(
        route.id === 'login' || route.id === 'console-login',
      );
    }
  });

  it('may send mail only from the configured identity and address', () => {
    const mailer = routes.find((r) => r.access.mail);
    const statement = statementsOf(String(mailer?.id)).find((s) =>
      [s.Action].flat().includes('ses:SendEmail'),
    );
    expect(statement).toMatchObject({
      Condition: { StringEquals: { 'ses:FromAddress': 'no-reply@mail.example.com' } },
      Resource: {
        'Fn::Join': ['', expect.arrayContaining([':ses:eu-west-1:123456789012:identity/mail.example.com'])],
      },
    });
  });
});

describe('the HTTP API', () => {
  it('routes every method and path of the route table to its own function', () => {
    const routeKeys = routes.flatMap((r) => r.methods.map((m) => `${m} ${r.path}`));
    // And the $default route: what none of them matches.
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routeKeys.length + 1);
    const integrations = resources('AWS::ApiGatewayV2::Integration');
    const apiRoutes = Object.values(resources('AWS::ApiGatewayV2::Route'));
    for (const route of routes) {
      for (const method of route.methods) {
        const apiRoute = apiRoutes.find((r) => r.Properties.RouteKey === `${method} ${route.path}`);
        const target = JSON.stringify(apiRoute?.Properties.Target);
        const integration = Object.entries(integrations).find(([id]) => target.includes(id))?.[1];
        expect(JSON.stringify(integration?.Properties.IntegrationUri)).toContain(functionIdOf(route.id));
      }
    }
  });

  it('sends what no route matches to the fallback, which may only write its own logs', () => {
    const fallback = Object.values(resources('AWS::ApiGatewayV2::Route')).find(
      (r) => r.Properties.RouteKey === '$default',
    );
    const target = JSON.stringify(fallback?.Properties.Target);
    const integration = Object.entries(resources('AWS::ApiGatewayV2::Integration')).find(([id]) =>
      target.includes(id),
    )?.[1];
    expect(JSON.stringify(integration?.Properties.IntegrationUri)).toContain(functionIdOf('fallback'));
    expect(statementsOf('fallback')).toHaveLength(1);
    expectOwnLogsOnly(statementsOf('fallback'), functionIdOf('fallback'));
  });

  it('throttles public routes, never above the stage default', () => {
    const expected = Object.fromEntries(
      routes.flatMap((r) =>
        r.throttle
          ? r.methods.map((m) => [
              `${m} ${r.path}`,
              { ThrottlingRateLimit: r.throttle?.rateLimit, ThrottlingBurstLimit: r.throttle?.burstLimit },
            ])
          : [],
      ),
    );
    expect(Object.keys(expected)).toEqual(
      expect.arrayContaining(['POST /api/free_users', 'GET /api/login', 'PUT /api/users/reconfirm_email']),
    );
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { RouteSettings: expected });
    for (const route of routes) {
      expect(route.throttle?.rateLimit ?? 0).toBeLessThanOrEqual(200);
      expect(route.throttle?.burstLimit ?? 0).toBeLessThanOrEqual(400);
    }
    const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    // The stage names those routes by key, so it must be created after them.
    const throttledRouteIds = Object.entries(resources('AWS::ApiGatewayV2::Route'))
      .filter(([, r]) => String(r.Properties.RouteKey) in expected)
      .map(([id]) => id);
    expect(throttledRouteIds).toHaveLength(Object.keys(expected).length);
    expect(stage?.DependsOn).toEqual(expect.arrayContaining(throttledRouteIds));
  });

  it('logs each request to its own group: the route template, never the path or query string', () => {
    const stage = Object.values(resources('AWS::ApiGatewayV2::Stage'))[0];
    const settings = stage?.Properties.AccessLogSettings as { Format: string; DestinationArn: unknown };
    expect(JSON.parse(settings.Format)).toMatchObject({
      requestId: '$context.requestId',
      route: '$context.routeKey',
    });
    expect(settings.Format).not.toMatch(/\$context\.(path|querystring|identity\.userAgent)/i);
    expect(settings.DestinationArn).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^Apiaccesslogs/), 'Arn'],
    });
  });

  it('throttles the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
    });
  });
});

describe('the cleanup of unconfirmed signups', () => {
  it('runs hourly by default, and as often as configured', () => {
    const target = { Arn: { 'Fn::GetAtt': [functionIdOf('cleanup'), 'Arn'] } };
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ ...target, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    synth({ 'gatehouse:cleanupEveryMinutes': '15' }).template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
    });
  });

  it('gives every function the recent-MFA window, 10 minutes unless the context says otherwise', () => {
    expect(resources('AWS::Lambda::Function')[functionIdOf('mfa-deactivate')]?.Properties).toMatchObject({
      Environment: { Variables: expect.objectContaining({ RECENT_MFA_SECONDS: '600' }) },
    });
    synth({ 'gatehouse:recentMfaMinutes': '5' }).template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ RECENT_MFA_SECONDS: '300' }) },
    });
    expect(() => synth({ 'gatehouse:recentMfaMinutes': '61' })).toThrowError(/0 to 60/);
  });

  it("gives the console's functions its idle timeout and session lifetime, 12 hours and 7 days unless the context says otherwise", () => {
    expect(resources('AWS::Lambda::Function')[functionIdOf('console-login')]?.Properties).toMatchObject({
      Environment: {
        Variables: expect.objectContaining({ CONSOLE_IDLE_HOURS: '12', CONSOLE_SESSION_DAYS: '7' }),
      },
    });
    synth({
      'gatehouse:consoleIdleHours': '2',
      'gatehouse:consoleSessionDays': '1',
    }).template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CONSOLE_IDLE_HOURS: '2', CONSOLE_SESSION_DAYS: '1' }) },
    });
    expect(() => synth({ 'gatehouse:consoleSessionDays': '91' })).toThrowError(/1 to 90/);
    expect(() => synth({ 'gatehouse:consoleIdleHours': '0' })).toThrowError(/≥ 1/);
  });

  it('has a retention, a timeout it stops before, and the service environment', () => {
    const fn = resources('AWS::Lambda::Function')[functionIdOf('cleanup')];
    expect(fn?.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 300,
      Environment: {
        Variables: expect.objectContaining({
          UNCONFIRMED_RETENTION_DAYS: '7',
          TABLE_NAME: expect.anything(),
        }),
      },
    });
    synth({ 'gatehouse:unconfirmedRetentionDays': '30' }).template.hasResourceProperties(
      'AWS::Lambda::Function',
      {
        Environment: { Variables: Match.objectLike({ UNCONFIRMED_RETENTION_DAYS: '30' }) },
      },
    );
  });

  it('may only query the sparse index and delete items', () => {
    expectOwnLogsOnly(statementsOf('cleanup'), functionIdOf('cleanup'));
    const statements = statementsOf('cleanup').filter((s) => ![s.Action].flat()[0]?.startsWith('logs:'));
    expect(statements.map((s) => [s.Action].flat()).sort()).toEqual([
      ['dynamodb:DeleteItem'],
      ['dynamodb:Query'],
    ]);
    const query = statements.find((s) => s.Action === 'dynamodb:Query');
    expect(JSON.stringify(query?.Resource)).toContain('/index/gsi1');
    const del = statements.find((s) => s.Action === 'dynamodb:DeleteItem');
    expect(del?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DataTable/), 'Arn'] });
  });

  it('raises an alarm on its errors', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionIdOf('cleanup') } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('settings', () => {
  it.each([
    ['no sender', { 'gatehouse:mailFrom': '' }, /mailFrom and gatehouse:mailIdentity/],
    ['a sender outside the identity', { 'gatehouse:mailFrom': 'x@other.com' }, /not in the identity/],
    ['a bad stage name', { 'gatehouse:stage': 'Prod!' }, /stage/],
    ['a plain-http base URL', { 'gatehouse:publicBaseUrl': 'http://example.com' }, /https/],
    [
      'a breached-password setting other than on/off',
      { 'gatehouse:breachedPasswordCheck': 'yes' },
      /on or off/,
    ],
    ['a Google client id without its secret', { 'gatehouse:googleClientId': 'x.apps' }, /or neither/],
    [
      'a Google secret that is not a complete ARN',
      { 'gatehouse:googleClientId': 'x.apps', 'gatehouse:googleClientSecretArn': 'google-secret' },
      /complete ARN/,
    ],
  ])('refuses %s at synth', (_name, context, message) => {
    expect(() => synth(context)).toThrowError(message);
  });
});

describe('Google sign-in', () => {
  const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gatehouse/google-AbC123';
  const withGoogle = synth({
    'gatehouse:googleClientId': 'acme.apps.googleusercontent.com',
    'gatehouse:googleClientSecretArn': arn,
  });
  const fns = withGoogle.template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
  const idOf = (routeId: string) => logicalIdOf(withGoogle.stack.api.functions.get(routeId));

  it('tells every function the client id, and only the callback where the client secret is', () => {
    for (const route of routes) {
      const env = fns[idOf(route.id)]?.Properties.Environment as
        | { Variables: Record<string, unknown> }
        | undefined;
      const variables = env?.Variables ?? {};
      expect(variables.GOOGLE_CLIENT_ID).toBe('acme.apps.googleusercontent.com');
      if (route.access.googleSecret) expect(variables.GOOGLE_CLIENT_SECRET_ARN).toBe(arn);
      else expect(variables).not.toHaveProperty('GOOGLE_CLIENT_SECRET_ARN');
    }
  });

  it('lets only the callback read the client secret', () => {
    const policies = Object.values(
      withGoogle.template.findResources('AWS::IAM::Policy') as Record<string, Resource>,
    );
    const readers = policies.filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes(arn));
    expect(readers).toHaveLength(1);
    const roleOf = (routeId: string) =>
      (fns[idOf(routeId)]?.Properties.Role as { 'Fn::GetAtt': string[] } | undefined)?.['Fn::GetAtt'][0];
    expect(JSON.stringify(readers[0]?.Properties.Roles)).toContain(String(roleOf('oauth-google-callback')));
  });
});

describe('Stripe billing', () => {
  const secretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gatehouse/stripe-AbC123';
  const withStripe = synth({
    'gatehouse:stripePublishableKey': 'pk_test_abc',
    'gatehouse:stripeSecretsArn': secretArn,
  });
  const fns = withStripe.template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
  const fnOf = (routeId: string) => fns[logicalIdOf(withStripe.stack.api.functions.get(routeId))];
  const policies = Object.values(
    withStripe.template.findResources('AWS::IAM::Policy') as Record<string, Resource>,
  );
  const readersOf = (arn: string) =>
    policies
      .filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes(arn))
      .map((p) => JSON.stringify(p.Properties.Roles));
  const roleOf = (routeId: string) =>
    String((fnOf(routeId)?.Properties.Role as { 'Fn::GetAtt': string[] } | undefined)?.['Fn::GetAtt'][0]);

  const roleOfStep = (state: string) => {
    const fn = withStripe.stack.deletion.functions.get(state);
    const resource = fns[logicalIdOf(fn)];
    return String((resource?.Properties.Role as { 'Fn::GetAtt': string[] } | undefined)?.['Fn::GetAtt'][0]);
  };

  it('gives the secret only to the functions that call Stripe or take its webhooks', () => {
    for (const route of routes) {
      const env = fnOf(route.id)?.Properties.Environment as
        | { Variables: Record<string, unknown> }
        | undefined;
      const variables = env?.Variables ?? {};
      expect(variables.STRIPE_PUBLISHABLE_KEY).toBe('pk_test_abc');
      expect(variables.STRIPE_SECRETS_ARN).toBe(
        route.access.stripe || route.access.stripeWebhook ? secretArn : undefined,
      );
    }
    const stripeRoutes = [
      ...routes.filter((r) => r.access.stripe || r.access.stripeWebhook).map((r) => roleOf(r.id)),
      ...deletionSteps.filter((s) => s.access.stripe).map((s) => roleOfStep(s.state)),
    ];
    expect(readersOf(secretArn)).toHaveLength(stripeRoutes.length);
    for (const role of stripeRoutes)
      expect(readersOf(secretArn).some((roles) => roles.includes(role))).toBe(true);
    expect(readersOf(secretArn).some((roles) => roles.includes(roleOf('stripe-webhook')))).toBe(true);
  });

  it('refuses half the settings at synth', () => {
    expect(() => synth({ 'gatehouse:stripePublishableKey': 'pk_test_abc' })).toThrowError(/or neither/);
    expect(() =>
      synth({ 'gatehouse:stripePublishableKey': 'sk_test_oops', 'gatehouse:stripeSecretsArn': secretArn }),
    ).toThrowError(/publishable key/);
    // The two secrets of earlier versions are refused with the way forward.
    expect(() =>
      synth({
        'gatehouse:stripePublishableKey': 'pk_test_abc',
        'gatehouse:stripeSecretKeyArn': secretArn,
      }),
    ).toThrowError(/gatehouse:stripeSecretsArn, one secret holding/);
  });
});

describe('a custom domain', () => {
  const certificateArn =
    'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab';
  const withDomain = synth({
    'gatehouse:domainName': 'accounts.acme.com',
    'gatehouse:certificateArn': certificateArn,
  });

  it('is mapped to the API, and links and the ApiUrl output point at it', () => {
    const t = withDomain.template;
    t.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'accounts.acme.com',
      DomainNameConfigurations: [
        Match.objectLike({ CertificateArn: certificateArn, EndpointType: 'REGIONAL' }),
      ],
    });
    t.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    t.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PUBLIC_BASE_URL: 'https://accounts.acme.com' }) },
    });
    t.hasOutput('ApiUrl', { Value: 'https://accounts.acme.com' });
    t.hasOutput('CustomDomainTarget', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('Domain'), 'RegionalDomainName'] },
    });
    t.hasOutput('CustomDomainHostedZoneId', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('Domain'), 'RegionalHostedZoneId'] },
    });
  });

  it('is absent unless configured', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    expect(Object.keys(template.findOutputs('CustomDomainTarget'))).toEqual([]);
  });

  it('refuses half the settings, or malformed ones, at synth', () => {
    expect(() => synth({ 'gatehouse:domainName': 'accounts.acme.com' })).toThrowError(/or neither/);
    expect(() =>
      synth({ 'gatehouse:domainName': 'Accounts.Acme.com', 'gatehouse:certificateArn': certificateArn }),
    ).toThrowError(/domain name/);
    expect(() =>
      synth({ 'gatehouse:domainName': 'accounts.acme.com', 'gatehouse:certificateArn': 'my-cert' }),
    ).toThrowError(/certificate ARN/);
  });
});

describe('the account deletion workflow', () => {
  const machines = () => resources('AWS::StepFunctions::StateMachine');
  const stepFunctionId = (state: string) =>
    prod.stack.getLogicalId(prod.stack.deletion.functions.get(state)?.node.defaultChild as never);
  const stepStatements = (state: string) => {
    const fn = resources('AWS::Lambda::Function')[stepFunctionId(state)];
    const role = (fn?.Properties.Role as { 'Fn::GetAtt': string[] } | undefined)?.['Fn::GetAtt'][0];
    return Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(String(role)))
      .flatMap(
        (p) =>
          (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource?: unknown }[] })
            .Statement,
      );
  };

  it('is one Standard state machine, from the definition file, with every task ARN substituted', () => {
    expect(Object.keys(machines())).toHaveLength(1);
    const [machine] = Object.values(machines());
    expect(machine?.Properties.StateMachineType).toBe('STANDARD');
    // DefinitionBody.fromFile: the file itself, as an asset, unchanged.
    const Key = (machine?.Properties.DefinitionS3Location as { Key: string } | undefined)?.Key;
    const file = readFileSync(DEFINITION_FILE, 'utf8');
    expect(readFileSync(join(prod.app.outdir, `asset.${Key}`), 'utf8')).toBe(file);
    const substitutions = machine?.Properties.DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual(
      [...deletionSteps.map(substitutionOf), PLATFORM_CLEANUP_SUBSTITUTION].sort(),
    );
    // No wait for the platform unless the deployment asks for one.
    expect(substitutions[PLATFORM_CLEANUP_SUBSTITUTION]).toBe('0');
    for (const step of deletionSteps) {
      expect(file).toContain(`\${${substitutionOf(step)}}`);
      expect(substitutions[substitutionOf(step)]).toEqual({
        'Fn::GetAtt': [stepFunctionId(step.state), 'Arn'],
      });
    }
  });

  it('logs every transition to its own group, without execution data, and is traced', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: {
                'Fn::GetAtt': [Match.stringLikeRegexp('^DeletionlogsRetention|^Deletionlogs'), 'Arn'],
              },
            },
          },
        ],
      },
      TracingConfiguration: { Enabled: true },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/gatehouse-prod-account-deletion',
      RetentionInDays: 30,
    });
  });

  it('may invoke its task functions and nothing else of ours', () => {
    const [machine] = Object.values(machines());
    const role = (machine?.Properties.RoleArn as { 'Fn::GetAtt': string[] } | undefined)?.['Fn::GetAtt'][0];
    const statements = Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(String(role)))
      .flatMap(
        (p) =>
          (p.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource?: unknown }[] })
            .Statement,
      );
    const invoked = statements
      .filter((s) => [s.Action].flat().includes('lambda:InvokeFunction'))
      .flatMap((s) => JSON.stringify(s.Resource).match(/"Fn::GetAtt":\["([^"]+)"/g) ?? [])
      .map((m) => m.replace(/^"Fn::GetAtt":\["/, '').replace(/"$/, ''));
    expect([...new Set(invoked)].sort()).toEqual(deletionSteps.map((s) => stepFunctionId(s.state)).sort());
    // Besides: log delivery and X-Ray, which Step Functions needs for its own logs and traces.
    const rest = statements.flatMap((s) => [s.Action].flat()).filter((a) => a !== 'lambda:InvokeFunction');
    expect(rest.filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual([]);
  });

  it.each(deletionSteps.map((s) => [s.state, s] as const))(
    '%s has exactly the access its row names',
    (state, step) => {
      const statements = stepStatements(state);
      const table = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
      expect(table.flatMap((s) => [s.Action].flat()).sort()).toEqual([...step.access.table].sort());
      for (const s of table)
        expect(s.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DataTable/), 'Arn'] });
      expectOwnLogsOnly(statements, stepFunctionId(state));
      const actions = statements.flatMap((s) => [s.Action].flat()).filter((a) => !a.startsWith('logs:'));
      expect(actions.includes('ses:SendEmail')).toBe(step.access.mail === true);
      expect(
        actions.filter(
          (a) => !a.startsWith('dynamodb:') && a !== 'ses:SendEmail' && !a.startsWith('secretsmanager:'),
        ),
      ).toEqual([]);
      expect(actions.includes('dynamodb:Scan')).toBe(false);
    },
  );

  it('lets only the destroy route start it, and tells that route its ARN', () => {
    const starters = Object.values(resources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('states:StartExecution'),
    );
    expect(starters).toHaveLength(routes.filter((r) => r.access.deletion).length);
    const fn = resources('AWS::Lambda::Function')[functionIdOf('account-destroy')];
    expect(
      (fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables
        .DELETION_STATE_MACHINE_ARN,
    ).toEqual({
      Ref: expect.stringMatching(/^DeletionStateMachine/),
    });
  });

  it('raises an alarm on failed executions', () => {
    const [id] = Object.keys(machines());
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      Namespace: 'AWS/States',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: id } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('alarms and cost caps', () => {
  const capped = routes.filter((r) => r.reservedConcurrency !== undefined);

  it('reserve concurrency for the routes that hash passwords outside dev, unless switched off', () => {
    expect(capped.map((r) => r.id).sort()).toEqual([
      'console-login',
      'console-signup',
      'free-users',
      'login',
      'signup',
    ]);
    for (const route of capped) {
      expect(resources('AWS::Lambda::Function')[functionIdOf(route.id)]?.Properties).toMatchObject({
        ReservedConcurrentExecutions: route.reservedConcurrency,
        MemorySize: 1769,
      });
    }
    const reserving = (t: typeof template) =>
      Object.values(t.findResources('AWS::Lambda::Function')).filter(
        (f) => (f as Resource).Properties.ReservedConcurrentExecutions !== undefined,
      );
    expect(reserving(template)).toHaveLength(capped.length);
    expect(reserving(dev.template)).toHaveLength(0);
    expect(reserving(synth({ 'gatehouse:reservedConcurrency': 'off' }).template)).toHaveLength(0);
    expect(() => synth({ 'gatehouse:reservedConcurrency': 'maybe' })).toThrowError(/on or off/);
  });

  it('raise an alarm on 5xx answers and on throttled signups and logins', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5xx',
      Namespace: 'AWS/ApiGateway',
      Threshold: 5,
    });
    const throttles = Object.values(resources('AWS::CloudWatch::Alarm')).find((a) =>
      JSON.stringify(a.Properties.Metrics ?? '').includes('Throttles'),
    );
    const metrics =
      (throttles?.Properties.Metrics as { MetricStat?: { Metric: { Dimensions: unknown } } }[]) ?? [];
    expect(
      metrics
        .filter((m) => m.MetricStat)
        .map((m) => JSON.stringify(m.MetricStat?.Metric.Dimensions))
        .sort(),
    ).toEqual(
      capped
        .map((r) => JSON.stringify([{ Name: 'FunctionName', Value: { Ref: functionIdOf(r.id) } }]))
        .sort(),
    );
  });

  it('send every alarm to the SNS topic given, and refuse what is not a topic', () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:gatehouse-alarms';
    const alarms = Object.values(
      synth({ 'gatehouse:alarmTopicArn': topic }).template.findResources('AWS::CloudWatch::Alarm'),
    ) as Resource[];
    // 5xx, throttles, verifier errors, failed deletions, cleanup errors, undelivered events.
    expect(alarms.length).toBe(6);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([topic]);
    expect(
      Object.values(resources('AWS::CloudWatch::Alarm')).every(
        (a) => a.Properties.AlarmActions === undefined,
      ),
    ).toBe(true);
    expect(() => synth({ 'gatehouse:alarmTopicArn': 'alarms@example.com' })).toThrowError(/SNS topic ARN/);
  });
});
