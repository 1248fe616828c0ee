import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { Lazy } from 'aws-cdk-lib';
import {
  ApiMapping,
  DomainName,
  EndpointType,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  LogGroupLogDestination,
  SecurityPolicy,
  type CfnStage,
  type HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Trigger } from '#infra/topology';
import type { ApiAuthConfig, EdgeConfig, TokenTrust } from './config.ts';
import { acknowledge } from './nag.ts';

export type HttpTrigger = Extract<Trigger, { kind: 'http' }>;

/**
 * Each public POST route (the report form, webhooks) may take this much: far above a council's
 * few thousand reports a year, far below what would flood the tables or the bus.
 */
export const publicPostThrottle = { rateLimit: 1, burstLimit: 5 } as const;

export interface ApiBudget {
  /** Requests per second the whole stage may take. */
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface RouteThrottle {
  readonly routeKey: string;
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * HTTP API throttles are per route (the stage's "default" is copied to each route), so a
 * stage-wide ceiling only holds if the routes' limits add up to it. Public POSTs get their
 * fixed, tight share; the rest of the budget is split evenly between the other routes.
 */
export function shareBudget(budget: ApiBudget, routes: readonly { routeKey: string; publicPost: boolean }[]): RouteThrottle[] {
  const publicPosts = routes.filter((r) => r.publicPost).length;
  const others = routes.length - publicPosts;
  const rateLeft = budget.rateLimit - publicPosts * publicPostThrottle.rateLimit;
  const burstLeft = budget.burstLimit - publicPosts * publicPostThrottle.burstLimit;
  const share = {
    rateLimit: others === 0 ? 0 : Math.floor((rateLeft / others) * 100) / 100,
    burstLimit: others === 0 ? 0 : Math.floor(burstLeft / others),
  };
  if (others > 0 && (share.rateLimit <= 0 || share.burstLimit < 1)) {
    throw new Error(
      `context apiRateLimit ${budget.rateLimit} / apiBurstLimit ${budget.burstLimit} is too small to share between ${routes.length} routes: raise them`,
    );
  }
  return routes.map((r) => ({ routeKey: r.routeKey, ...(r.publicPost ? publicPostThrottle : share) }));
}
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
 * The one HTTP API. Every route is a declared `http` trigger: public routes have no
 * authorizer; API routes need a JWT from the configured issuer, and the handler then checks
 * the token's roles against the route's declaration. Page routes are checked by the page
 * stack itself (functions/shared/http.ts), because an authorizer can only answer JSON and a
 * person must get a page; `$default` catches every other path with a "page not found".
 */
export class SaferCommunitiesHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  private readonly integrations = new Map<IFunction, HttpLambdaIntegration>();

  /**
   * What every HTTP function gets: the public address (SC_PUBLIC_URL) and, when context sets
   * one, the token lifetime cap that the shared stack checks on every caller's claims (the
   * JWT authorizer checks signature, issuer, audience and exp; the cap and the roles it cannot).
   */
  readonly httpEnvironment: Readonly<Record<string, string>>;

  private readonly routeKeys: { routeKey: string; publicPost: boolean }[] = [];
  /** The API's own custom domain (`origin.<domainName>`), which CloudFront calls, when there is an edge. */
  readonly originDomain: DomainName | undefined;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly auth: ApiAuthConfig; readonly budget: ApiBudget; readonly edge?: EdgeConfig | undefined },
  ) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'Safer Communities: public report form, officer and finance API',
      createDefaultStage: false,
      // Behind CloudFront and WAF, nothing may reach the API around them by its AWS name.
      disableExecuteApiEndpoint: props.edge !== undefined,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: accessLogRetention });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Lazy.any({
      produce: () =>
        Object.fromEntries(
          shareBudget(props.budget, this.routeKeys).map((t) => [t.routeKey, { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit }]),
        ),
    });
    // A route added later than the share was worked out gets the smallest share, never more.
    cfnStage.defaultRouteSettings = Lazy.any({
      produce: () => {
        const shares = shareBudget(props.budget, this.routeKeys);
        const least = (key: 'rateLimit' | 'burstLimit') => Math.min(...shares.map((t) => t[key]), props.budget[key]);
        return { throttlingRateLimit: least('rateLimit'), throttlingBurstLimit: least('burstLimit') };
      },
    });
    if (props.edge) {
      this.originDomain = new DomainName(this, 'OriginDomain', {
        domainName: `origin.${props.edge.domainName}`,
        certificate: Certificate.fromCertificateArn(this, 'OriginCertificate', props.edge.originCertificateArn),
        endpointType: EndpointType.REGIONAL,
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      new ApiMapping(this, 'OriginMapping', { api: this.api, domainName: this.originDomain, stage: this.stage });
    }
    this.httpEnvironment = {
      // The API resource's own endpoint, unless context names the council's address: a function may refer to the API without a cycle.
      SC_PUBLIC_URL: props.auth.publicUrl ?? (props.edge ? `https://${props.edge.domainName}` : this.api.apiEndpoint),
      ...(props.auth.tokenMaxLifetimeSeconds ? { SC_TOKEN_MAX_LIFETIME_SECONDS: String(props.auth.tokenMaxLifetimeSeconds) } : {}),
    };
  }

  /**
   * Whose tokens the API's authorizer and the staff pages accept (tokenTrust in config.ts). Set
   * once, after the sign-in provider is made (its pool's issuer and client id), before any route.
   */
  trust(trust: TokenTrust): void {
    if (this.#trusted) throw new Error('the HTTP API already trusts an issuer');
    this.#trusted = {
      authorizer: new HttpJwtAuthorizer('JwtAuthorizer', trust.issuer, { jwtAudience: [...trust.audience] }),
      pageAuthEnvironment: { AUTH_ISSUER: trust.issuer, AUTH_AUDIENCE: trust.audience.join(','), AUTH_JWKS_URL: trust.jwksUrl },
    };
  }

  #trusted: { readonly authorizer: HttpJwtAuthorizer; readonly pageAuthEnvironment: Readonly<Record<string, string>> } | undefined;

  private get jwtAuthorizer(): HttpJwtAuthorizer {
    if (!this.#trusted) throw new Error('a staff route needs the HTTP API to know whose tokens to accept: call trust() first');
    return this.#trusted.authorizer;
  }

  /** What a page function needs to verify tokens itself: the same issuer and audience. */
  get pageAuthEnvironment(): Readonly<Record<string, string>> {
    if (!this.#trusted) throw new Error('the staff pages need the HTTP API to know whose tokens to accept: call trust() first');
    return this.#trusted.pageAuthEnvironment;
  }

  get url(): string {
    return this.stage.url;
  }

  /**
   * Sends `trigger.method trigger.path` to the function. The route (and its integration) is
   * made beside the function, in its capability's nested stack, so this stack does not grow
   * by a route and an integration for every route a capability declares.
   */
  route(trigger: HttpTrigger, fn: IFunction): void {
    const stage = this.stage.node.defaultChild as CfnStage;
    const scope = fn.node.scope instanceof Construct ? fn.node.scope : this;
    if (trigger.path === '$default') {
      const route = new HttpRoute(scope, 'DefaultRoute', { httpApi: this.api, routeKey: HttpRouteKey.DEFAULT, integration: this.integrationFor(fn) });
      this.routeKeys.push({ routeKey: '$default', publicPost: false });
      stage.node.addDependency(route);
      acknowledge(route, 'AwsSolutions-APIG4', 'the catch-all route only answers "page not found": there is nothing behind it to protect');
      return;
    }
    // Pages check their callers themselves, so that a person gets a page, never raw JSON.
    const isPublic = trigger.auth === 'public' || trigger.page === true;
    // What `api.addRoutes` makes, in the function's scope rather than the API's.
    const route = new HttpRoute(scope, `${trigger.method}${trigger.path}`, {
      httpApi: this.api,
      routeKey: HttpRouteKey.with(trigger.path, HttpMethod[trigger.method]),
      integration: this.integrationFor(fn),
      authorizer: isPublic ? new HttpNoneAuthorizer() : this.jwtAuthorizer,
    });
    this.routeKeys.push({ routeKey: `${trigger.method} ${trigger.path}`, publicPost: trigger.auth === 'public' && trigger.method === 'POST' });
    // Route settings name routes by key: the routes (their nested stacks) must exist first.
    stage.node.addDependency(route);
    if (isPublic) {
      acknowledge(
        route,
        'AwsSolutions-APIG4',
        trigger.auth === 'public'
          ? `${trigger.method} ${trigger.path} is public in the topology (contract.md): callers have no account, and any check of them (such as a webhook signature) is made by the handler`
          : `${trigger.method} ${trigger.path} is a page: its stack verifies the token against the same issuer and audience and answers a sign-in page, which an authorizer cannot`,
      );
    }
  }

  private integrationFor(fn: IFunction): HttpLambdaIntegration {
    let integration = this.integrations.get(fn);
    if (!integration) {
      // One invoke permission per function for this API (`*/*/*`), not one per route: the stack
      // must stay under CloudFormation's 500 resources, and only this API's routes can invoke it.
      integration = new HttpLambdaIntegration(`${fn.node.id}Integration`, fn, { scopePermissionToRoute: false });
      this.integrations.set(fn, integration);
    }
    return integration;
  }
}
