import { secrets } from '#infra/resources';
import { Validations, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixtureTopology, removeAssemblies, synthesise } from './synth.ts';

/** Unacknowledged AwsSolutions and Serverless findings, one line each: rule id and construct path. */
function findings(app: IConstruct, stack: Stack): string[] {
  return [new AwsSolutionsChecks(app), new ServerlessChecks(app)].flatMap((pack) =>
    pack.validateScope(stack).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? '?'}`)),
  );
}

/** Every `Validations.of(x).acknowledge()` in the tree, with the path it was made on. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: unknown }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, unknown>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('infra: cdk-nag', () => {
  let built: ReturnType<typeof synthesise>;

  // cdk-nag reads the construct tree, not the code: skip bundling (stack.test.ts bundles).
  beforeAll(() => {
    built = synthesise({ bundle: false });
  });
  afterAll(removeAssemblies);

  it('reports no unacknowledged AwsSolutions or Serverless finding when the stateful stack is checked', () => {
    expect(findings(built.app, built.stateful)).toEqual([]);
  });

  it('reports no unacknowledged AwsSolutions or Serverless finding when the stateless stack and its nested stacks are checked', () => {
    expect(built.stateless.capabilityStacks.size).toBeGreaterThan(0);
    expect(findings(built.app, built.stateless)).toEqual([]);
  });

  it('acknowledges nothing in the stateful stack but the rotation of secrets shared with outside parties', () => {
    expect(acknowledgements(built.stateful).map((a) => a.id)).toEqual(Object.values(secrets).map(() => 'AwsSolutions-SMG4'));
  });

  it('gives every acknowledgement a written reason', () => {
    const all = acknowledgements(built.app);
    expect(all.length).toBeGreaterThan(0);
    for (const { path, id, reason } of all) {
      expect(typeof reason === 'string' && reason.trim().length >= 20, `${id} at ${path}`).toBe(true);
    }
  });

  it('reports no finding for a new entry with every trigger kind and access level', () => {
    const fixture = synthesise({ functions: fixtureTopology, bundle: false });
    expect(findings(fixture.app, fixture.stateless)).toEqual([]);
  });

  it('acknowledges only findings that occur when the acknowledgements are left out', () => {
    const acknowledged = acknowledgements(built.app);
    const ignore = vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
    let raised: string[];
    try {
      const bare = synthesise({ bundle: false });
      raised = [...findings(bare.app, bare.stateful), ...findings(bare.app, bare.stateless)];
    } finally {
      ignore.mockRestore();
    }
    expect(raised.length).toBeGreaterThan(0);
    // The checks walk into every capability's nested stack, where the functions and their
    // acknowledgements now are: each raises findings of its own when nothing is acknowledged.
    for (const nested of built.stateless.capabilityStacks.values()) {
      expect(raised.some((f) => f.includes(` at ${nested.node.path}/`)), nested.node.path).toBe(true);
    }
    // A finding is raised on a CfnResource; the acknowledgement sits on it or on an ancestor.
    const stale = acknowledged.filter(
      ({ id, path }) => !raised.some((f) => f === `${id} at ${path}` || f.startsWith(`${id} at ${path}/`)),
    );
    expect(stale).toEqual([]);
  });
});
