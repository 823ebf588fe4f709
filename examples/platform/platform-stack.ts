// An example platform stack: the platform's own HTTP API, one route behind Gatehouse's authorizer.
// `GET /whoami` answers the account context the authorizer handed it, as `npm start` serves
// `GET /example/whoami` locally. docs/integration.md walks through it.
import { Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { GatehouseAuthorizer } from '../../infra/integration.ts';

export interface PlatformStackProps extends StackProps {
  /** The Gatehouse stage whose keys this API takes. */
  readonly gatehouseStage: string;
}

export class PlatformStack extends Stack {
  readonly api: HttpApi;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.api = new HttpApi(this, 'PlatformApi');
    // The whole integration: one construct, one `authorizer` per route.
    const gatehouse = new GatehouseAuthorizer(this, 'Gatehouse', { stage: props.gatehouseStage });
    const whoami = new LambdaFunction(this, 'Whoami', {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromInline(
        'exports.handler = async (event) => ({ statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ data: event.requestContext.authorizer.lambda }) });',
      ),
    });
    this.api.addRoutes({
      path: '/whoami',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('whoami', whoami),
      authorizer: gatehouse.authorizer,
    });
  }
}
