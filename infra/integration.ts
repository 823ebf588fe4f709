// What a platform stack in the same account uses to take part in Gatehouse (docs/integration.md):
// the SSM parameter names under which a Gatehouse stage publishes its parts, and the construct that
// puts Gatehouse's authorizer in front of the platform's own HTTP API routes.
import { Duration } from 'aws-cdk-lib';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { type IFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

/** What a Gatehouse stage publishes, each as an SSM String parameter (`/gatehouse/<stage>/<name>`). */
export const PUBLISHED = {
  /** The HTTP API Lambda authorizer (payload 2.0, simple responses). */
  authorizerFunctionArn: 'authorizer-function-arn',
  /** The lookup function for services outside HTTP (git and shell hosts), invoked with IAM. */
  lookupFunctionArn: 'lookup-function-arn',
  /** The single table, for reports; Gatehouse alone writes it. */
  tableName: 'table-name',
  /** The EventBridge bus of the account lifecycle events (docs/events.md). */
  eventBusArn: 'event-bus-arn',
} as const;

export const parameterName = (stage: string, name: (typeof PUBLISHED)[keyof typeof PUBLISHED]): string =>
  `/gatehouse/${stage}/${name}`;

export interface GatehouseAuthorizerProps {
  /** The Gatehouse stage to trust (its `gatehouse:stage`). */
  readonly stage: string;
  /**
   * How long API Gateway may keep an answer for the same Authorization header. Off by default: a
   * revoked key is refused on the next request. With a TTL, a revoked key may go on working that
   * long on these routes (at most an hour), and the authorizer is called that much less.
   * @default Duration.seconds(0)
   */
  readonly cacheTtl?: Duration;
}

/**
 * Gatehouse's authorizer for routes of an HTTP API in this account:
 * `api.addRoutes({ path, methods, integration, authorizer: new GatehouseAuthorizer(this, 'Auth', { stage: 'prod' }).authorizer })`.
 * The integration sees the account in `event.requestContext.authorizer.lambda`.
 */
export class GatehouseAuthorizer extends Construct {
  readonly authorizer: HttpLambdaAuthorizer;
  readonly function: IFunction;

  constructor(scope: Construct, id: string, props: GatehouseAuthorizerProps) {
    super(scope, id);
    const ttl = props.cacheTtl ?? Duration.seconds(0);
    if (ttl.toSeconds() > 3600) throw new Error('GatehouseAuthorizer: cacheTtl is at most an hour');
    this.function = LambdaFunction.fromFunctionAttributes(this, 'Function', {
      functionArn: StringParameter.valueForStringParameter(
        this,
        parameterName(props.stage, PUBLISHED.authorizerFunctionArn),
      ),
      // Same account and region: API Gateway's permission to invoke it is added here, per API.
      sameEnvironment: true,
    });
    this.authorizer = new HttpLambdaAuthorizer(`gatehouse-${props.stage}`, this.function, {
      authorizerName: `gatehouse-${props.stage}`,
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: ttl,
    });
  }
}
