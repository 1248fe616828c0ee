import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { FunctionSpec } from '#infra/topology';
import type { EdgeConfig } from './config.ts';
import { acknowledge } from './nag.ts';

/** Requests one address may POST to the public routes in five minutes before WAF blocks it. */
export const publicPostsPerFiveMinutes = 100;

/** The managed rule groups every request passes: common exploits, known bad inputs, bad IPs. */
export const managedRuleGroups = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'] as const;

/** The literal start of each public POST path (up to its first `{parameter}`), from the topology. */
export function publicPostPrefixes(functions: readonly FunctionSpec[]): string[] {
  const prefixes = functions.flatMap((spec) =>
    spec.triggers.flatMap((t) => (t.kind === 'http' && t.auth === 'public' && t.method === 'POST' ? [t.path.split('{')[0] ?? t.path] : [])),
  );
  return [...new Set(prefixes)].sort();
}

export interface EdgeStackProps extends StackProps {
  readonly edge: EdgeConfig;
  readonly functions: readonly FunctionSpec[];
}

/**
 * CloudFront and WAF in front of the API, in us-east-1 (CloudFront takes its certificate and
 * web ACL from there only). The origin is the API's own custom domain `origin.<domainName>`
 * in the main region; the execute-api endpoint is switched off, so requests come through
 * here. Nothing is cached: every answer is personal or changes.
 */
export class EdgeStack extends Stack {
  readonly distribution: Distribution;
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const prefixes = publicPostPrefixes(props.functions);
    const pathStatements = prefixes.map((prefix): CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: prefix.endsWith('/') ? 'STARTS_WITH' : 'EXACTLY',
        searchString: prefix,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    }));
    const isPost: CfnWebACL.StatementProperty = {
      byteMatchStatement: {
        fieldToMatch: { method: {} },
        positionalConstraint: 'EXACTLY',
        searchString: 'POST',
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    };
    const [onlyPath] = pathStatements;
    const onPublicPaths: CfnWebACL.StatementProperty = pathStatements.length === 1 && onlyPath ? onlyPath : { orStatement: { statements: pathStatements } };
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Safer Communities: managed rule groups, and a rate limit on the public POST routes',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('SaferCommunitiesWebAcl'),
      rules: [
        ...(pathStatements.length > 0
          ? [
              {
                name: 'PublicPostRateLimit',
                priority: 0,
                action: { block: {} },
                statement: {
                  rateBasedStatement: {
                    limit: publicPostsPerFiveMinutes,
                    evaluationWindowSec: 300,
                    aggregateKeyType: 'IP',
                    scopeDownStatement: { andStatement: { statements: [isPost, onPublicPaths] } },
                  },
                },
                visibilityConfig: visibility('PublicPostRateLimit'),
              },
            ]
          : []),
        ...managedRuleGroups.map((name, i) => ({
          name,
          priority: i + 1,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
          visibilityConfig: visibility(name),
        })),
      ],
    });

    // CloudFront's standard logs need ACLs on the bucket; they hold client addresses, kept a year.
    const logs = new Bucket(this, 'EdgeLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'retention', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(logs, 'AwsSolutions-S1', 'This bucket receives the CloudFront access logs; logging it again would only log the logger');

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Safer Communities: ${props.edge.domainName}`,
      domainNames: [props.edge.domainName],
      certificate: Certificate.fromCertificateArn(this, 'Certificate', props.edge.certificateArn),
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      webAclId: this.webAcl.attrArn,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: new HttpOrigin(`origin.${props.edge.domainName}`, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          readTimeout: Duration.seconds(30),
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // Every header, cookie and query string but Host, which must name the origin domain.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
    });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction on purpose: residents report from wherever they are (on holiday, across the border), and WAF rate-limits the public routes instead',
    );

    new CfnOutput(this, 'DistributionDomainName', {
      value: this.distribution.distributionDomainName,
      description: `Point ${props.edge.domainName} here (CNAME or Route 53 alias)`,
    });
  }
}
