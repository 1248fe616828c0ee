import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpNoneAuthorizer, LogGroupLogDestination, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Trigger } from '#infra/topology';
import type { ApiAuthConfig } from './config.ts';
import { acknowledge } from './nag.ts';

export type HttpTrigger = Extract<Trigger, { kind: 'http' }>;

/** Stage-wide throttling: a council's traffic is far below it, a flood is not. */
const throttle = { rateLimit: 50, burstLimit: 100 } as const;
const accessLogRetention = RetentionDays.ONE_YEAR;

/**
 * Who made the call and how it went, without the caller's IP address, user agent or query
 * string: the public report form must not leave personal data in logs.
 */
const accessLogFields = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatencyMs: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  subject: '$context.authorizer.claims.sub',
};

/**
 * The one HTTP API. Every route is a topology `http` trigger: public routes have no
 * authorizer; the others need a JWT from the configured issuer, and the handler then checks
 * the token's roles against the route (functions/shared/auth.ts reads the same topology).
 */
export class SaferCommunitiesHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  private readonly jwtAuthorizer: HttpJwtAuthorizer;
  private readonly integrations = new Map<IFunction, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: { readonly auth: ApiAuthConfig }) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Safer Communities: public report form, officer and finance API',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: accessLogRetention });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });
    this.jwtAuthorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.auth.jwtIssuer, {
      jwtAudience: [...props.auth.jwtAudience],
    });
  }

  get url(): string {
    return this.stage.url;
  }

  /** Sends `trigger.method trigger.path` to the function. */
  route(trigger: HttpTrigger, fn: IFunction): void {
    const isPublic = trigger.auth === 'public';
    const [route] = this.api.addRoutes({
      path: trigger.path,
      methods: [HttpMethod[trigger.method]],
      integration: this.integrationFor(fn),
      authorizer: isPublic ? new HttpNoneAuthorizer() : this.jwtAuthorizer,
    });
    if (isPublic && route) {
      acknowledge(
        route,
        'AwsSolutions-APIG4',
        `${trigger.method} ${trigger.path} is public in the topology (contract.md): callers have no account, and any check of them (such as a webhook signature) is made by the handler`,
      );
    }
  }

  private integrationFor(fn: IFunction): HttpLambdaIntegration {
    let integration = this.integrations.get(fn);
    if (!integration) {
      integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn);
      this.integrations.set(fn, integration);
    }
    return integration;
  }
}
