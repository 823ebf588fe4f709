import { Duration, NestedStack, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  ApiMapping,
  type CfnStage,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, LogGroupClass, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ROUTE_STACKS, type Route, routes, stackOf } from '../functions/routes.ts';
import { gatehouseFunction, grantSendMail } from './lambda.ts';

/**
 * Table actions per access level, on the table alone: no Scan, no batch writes, no index. CDK's
 * grantReadWriteData would give all of those to functions that anyone on the internet can call.
 * Transactions need no action of their own: each item needs the action it performs.
 */
export const TABLE_ACTIONS = {
  // BatchGetItem: a key and its account read together, one round trip (http/auth.ts).
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  readwrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    // ConditionCheck items of transactions (a key is minted only if MFA is as the login saw it).
    'dynamodb:ConditionCheckItem',
  ],
} as const;

export interface ApiProps {
  readonly table: ITableV2;
  /** Key material TOTP secrets are sealed under; read only by routes with `access.mfaKey`. */
  readonly mfaKey: ISecret;
  /** Google sign-in; without it the Google routes answer 501. */
  readonly google?: { readonly clientId: string; readonly clientSecretArn: string };
  /** Stripe billing; without it the billing routes answer 501. */
  readonly stripe?: { readonly publishableKey: string; readonly secretsArn: string };
  readonly stage: string;
  readonly mailFrom: string;
  readonly mailIdentity: string;
  /** @default the API's own URL */
  readonly publicBaseUrl?: string;
  /** A custom domain mapped to the API, with a regional ACM certificate for it. */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  /** Check new passwords against the Pwned Passwords range API. @default true */
  readonly breachedPasswordCheck?: boolean;
  /** Minutes a key from a login that passed MFA stands for a fresh second factor. @default 10 */
  readonly recentMfaMinutes?: number;
  /** The web console's idle timeout and session lifetime. @default 12 hours, 7 days */
  readonly consoleIdleHours?: number;
  readonly consoleSessionDays?: number;
  /** The platform's git host, told to clients by /api/public/config. */
  readonly gitHost?: string;
  /** Keep log groups when the stack goes. @default true */
  readonly retainLogs?: boolean;
  /** Reserve the concurrency the route table names (`reservedConcurrency`). @default true */
  readonly reservedConcurrency?: boolean;
  /**
   * Steady-state requests per second for the whole API (stage default route throttling).
   * @default 200
   */
  readonly rateLimit?: number;
  /** @default 400 */
  readonly burstLimit?: number;
}

