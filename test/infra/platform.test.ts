// The platform contract in the template (issue 20, part 1): the authorizer and the lookup with only
// what verifying a key needs, the lookup invocable by the platform's roles alone, the SSM names a
// platform stack reads, and the example platform stack, which synthesizes with the construct.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { PlatformStack } from '../../examples/platform/platform-stack.ts';
import { GatehouseAuthorizer, PUBLISHED, parameterName } from '../../infra/integration.ts';
import { PLATFORM_FUNCTIONS, VERIFY_ACTIONS } from '../../infra/platform.ts';
import { synth, templatesOf } from './synth.ts';

const ROLE = 'arn:aws:iam::123456789012:role/git-host';
const { stack, template } = synth({
  'gatehouse:platformRoleArns': `${ROLE}, arn:aws:iam::123456789012:role/shell`,
});

const functionId = (id: string) =>
  stack.getLogicalId(stack.node.findChild('Platform').node.findChild(id).node.defaultChild as never);

type Resource = { Properties: Record<string, unknown> };
const resources = (t: Template, type: string) => t.findResources(type) as Record<string, Resource>;

describe('the platform functions', () => {
  it.each(PLATFORM_FUNCTIONS.map((f) => [f.id]))(
    '%s reads and writes only what verifying a key needs',
    (id) => {
      const logicalId = functionId(id);
      const fn = resources(template, 'AWS::Lambda::Function')[logicalId];
      expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      const role = (fn?.Properties.Role as unknown as { 'Fn::GetAtt': [string] } | undefined)?.[
        'Fn::GetAtt'
      ][0];
      const statements = Object.values(resources(template, 'AWS::IAM::Policy'))
        .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
        .flatMap(
          (p) => (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
        );
      const actions = statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('dynamodb:'));
      expect(actions.sort()).toEqual([...VERIFY_ACTIONS].sort());
      // No mail, no secrets, no other service.
      expect(
        statements.flatMap((s) => [s.Action].flat()).filter((a) => !/^(dynamodb|logs):/.test(a)),
      ).toEqual([]);
    },
  );

  it('lets the named platform roles invoke the lookup, and nobody invoke anything else', () => {
    const permissions = Object.values(resources(template, 'AWS::Lambda::Permission')).filter(
      (p) =>
        typeof p.Properties.Principal === 'string' &&
        String(p.Properties.Principal).startsWith('arn:aws:iam'),
    );
    expect(permissions.map((p) => p.Properties.Principal).sort()).toEqual([
      ROLE,
      'arn:aws:iam::123456789012:role/shell',
    ]);
    for (const p of permissions) {
      expect(p.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionId('platform-lookup'), 'Arn'] },
      });
    }
    const plain = synth().template;
    expect(
      Object.values(resources(plain, 'AWS::Lambda::Permission')).filter((p) =>
        String(p.Properties.Principal).startsWith('arn:aws:iam'),
      ),
    ).toEqual([]);
    expect(() => synth({ 'gatehouse:platformRoleArns': 'git-host' })).toThrowError(/IAM role ARNs/);
  });

  it('publishes the authorizer, the lookup and the table under /gatehouse/<stage>/', () => {
    const parameters = Object.values(resources(template, 'AWS::SSM::Parameter')).map((p) => p.Properties);
    expect(parameters.map((p) => p.Name).sort()).toEqual(
      Object.values(PUBLISHED)
        .map((name) => parameterName('prod', name))
        .sort(),
    );
    const byName = new Map(parameters.map((p) => [p.Name, p.Value]));
    expect(byName.get('/gatehouse/prod/authorizer-function-arn')).toEqual({
      'Fn::GetAtt': [functionId('platform-authorizer'), 'Arn'],
    });
    expect(byName.get('/gatehouse/prod/lookup-function-arn')).toEqual({
      'Fn::GetAtt': [functionId('platform-lookup'), 'Arn'],
    });
    template.hasOutput('AuthorizerFunctionArn', {});
    template.hasOutput('LookupFunctionArn', {});
  });

  it('names the git host to clients, and refuses what is not a host name', () => {
    const withGit = synth({ 'gatehouse:gitHost': 'git.example.com' }).template;
    const publicConfig = Object.values(resources(withGit, 'AWS::Lambda::Function')).filter(
      (f) =>
        (f.Properties.Environment as { Variables: Record<string, string> }).Variables.GIT_HOST ===
        'git.example.com',
    );
    expect(publicConfig.length).toBeGreaterThan(0);
    expect(() => synth({ 'gatehouse:gitHost': 'https://git.example.com' })).toThrowError(/host name/);
  });
});

