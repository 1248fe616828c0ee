import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { topology } from '#infra/topology';
import { removeAssemblies, statelessTemplate, statelessTemplates, synthesise } from './synth.ts';

/** The sign-in function and one staff page function are enough to see the wiring. */
const functions = topology.filter((spec) => spec.name === 'StaffSignIn' || spec.name === 'KpiPages');
type Json = Record<string, any>;

const envOf = (template: Template, description: string): Record<string, unknown> => {
  const found = Object.values(template.findResources('AWS::Lambda::Function')).find((r: Json) => String(r.Properties.Description).startsWith(description)) as Json | undefined;
  if (!found) throw new Error(`no function described ${description}`);
  return found.Properties.Environment.Variables as Record<string, unknown>;
};

describe('infra: staff sign-in', () => {
  afterAll(() => removeAssemblies());

  describe('with a Cognito user pool (no provider in context)', () => {
    const built = synthesise({ functions, bundle: false });
    // The stateless stack with its nested stacks, read as the one stack they deploy as.
    const template = statelessTemplate(built.stateless);
    // Read now, while this synthesis is the one on disk.
    const perStack = statelessTemplates(built.stateless);

    it("builds the provider in the sign-in capability's nested stack, beside the sign-in function, not in the parent", () => {
      const where = (type: string) => perStack.filter(({ template: t }) => Object.values((t.Resources ?? {}) as Record<string, Json>).some((r) => r.Type === type)).map(({ name }) => name);
      for (const type of ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', 'AWS::SecretsManager::Secret', 'Custom::DescribeCognitoUserPoolClient']) {
        expect(where(type), type).toEqual(['sign-in']);
      }
      expect(built.stateless.capabilityStacks.get('sign-in')?.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287'), 'the custom resource function').toBeDefined();
    });

    it('leaves cdk-nag nothing unacknowledged (the pool, its client secret, the function)', () => {
      const findings = [new AwsSolutionsChecks(built.app), new ServerlessChecks(built.app)].flatMap((pack) =>
        pack.validateScope(built.stateless).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? '?'}`)),
      );
      expect(findings).toEqual([]);
    });

    it('makes a user pool staff cannot sign up to, with MFA and a strong password policy, kept on delete', () => {
      template.resourceCountIs('AWS::Cognito::UserPool', 1);
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14, RequireSymbols: true }) },
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      });
      template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
    });

    it('has a group per staff role, and none for the public', () => {
      const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g: Json) => g.Properties.GroupName as string);
      expect(groups.sort()).toEqual(['admin', 'finance', 'officer', 'partner', 'tenancy']);
    });

    it('has an app client for the authorization-code flow only, with a secret and the callback URL', () => {
      template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: Match.arrayWith(['openid']),
        CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/sign-in/callback'])]) })],
        // Signing out also ends the Cognito session, which sends the browser back here.
        LogoutURLs: [Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/signed-out'])]) })],
        SupportedIdentityProviders: ['COGNITO'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
      });
      template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    });

    it('gives the sign-in function the provider, the client secret and session key by ARN, never a value', () => {
      const env = envOf(template, 'Staff sign-in');
      expect(env).toMatchObject({ OIDC_ROLES_CLAIM: 'cognito:groups', SC_SIGN_IN_PATH: '/sign-in', OIDC_END_SESSION_RETURN_PARAMETER: 'logout_uri' });
      // The way back from Cognito is the API's endpoint and one slash, never the $default stage URL's trailing slash and another.
      expect(JSON.stringify(env.OIDC_REDIRECT_URI)).not.toContain('//sign-in');
      for (const key of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET_ARN', 'OIDC_AUTHORIZATION_ENDPOINT', 'OIDC_TOKEN_ENDPOINT', 'OIDC_JWKS_URI', 'OIDC_REDIRECT_URI', 'OIDC_END_SESSION_ENDPOINT', 'SC_SESSION_SECRET_ARN']) {
        expect(env[key], key).toBeDefined();
      }
      expect(Object.keys(env)).not.toContain('OIDC_CLIENT_SECRET');
      expect(Object.keys(env)).not.toContain('SC_SESSION_KEY');
    });

    it('gives a staff page function the session key and the sign-in path, not the client secret', () => {
      const env = envOf(template, 'Staff KPI pages');
      expect(env.SC_SIGN_IN_PATH).toBe('/sign-in');
      expect(env.SC_SESSION_SECRET_ARN).toBeDefined();
      expect(env.OIDC_CLIENT_SECRET_ARN).toBeUndefined();
    });
  });

  describe("with the council's own OpenID provider (Entra ID) from context", () => {
    const arn = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:entra-client-AbCdEf';
    const template = statelessTemplate(
      synthesise({
        functions,
        bundle: false,
        context: {
          oidcIssuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
          oidcClientId: 'b6a9f1c2-staff',
          oidcClientSecretArn: arn,
          signInCallbackUrl: 'https://safer.example-council.gov.uk/sign-in/callback',
        },
      }).stateless,
    );

    it('makes no user pool and points the sign-in function at the provider', () => {
      template.resourceCountIs('AWS::Cognito::UserPool', 0);
      expect(envOf(template, 'Staff sign-in')).toMatchObject({
        OIDC_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
        OIDC_CLIENT_ID: 'b6a9f1c2-staff',
        OIDC_CLIENT_SECRET_ARN: arn,
        OIDC_ROLES_CLAIM: 'roles',
        OIDC_REDIRECT_URI: 'https://safer.example-council.gov.uk/sign-in/callback',
      });
    });
  });

  it('refuses a provider without a client secret ARN', () => {
    expect(() => synthesise({ functions, bundle: false, context: { oidcIssuer: 'https://idp.example', oidcClientId: 'x' } })).toThrow(/oidcClientSecretArn/);
  });
});
