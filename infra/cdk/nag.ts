import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
// The function cdk-nag itself uses to name IAM5 findings, so the ids we acknowledge match.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';

/** Every cdk-nag acknowledgement goes through here, so none is recorded without a reason. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  if (reason.trim().length < 20) throw new Error(`cdk-nag acknowledgement ${id} needs a written reason`);
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * The id of the IAM5 finding for one wildcard resource (such as `<table arn>/index/*`), so a
 * suppression names exactly that resource instead of silencing the rule.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;
}

export function wildcardActionFinding(action: string): string {
  return `AwsSolutions-IAM5[Action::${action}]`;
}