/** The HTTP API and one Lambda per row of the route table, each with only the access it names. */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  /** Where clients reach the API: the custom domain when there is one, else API Gateway's URL. */
  readonly url: string;
  /** The regional host a custom domain's DNS record must point at, and its hosted zone (aliases). */
  readonly domainTarget?: { readonly host: string; readonly hostedZoneId: string };
  readonly functions: ReadonlyMap<string, LambdaFunction>;
  /** The $default route's function: what no route of the table matches. */
  readonly fallback: LambdaFunction;
  /** What every function of the service reads (shared/config.ts). */
  readonly environment: Record<string, string>;
  private readonly googleSecret?: ISecret;
  /** Stripe's secrets, where billing is configured: the deletion workflow cancels billing too. */
  readonly stripeSecret?: ISecret;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `gatehouse-${props.stage}`,
      createDefaultStage: false,
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit ?? 200, burstLimit: props.burstLimit ?? 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, 'access-logs', {
            // Infrequent Access, like the functions' groups (infra/lambda.ts): read by Logs Insights
            // when something is investigated, never by a metric filter or subscription.
            logGroupClass: LogGroupClass.INFREQUENT_ACCESS,
            retention: RetentionDays.ONE_MONTH,
            removalPolicy: (props.retainLogs ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
          }),
        ),
        // The route's template, never the path or query string: those can carry a session id or
        // (from the Gigalixir CLI) a password.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            route: '$context.routeKey',
            status: '$context.status',
            bytes: '$context.responseLength',
            latencyMs: '$context.integrationLatency',
            error: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.url = this.httpApi.apiEndpoint;
    if (props.domain) {
      const domain = new DomainName(this, 'Domain', {
        domainName: props.domain.name,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
      });
      new ApiMapping(this, 'Mapping', { api: this.httpApi, domainName: domain, stage });
      this.url = `https://${props.domain.name}`;
      this.domainTarget = { host: domain.regionalDomainName, hostedZoneId: domain.regionalHostedZoneId };
    }
    Validations.of(this.httpApi).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Each function authenticates its own requests (API keys checked against the table on every call, lib/http/auth.ts), so a revoked key fails on the next request; signup, login and link routes are public by design.',
    });

    const environment = {
      TABLE_NAME: props.table.tableName,
      MAIL_FROM: props.mailFrom,
      PUBLIC_BASE_URL: props.publicBaseUrl ?? this.httpApi.apiEndpoint,
      STAGE: props.stage,
      BREACHED_PASSWORD_CHECK: (props.breachedPasswordCheck ?? true) ? 'on' : 'off',
      RECENT_MFA_SECONDS: String((props.recentMfaMinutes ?? 10) * 60),
      CONSOLE_IDLE_HOURS: String(props.consoleIdleHours ?? 12),
      CONSOLE_SESSION_DAYS: String(props.consoleSessionDays ?? 7),
    };
    if (props.google) Object.assign(environment, { GOOGLE_CLIENT_ID: props.google.clientId });
    if (props.gitHost) Object.assign(environment, { GIT_HOST: props.gitHost });
    this.googleSecret =
      props.google && Secret.fromSecretCompleteArn(this, 'GoogleClientSecret', props.google.clientSecretArn);
    if (props.stripe) Object.assign(environment, { STRIPE_PUBLISHABLE_KEY: props.stripe.publishableKey });
    this.stripeSecret =
      props.stripe && Secret.fromSecretCompleteArn(this, 'StripeSecrets', props.stripe.secretsArn);
    this.environment = environment;
    const functions = new Map<string, LambdaFunction>();
    // The routes' functions, roles, log groups and routes live in one nested stack per concern (the
    // API and its stage stay here): this stack holds 500 resources and each route costs about seven.
    const routeStacks = new Map(
      ROUTE_STACKS.map((name) => [
        name,
        new NestedStack(this, `${name}Routes`, { description: `Gatehouse ${props.stage}: ${name} routes` }),
      ]),
    );
    for (const routeStack of routeStacks.values()) {
      Validations.of(routeStack).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'Each function authenticates its own requests (API keys and console sessions checked against the table on every call), so a revoked key fails on the next request; signup, login and link routes are public by design.',
      });
    }
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of routes) {
      const scope = routeStacks.get(stackOf(route));
      if (!scope) throw new Error(`no stack for ${route.id}`);
      const fn = this.endpointFunction(scope, route, environment, props);
      functions.set(route.id, fn);
      const integration = new HttpLambdaIntegration(`${route.id}-integration`, fn);
      for (const method of route.methods) {
        const httpRoute = new HttpRoute(scope, `${route.id}-${method}`, {
          httpApi: this.httpApi,
          routeKey: HttpRouteKey.with(route.path, HttpMethod[method]),
          integration,
        });
        if (!route.throttle) continue;
        routeSettings[`${method} ${route.path}`] = {
          ThrottlingRateLimit: route.throttle.rateLimit,
          ThrottlingBurstLimit: route.throttle.burstLimit,
        };
        // Route settings name routes by key: the stage must come after them.
        stage.node.addDependency(httpRoute);
      }
    }
    (stage.node.defaultChild as CfnStage).addPropertyOverride('RouteSettings', routeSettings);
    this.functions = functions;
    // What no route matches: 405 with Allow on a known path, the contract's 404 elsewhere. It
    // touches no table, secret or mail: only its own log group.
    this.fallback = gatehouseFunction(this, 'fallback', {
      entry: 'fallback.ts',
      environment,
      retainLogs: props.retainLogs,
    });
    const fallbackRoute = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('fallback-integration', this.fallback),
    });
    Validations.of(fallbackRoute).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'The $default route only answers 404 or 405 (with Allow): it reads and changes nothing.',
    });
  }

  /** Lets the routes that start account deletions start executions of `stateMachine`, and no other. */
  allowDeletion(stateMachine: IStateMachine): void {
    for (const route of routes.filter((r) => r.access.deletion)) {
      const fn = this.functions.get(route.id);
      if (!fn) throw new Error(`no function for ${route.id}`);
      fn.addEnvironment('DELETION_STATE_MACHINE_ARN', stateMachine.stateMachineArn);
      stateMachine.grantStartExecution(fn);
    }
  }

  private endpointFunction(
    scope: Construct,
    route: Route,
    environment: Record<string, string>,
    props: ApiProps,
  ): LambdaFunction {
    const fn = gatehouseFunction(scope, route.id, {
      entry: route.entry,
      environment: {
        ...environment,
        ...(route.access.mfaKey ? { MFA_ENCRYPTION_KEY_SECRET_ARN: props.mfaKey.secretArn } : {}),
        ...(route.access.googleSecret && this.googleSecret
          ? { GOOGLE_CLIENT_SECRET_ARN: this.googleSecret.secretArn }
          : {}),
        ...((route.access.stripe || route.access.stripeWebhook) && this.stripeSecret
          ? { STRIPE_SECRETS_ARN: this.stripeSecret.secretArn }
          : {}),
      },
      memoryMb: route.memoryMb,
      timeout: route.timeoutSeconds === undefined ? undefined : Duration.seconds(route.timeoutSeconds),
      retainLogs: props.retainLogs,
      reservedConcurrency: (props.reservedConcurrency ?? true) ? route.reservedConcurrency : undefined,
    });
    if (route.access.table) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: [
            ...TABLE_ACTIONS[route.access.table],
            ...(route.access.batchWrite ? ['dynamodb:BatchWriteItem'] : []),
          ],
          resources: [props.table.tableArn],
        }),
      );
    }
    if (route.access.mail) grantSendMail(fn, { from: props.mailFrom, identity: props.mailIdentity });
    if (route.access.mfaKey) props.mfaKey.grantRead(fn);
    if (route.access.googleSecret) this.googleSecret?.grantRead(fn);
    if (route.access.stripe || route.access.stripeWebhook) this.stripeSecret?.grantRead(fn);
    return fn;
  }
}