describe('GatehouseAuthorizer, in a platform stack of the same account', () => {
  const platformStack = () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'platform-cdk-')) });
    return new PlatformStack(app, 'ExamplePlatform', {
      gatehouseStage: 'prod',
      env: { account: '123456789012', region: 'eu-west-1' },
    });
  };

  it('attaches a REQUEST authorizer with simple responses and no cache to the route', () => {
    const example = Template.fromStack(platformStack());
    example.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 0,
    });
    example.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /whoami',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: Match.anyValue(),
    });
    // The function's ARN comes from the Gatehouse stage's SSM parameter, resolved at deploy.
    const parameters = (example.toJSON() as { Parameters: Record<string, { Type: string; Default: string }> })
      .Parameters;
    expect(Object.values(parameters)).toContainEqual(
      expect.objectContaining({
        Type: 'AWS::SSM::Parameter::Value<String>',
        Default: '/gatehouse/prod/authorizer-function-arn',
      }),
    );
    // API Gateway may invoke it for this API.
    example.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
    });
  });

  it('takes an opt-in cache of at most an hour', () => {
    const stack = new Stack(new App(), 'Cached', { env: { account: '123456789012', region: 'eu-west-1' } });
    const api = new HttpApi(stack, 'Api');
    const { authorizer } = new GatehouseAuthorizer(stack, 'Gatehouse', {
      stage: 'staging',
      cacheTtl: Duration.minutes(5),
    });
    api.addRoutes({
      path: '/apps',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration(
        'apps',
        new LambdaFunction(stack, 'Apps', {
          runtime: Runtime.NODEJS_24_X,
          handler: 'index.handler',
          code: Code.fromInline('exports.handler = async () => ({})'),
        }),
      ),
      authorizer,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerResultTtlInSeconds: 300,
    });
    expect(
      () => new GatehouseAuthorizer(stack, 'TooLong', { stage: 'staging', cacheTtl: Duration.hours(2) }),
    ).toThrowError(/at most an hour/);
  });

  const cfnLint = spawnSync('cfn-lint', ['--version']).status === 0;
  it.skipIf(!cfnLint)(
    'passes cfn-lint, as do the dev and prod Gatehouse templates (prod also with the deletion’s wait)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
      // The templates as CloudFormation gets them: each stack's own, its nested route stacks' too.
      const shapes = {
        prod: stack,
        dev: synth({ 'gatehouse:stage': 'dev' }).stack,
        'prod-waiting': synth({ 'gatehouse:platformRoleArns': ROLE, 'gatehouse:platformCleanupHours': '24' })
          .stack,
      };
      const files: Record<string, unknown> = { 'example.json': Template.fromStack(platformStack()).toJSON() };
      for (const [shape, s] of Object.entries(shapes)) {
        for (const [id, body] of Object.entries(templatesOf(s))) files[`${shape}-${id}.json`] = body;
      }
      expect(Object.keys(files)).toHaveLength(1 + 3 * 3);
      for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(body));
      // cfn-lint exits non-zero on any finding; errors (E...) are what must not be there. Its
      // warnings on CDK's templates (W3005: a DependsOn beside a GetAtt) are CDK's own doing.
      const run = spawnSync(
        'cfn-lint',
        ['--format', 'parseable', ...Object.keys(files).map((f) => join(dir, f))],
        {
          encoding: 'utf8',
        },
      );
      expect(run.error).toBeUndefined();
      // Its exit status is a bit field: 2 errors, 4 warnings, 8 informational; 1 a crash.
      expect([0, 4, 8, 12], run.stderr).toContain(run.status);
      const errors = run.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line));
      expect(errors).toEqual([]);
    },
    // cfn-lint reads ten templates of some 75 functions each: 90 s alone on a 2-vCPU machine,
    // 143 s beside the rest of `npm test`, past the infra project's 120 s.
    360_000,
  );
});

describe('the deletion’s wait for the platform', () => {
  const PLATFORM = { 'gatehouse:platformRoleArns': ROLE, 'gatehouse:platformCleanupHours': '24' };
  const cleanupSecondsOf = (t: Template) => {
    const [machine] = Object.values(resources(t, 'AWS::StepFunctions::StateMachine'));
    return (machine?.Properties.DefinitionSubstitutions as Record<string, unknown> | undefined)
      ?.PlatformCleanupSeconds;
  };

  it('is off unless asked for: a 0 s setting, and no role may answer a task', () => {
    expect(cleanupSecondsOf(template)).toBe('0');
    const answers = JSON.stringify(resources(template, 'AWS::IAM::Policy'));
    expect(answers).not.toContain('states:SendTaskSuccess');
  });

  it('waits the hours configured, and lets the platform’s roles answer on this state machine alone', () => {
    const { stack: withWait, template: waiting } = synth(PLATFORM);
    expect(cleanupSecondsOf(waiting)).toBe(String(24 * 3600));
    const machineId = withWait.getLogicalId(
      withWait.node.findChild('Deletion').node.findChild('StateMachine').node.defaultChild as never,
    );
    const answering = Object.values(resources(waiting, 'AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes('states:SendTaskSuccess'),
    );
    expect(answering).toHaveLength(1);
    expect(answering[0]?.Properties).toMatchObject({
      Roles: ['git-host'],
      PolicyDocument: {
        Statement: [
          {
            Action: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
            Effect: 'Allow',
            Resource: { Ref: machineId },
          },
        ],
      },
    });
  });

  it('refuses an hour count out of range, and a wait nobody could answer, or a role of another account', () => {
    expect(() => synth({ ...PLATFORM, 'gatehouse:platformCleanupHours': '0' })).toThrowError(/1 to 720/);
    expect(() => synth({ ...PLATFORM, 'gatehouse:platformCleanupHours': '721' })).toThrowError(/1 to 720/);
    expect(() => synth({ 'gatehouse:platformCleanupHours': '24' })).toThrowError(
      /needs gatehouse:platformRoleArns/,
    );
  });
});
