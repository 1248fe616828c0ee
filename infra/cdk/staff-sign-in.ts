import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnUserPoolGroup, FeaturePlan, Mfa, OAuthScope, UserPool, UserPoolClientIdentityProvider, StandardThreatProtectionMode } from 'aws-cdk-lib/aws-cognito';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { Node } from 'constructs';
import { roles } from '#infra/topology';
import { acknowledge } from './nag.ts';

/** Our staff roles (every role but `public`): Cognito groups, or the external provider's role names. */
export const staffRoles = roles.filter((r) => r !== 'public');

/** Who signs staff in: a Cognito user pool made here, or an OpenID provider the council runs. */
export type SignInConfig =
  | { readonly kind: 'cognito'; readonly domainPrefix: string; readonly callbackUrl: string | undefined }
  | {
      readonly kind: 'oidc';
      readonly issuer: string;
      readonly clientId: string;
      /** A Secrets Manager secret whose value is the client secret, made by hand. */
      readonly clientSecretArn: string;
      readonly rolesClaim: string;
      readonly callbackUrl: string | undefined;
    };

const httpsUrl = /^https:\/\/\S+$/;
const secretArn = /^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/;

/**
 * From CDK context: `oidcIssuer`, `oidcClientId`, `oidcClientSecretArn` (and `oidcRolesClaim`,
 * default `roles`, as Entra ID's app roles) name an outside provider; without them a Cognito
 * user pool is made, its hosted sign-in on `signInDomainPrefix`. `signInCallbackUrl` is where
 * the provider sends people back (default: the public domain's, else the API's own URL).
 */
export function signInConfig(node: Node, stage: string, domainName: string | undefined): SignInConfig {
  const text = (key: string) => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
    return value.trim();
  };
  const callback = text('signInCallbackUrl') ?? (domainName ? `https://${domainName}/sign-in/callback` : undefined);
  if (callback !== undefined && !httpsUrl.test(callback)) throw new Error(`context signInCallbackUrl must be an https URL, got ${JSON.stringify(callback)}`);
  const issuer = text('oidcIssuer');
  if (issuer === undefined) {
    const domainPrefix = text('signInDomainPrefix') ?? `safer-communities-${stage}`;
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(domainPrefix) || /aws|amazon|cognito/.test(domainPrefix)) {
      throw new Error(`context signInDomainPrefix must be lower-case letters, digits and hyphens without aws/amazon/cognito, got ${JSON.stringify(domainPrefix)}`);
    }
    return { kind: 'cognito', domainPrefix, callbackUrl: callback };
  }
  const clientId = text('oidcClientId');
  const clientSecretArn = text('oidcClientSecretArn');
  if (!httpsUrl.test(issuer)) throw new Error(`context oidcIssuer must be the https URL of the provider, got ${JSON.stringify(issuer)}`);
  if (!clientId) throw new Error('context oidcClientId is required with oidcIssuer');
  if (!clientSecretArn || !secretArn.test(clientSecretArn)) throw new Error('context oidcClientSecretArn must be the complete ARN of the Secrets Manager secret holding the client secret');
  return { kind: 'oidc', issuer, clientId, clientSecretArn, rolesClaim: text('oidcRolesClaim') ?? 'roles', callbackUrl: callback };
}

/**
 * Staff sign-in on AWS: the provider (a Cognito user pool with a group per role and an app
 * client for the authorization-code flow, or the council's own provider), the session key,
 * and the environment and grants the sign-in function and the staff pages get.
 */
export class StaffSignIn extends Construct {
  readonly sessionSecret: Secret;
  readonly clientSecret: ISecret;
  readonly userPool: UserPool | undefined;
  /** The provider's issuer and this service's client id there: whose tokens the API accepts unless context names another issuer. */
  readonly provider: { readonly issuer: string; readonly clientId: string };
  /** For the sign-in function (functions/sign-in). */
  readonly signInEnvironment: Readonly<Record<string, string>>;
  /** For every function with staff pages: where to send a person to sign in, and the session key. */
  readonly pageEnvironment: Readonly<Record<string, string>>;

