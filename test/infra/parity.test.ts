import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeKeyOf } from '#shared/wiring';
import { topology } from '#infra/topology';
import { wiringOf } from '#infra/local/wiring';
import { logicalIdOf, removeAssemblies, statelessTemplate, synthesise } from './synth.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The two backends are generated from one topology; this proves they wire the same things:
 * the rules the local bus delivers are the rules CDK creates, with the same patterns and
 * targets; the routes the local gateway serves are the API's routes, with the same auth; the
 * schedules the local scheduler fires are the EventBridge Scheduler schedules.
 */
describe('infra: CDK and the local runtime agree', () => {
  let cdk: { rules: string[]; routes: string[]; schedules: string[]; functions: string[] };

  beforeAll(() => {
    const built = synthesise({ bundle: false });
    const template = statelessTemplate(built.stateless);
    const resources = (type: string): Json[] => Object.values(template.findResources(type));
    const nameOfFunction = new Map<string, string>();
    for (const capability of built.stateless.capabilities.values()) {
      for (const [name, fn] of capability.functions) nameOfFunction.set(logicalIdOf(fn), name);
      // Triggers invoke the live alias, which stands for its function.
      for (const [name, alias] of capability.aliases) nameOfFunction.set(logicalIdOf(alias), name);
    }
    const functionFromRef = (ref: Json): string => nameOfFunction.get(ref['Fn::GetAtt']?.[0] ?? ref.Ref) ?? 'unknown';
    const integrations = new Map(
      Object.entries(template.findResources('AWS::ApiGatewayV2::Integration')).map(([id, r]) => [id, functionFromRef((r as Json).Properties.IntegrationUri)]),
    );
    cdk = {
      functions: [...new Set(nameOfFunction.values())].sort(),
      rules: resources('AWS::Events::Rule')
        .filter((r) => r.Properties.Targets.some((t: Json) => nameOfFunction.has(t.Arn?.Ref ?? '')))
        .map(
        (r) => `${JSON.stringify(r.Properties.EventPattern)} -> ${functionFromRef(r.Properties.Targets[0].Arn)}`,
      ),
      routes: resources('AWS::ApiGatewayV2::Route').map((r) => {
        const integration = String(r.Properties.Target['Fn::Join'][1][1].Ref);
        return `${r.Properties.RouteKey} ${r.Properties.AuthorizationType ?? 'NONE'} -> ${integrations.get(integration)}`;
      }),
      schedules: resources('AWS::Scheduler::Schedule').map(
        (r) => `${r.Properties.ScheduleExpression} ${r.Properties.ScheduleExpressionTimezone} -> ${functionFromRef(r.Properties.Target.Arn)}`,
      ),
    };
  });
  afterAll(removeAssemblies);

  const local = wiringOf(topology);

  it('deploys every topology function that the local runtime runs', () => {
    expect(cdk.functions).toEqual(topology.map((f) => f.name).sort());
  });

  it('creates the same rules, patterns and targets as the local bus delivers to', () => {
    expect(cdk.rules.sort()).toEqual(local.rules.map((r) => `${JSON.stringify(r.pattern)} -> ${r.fn.name}`).sort());
  });

  it('routes the same method, path and auth to the same function as the local gateway', () => {
    expect(cdk.routes.sort()).toEqual(
      local.routes.map((r) => `${routeKeyOf(r)} ${r.auth === 'public' || r.page ? 'NONE' : 'JWT'} -> ${r.fn.name}`).sort(),
    );
  });

  it('schedules the same cron expressions in Europe/London as the local scheduler fires', () => {
    expect(cdk.schedules.sort()).toEqual(local.schedules.map((s) => `${s.cron} Europe/London -> ${s.fn.name}`).sort());
  });
});
