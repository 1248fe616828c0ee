import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentOf, functionSettings, memoryMbOf, timeoutSecondsOf } from '#infra/function-settings';
import { localResourceNames, resourceVariables } from '#infra/local/grants';
import { secrets, type SecretName } from '#infra/resources';
import { topology, type FunctionSpec } from '#infra/topology';
import { functionDefaults } from '../../infra/cdk/function-defaults.ts';
import { fixtureTopology, logicalIdOf, removeAssemblies, statelessTemplate, synthesise } from './synth.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const local = localResourceNames({ DISC_WEBHOOK_SECRET: 'webhook', DISC_SUBJECT_KEY: 'subject', NOTIFY_API_KEY: 'notify-key' });
const localOnlySecretVariables = new Map(
  (Object.keys(secrets) as SecretName[]).flatMap((name) => Object.keys(local.secret(name)).map((variable) => [variable, secrets[name].envVar] as const)),
);

/**
 * What a function is given on AWS and locally comes from one place (infra/function-settings.ts);
 * this proves the synthesised functions carry it: the same resource variables (a secret's ARN
 * on AWS where the local runtime hands over its values), the same timeout and memory.
 */
describe('infra: CDK and the local runtime give a function the same settings', () => {
  const specs: readonly FunctionSpec[] = [...topology, ...fixtureTopology];
  let functions: Map<string, Json>;

  beforeAll(() => {
    const built = synthesise({ functions: specs, bundle: false });
    const template = statelessTemplate(built.stateless).toJSON() as Json;
    functions = new Map(
      specs.map((spec) => {
        const fn = built.stateless.functions.get(spec.name);
        if (!fn) throw new Error(`no function for ${spec.name}`);
        return [spec.name, template.Resources[logicalIdOf(fn)].Properties as Json];
      }),
    );
  });
  afterAll(removeAssemblies);

  it('uses the shared defaults for timeout and memory when CDK builds a function', () => {
    expect(functionDefaults.timeout.toSeconds()).toBe(functionSettings.timeoutSeconds);
    expect(functionDefaults.memorySize).toBe(functionSettings.memoryMb);
  });

  it('sets each function the timeout and memory the local invoker runs it with', () => {
    for (const spec of specs) {
      const props = functions.get(spec.name) as Json;
      expect({ name: spec.name, timeout: props.Timeout, memory: props.MemorySize }).toEqual({ name: spec.name, timeout: timeoutSecondsOf(spec), memory: memoryMbOf(spec) });
    }
  });

  it('gives each function the resource variables the local runtime gives it, and no other', () => {
    for (const spec of specs) {
      const variables = Object.keys((functions.get(spec.name) as Json).Environment.Variables as Json);
      const onAws = variables.filter((name) => resourceVariables(local).has(name)).sort();
      const locally = [...new Set(Object.keys(environmentOf(spec, local)).map((name) => localOnlySecretVariables.get(name) ?? name))].sort();
      expect({ name: spec.name, variables: onAws }).toEqual({ name: spec.name, variables: locally });
    }
  });
});