  /** `apiUrl`: the API's own endpoint, without a trailing slash (the stage URL of `$default` ends in one). */
  constructor(scope: Construct, id: string, props: { readonly config: SignInConfig; readonly apiUrl: string }) {
    super(scope, id);
    const { config } = props;
    const callbackUrl = config.callbackUrl ?? `${props.apiUrl.replace(/\/$/, '')}/sign-in/callback`;
    // Where the provider sends a person back after signing them out too (functions/sign-in, SIGNED_OUT_PATH).
    const signedOutUrl = config.callbackUrl ? new URL('/signed-out', config.callbackUrl).toString() : `${props.apiUrl.replace(/\/$/, '')}/signed-out`;
    this.sessionSecret = new Secret(this, 'SessionKey', {
      description: 'Staff session cookies: the key they are encrypted with (a new value signs everyone out)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    acknowledge(this.sessionSecret, 'AwsSolutions-SMG4', 'Rotating the session key signs every member of staff out; it is rotated by hand (a new value), sessions last an hour');
    this.pageEnvironment = { SC_SIGN_IN_PATH: '/sign-in', SC_SESSION_SECRET_ARN: this.sessionSecret.secretArn };

    if (config.kind === 'oidc') {
      this.userPool = undefined;
      this.provider = { issuer: config.issuer, clientId: config.clientId };
      this.clientSecret = Secret.fromSecretCompleteArn(this, 'ClientSecret', config.clientSecretArn);
      this.signInEnvironment = {
        ...this.pageEnvironment,
        OIDC_ISSUER: config.issuer,
        OIDC_CLIENT_ID: config.clientId,
        OIDC_CLIENT_SECRET_ARN: this.clientSecret.secretArn,
        OIDC_ROLES_CLAIM: config.rolesClaim,
        OIDC_REDIRECT_URI: callbackUrl,
      };
      return;
    }

    const pool = new UserPool(this, 'StaffUserPool', {
      userPoolName: `${Stack.of(this).stackName}-staff`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 14, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      // Staff accounts outlive any one deployment of the functions.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPool = pool;
    for (const role of staffRoles) {
      new CfnUserPoolGroup(this, `Group-${role}`, { userPoolId: pool.userPoolId, groupName: role, description: `Safer Communities role: ${role}` });
    }
    const domain = pool.addDomain('HostedSignIn', { cognitoDomain: { domainPrefix: config.domainPrefix } });
    const client = pool.addClient('StaffWebClient', {
      userPoolClientName: 'safer-communities-staff',
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.PROFILE, OAuthScope.EMAIL],
        callbackUrls: [callbackUrl],
        logoutUrls: [signedOutUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.minutes(60),
      accessTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.hours(8),
      enableTokenRevocation: true,
    });
    this.clientSecret = new Secret(this, 'ClientSecret', {
      description: 'The Cognito app client secret the sign-in function authenticates with',
      secretStringValue: client.userPoolClientSecret,
    });
    acknowledge(this.clientSecret, 'AwsSolutions-SMG4', 'Cognito app client secrets cannot be rotated in place; a new client replaces it');
    // CDK reads the client secret at deploy time with its own singleton custom-resource function.
    const describer = Stack.of(this).node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
    if (describer) {
      const why = 'CDK’s own custom resource that reads the Cognito client secret once per deployment (DescribeUserPoolClient); it is not part of the service';
      for (const id of [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'Serverless-LambdaDefaultMemorySize',
        'Serverless-LambdaDLQ',
        'Serverless-LambdaTracing',
      ]) {
        acknowledge(describer, id, why);
      }
    }
    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${pool.userPoolId}`;
    this.provider = { issuer, clientId: client.userPoolClientId };
    this.signInEnvironment = {
      ...this.pageEnvironment,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: client.userPoolClientId,
      OIDC_CLIENT_SECRET_ARN: this.clientSecret.secretArn,
      OIDC_AUTHORIZATION_ENDPOINT: `${domain.baseUrl()}/oauth2/authorize`,
      OIDC_TOKEN_ENDPOINT: `${domain.baseUrl()}/oauth2/token`,
      OIDC_JWKS_URI: `${issuer}/.well-known/jwks.json`,
      // Cognito's sign-out (not in its discovery document), which takes the way back as logout_uri.
      OIDC_END_SESSION_ENDPOINT: `${domain.baseUrl()}/logout`,
      OIDC_END_SESSION_RETURN_PARAMETER: 'logout_uri',
      OIDC_ROLES_CLAIM: 'cognito:groups',
      OIDC_REDIRECT_URI: callbackUrl,
    };
  }

  grantPages(grantee: IGrantable): void {
    this.sessionSecret.grantRead(grantee);
  }

  grantSignIn(grantee: IGrantable): void {
    this.sessionSecret.grantRead(grantee);
    this.clientSecret.grantRead(grantee);
  }
}
