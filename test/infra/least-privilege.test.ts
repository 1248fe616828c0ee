import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FundingSpent } from '#events/funding';
import { councilId } from '#shared/config';
import { keyPrefixes, keyPrefixOf, keys } from '#shared/keys';
import { topology, type FunctionSpec } from '#infra/topology';
import { deniedToPublicFunctions, isPublicFunction, leadingKeyPatterns } from '../../infra/least-privilege.ts';
import { placeholderWarning, projectRoot } from '../../infra/cdk/config.ts';
import { logicalIdOf, removeAssemblies, statelessTemplate, synthesise } from './synth.ts';

type Json = Record<string, any>;
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every key builder called with placeholder parts: the partition keys (and gsi1pks) the code can make. */
const builtKeys = Object.entries(keys).map(([name, build]) => {
  const made = (build as (...parts: string[]) => string | { pk: string })('x', 'y', 'z', 'w');
  return { name, pk: typeof made === 'string' ? made : made.pk };
});

describe('key families', () => {
  it('lists exactly the families the key builders make', () => {
    const made = new Set(builtKeys.map((k) => keyPrefixOf(k.pk)));
    expect(made.has(undefined)).toBe(false);
    expect([...made].sort()).toEqual([...keyPrefixes].sort());
  });

  it('every declared family exists in keys.ts', () => {
    for (const spec of topology) {
      for (const prefixes of Object.values(spec.keyPrefixes ?? {})) {
        for (const prefix of prefixes ?? []) expect(keyPrefixes, `${spec.name}: ${prefix}`).toContain(prefix);
      }
    }
  });

  it('a family pattern reaches its own keys and no longer family sharing its start', () => {
    const like = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
    const reaches = (prefix: (typeof keyPrefixes)[number], pk: string) => leadingKeyPatterns([prefix]).some((p) => like(p, pk));
    for (const { name, pk } of builtKeys) {
      const own = keyPrefixOf(pk);
      for (const prefix of keyPrefixes) expect(reaches(prefix, pk), `${prefix} on ${name} (${pk})`).toBe(prefix === own);
    }
    expect(reaches('CASE', `${councilId}#CASE-REVIEW#r1`)).toBe(false);
    expect(reaches('CASE', `${councilId}#FLYTIP#CASE#c1`)).toBe(false);
  });

  /**
   * The wire-and-check: each handler's module graph (esbuild's, as bundled for Lambda) names
   * key builders; the families they make must all be declared, or the role would refuse them.
   */
  it("declares every family a function's code builds keys in", async () => {
    const missing: string[] = [];
    for (const spec of topology.filter((s) => s.tables?.main)) {
      const result = await build({
        entryPoints: [path.join(projectRoot, spec.entry)],
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        logLevel: 'silent',
        absWorkingDir: projectRoot,
      });
      const used = new Set<string>();
      for (const file of Object.keys(result.metafile.inputs).filter((f) => /^(functions|web)\//.test(f))) {
        for (const match of readFileSync(path.join(projectRoot, file), 'utf8').matchAll(/\bkeys\.(\w+)\b/g)) {
          const key = builtKeys.find((k) => k.name === match[1]);
          if (key) used.add(String(keyPrefixOf(key.pk)));
        }
      }
      const declared = spec.keyPrefixes?.main;
      if (!declared) continue; // granted the whole table (and warned about)
      for (const prefix of used) if (!(declared as readonly string[]).includes(prefix)) missing.push(`${spec.name}: ${prefix}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('least privilege in the synthesised template', () => {
  const statements = new Map<string, Json[]>();
  let mainTable = '';
  let stacks: ReturnType<typeof synthesise>['stateless'][] = [];
  const statementsOf = (spec: FunctionSpec): Json[] => {
    const found = statements.get(spec.name);
    if (!found) throw new Error(`no function ${spec.name}`);
    return found;
  };

  beforeAll(() => {
    // Bundling changes no IAM: skip it. Synthesised in two halves, each read straight away, to
    // keep the assembly small; each half's stateless stack is read with its capabilities'
    // nested stacks, where the functions and their roles and policies are.
    const half = Math.ceil(topology.length / 2);
    stacks = [];
    for (const functions of [topology.slice(0, half), topology.slice(half)]) {
      const built = synthesise({ bundle: false, functions });
      const template = statelessTemplate(built.stateless);
      const fns = template.findResources('AWS::Lambda::Function');
      const policies = Object.values(template.findResources('AWS::IAM::Policy'));
      mainTable = JSON.stringify(built.stateful.exports.tableNames.main);
      for (const spec of functions) {
        const fn = built.stateless.functions.get(spec.name);
        if (!fn) throw new Error(`no function ${spec.name}`);
        const roleId: string = fns[logicalIdOf(fn)]?.Properties.Role['Fn::GetAtt'][0];
        statements.set(
          spec.name,
          policies.filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleId)).flatMap((p) => p.Properties.PolicyDocument.Statement as Json[]),
        );
      }
      stacks.push(built.stateless);
    }
  });
  afterAll(removeAssemblies);

  const onMain = (statements: Json[]) => statements.filter((s) => JSON.stringify(s.Resource).includes(mainTable));
  const publicFunctions = () => topology.filter(isPublicFunction);

  it('finds the public functions: the public routes, DISC and Open311', () => {
    expect(publicFunctions().map((s) => s.name)).toEqual(expect.arrayContaining(['ReportIntake', 'DiscWebhook', 'Open311Api', 'CaseReviewApplications']));
  });

  it('lets no public function Scan, delete or batch write the main table', () => {
    for (const spec of publicFunctions()) {
      const actions = onMain(statementsOf(spec)).flatMap((s) => asArray(s.Action));
      for (const denied of deniedToPublicFunctions) expect(actions, spec.name).not.toContain(denied);
      expect(actions.filter((a) => a.includes('*')), spec.name).toEqual([]);
    }
  });

  it('lets no function Scan the main table once it declares its key families', () => {
    for (const spec of topology.filter((s) => s.keyPrefixes?.main)) {
      expect(onMain(statementsOf(spec)).flatMap((s) => asArray(s.Action)), spec.name).not.toContain('dynamodb:Scan');
    }
  });

  it('declares key families for every function granted the main table', () => {
    expect(topology.filter((s) => s.tables?.main && !s.keyPrefixes?.main).map((s) => s.name)).toEqual([]);
  });

  it("holds every main-table grant, table and indexes, to the function's key families", () => {
    for (const spec of topology.filter((s) => s.keyPrefixes?.main)) {
      const statements = onMain(statementsOf(spec));
      expect(statements.length, spec.name).toBeGreaterThan(0);
      for (const statement of statements) {
        expect(statement.Condition, spec.name).toEqual({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeyPatterns(spec.keyPrefixes?.main ?? []) },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        });
        expect(JSON.stringify(statement.Resource), spec.name).toContain('/index/*');
      }
    }
    // A public function's families are few: the intake form reaches no case or funding item.
    const intake = topology.find((s) => s.name === 'ReportIntake');
    expect(intake?.keyPrefixes?.main).not.toContain('CASE');
    expect(intake?.keyPrefixes?.main).not.toContain('FUNDING');
  });

  it('lets each function put only the sources and detail-types it declares', () => {
    for (const spec of topology.filter((s) => s.putsEvents)) {
      const puts = statementsOf(spec).filter((s) => asArray(s.Action).includes('events:PutEvents'));
      expect(puts.length, spec.name).toBeGreaterThan(0);
      for (const statement of puts) {
        const condition = statement.Condition?.StringEquals;
        expect(condition, spec.name).toBeDefined();
        const types = asArray<string>(condition['events:detail-type']);
        for (const type of types) {
          expect(spec.emits, spec.name).toContainEqual({ source: condition['events:source'], detailType: type });
        }
      }
    }
  });

  it('lets no function but finance\'s own (FundingCommands, and FundingDesk, its page forms) put FundingSpent: a compromised public function cannot forge it', () => {
    const canPut = (spec: FunctionSpec) =>
      statementsOf(spec).some(
        (s) =>
          s.Effect === 'Allow' &&
          asArray(s.Action).some((a: string) => a === 'events:PutEvents' || a === 'events:*') &&
          (s.Condition === undefined ||
            (s.Condition.StringEquals?.['events:source'] === FundingSpent.source &&
              asArray(s.Condition.StringEquals?.['events:detail-type']).includes(FundingSpent.detailType))),
      );
    expect(topology.filter(canPut).map((s) => s.name)).toEqual(['FundingCommands', 'FundingDesk']);
    // Both answer finance and admin only.
    for (const name of ['FundingCommands', 'FundingDesk']) {
      const spec = topology.find((s) => s.name === name);
      for (const trigger of spec?.triggers ?? []) if (trigger.kind === 'http') expect(trigger.auth, `${name} ${trigger.method} ${trigger.path}`).toEqual(['finance', 'admin']);
    }
    for (const spec of publicFunctions()) expect(canPut(spec), spec.name).toBe(false);
  });

  it('warns on the synth about no function today, as every one declares its grants', () => {
    for (const stack of stacks) {
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('whole main table|any event on the bus'))).toEqual([]);
    }
  });
});

describe('grants a function declares no families or events for', () => {
  it('stay as wide as before, with a warning, so a new function still synthesises', () => {
    const spec: FunctionSpec = {
      name: 'Undeclared',
      entry: 'functions/health/health.ts',
      description: 'Test fixture: a new function declaring no key families or events',
      capability: 'fixture',
      triggers: [{ kind: 'http', method: 'GET', path: '/undeclared', auth: ['officer'] }],
      tables: { main: 'readwrite' },
      putsEvents: true,
      memoryMb: 256,
      timeoutSeconds: 10,
    };
    const built = synthesise({ bundle: false, functions: [spec] });
    try {
      const warnings = Annotations.fromStack(built.stateless)
        .findWarning('*', Match.anyValue())
        .map((w) => String(w.entry.data));
      expect(warnings.filter((w) => w.includes('whole main table'))).toHaveLength(1);
      expect(warnings.filter((w) => w.includes('any event on the bus'))).toHaveLength(1);
    } finally {
      removeAssemblies();
    }
  });
});

const placeholderIssuer = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_REPLACEME';

describe('placeholders', () => {
  afterAll(removeAssemblies);

  it('a dev synth warns loudly about the placeholder DISC secret and token issuer', () => {
    const built = synthesise({ bundle: false, functions: topology.filter((s) => s.name === 'Health'), context: { jwtIssuer: placeholderIssuer, jwtAudience: 'safer-communities-api' } });
    const disc = Annotations.fromStack(built.stateful).findWarning('*', Match.stringLikeRegexp('PLACEHOLDER DISC SECRET'));
    const issuer = Annotations.fromStack(built.stateless).findWarning('*', Match.stringLikeRegexp('PLACEHOLDER TOKEN ISSUER'));
    expect(disc).toHaveLength(1);
    expect(issuer).toHaveLength(1);
    expect(placeholderWarning).toMatch(/placeholder/);
  });

  it('a prod synth with the placeholder issuer and no DISC secret fails', () => {
    expect(() => synthesise({ bundle: false, functions: topology.filter((s) => s.name === 'Health'), context: { stage: 'prod', alarmEmail: 'oncall@council.gov.uk', jwtIssuer: placeholderIssuer, jwtAudience: 'safer-communities-api' } })).toThrow(
      /jwtIssuer is a placeholder[\s\S]*discSecretArn is missing/,
    );
  });
});
