import { describe, expect, it } from 'vitest';
import { groupProfile, moduleOf, selfByFunction } from '../../bench/profile-groups.ts';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

describe('bench/profile-groups', () => {
  it('names a frame by its package, our path or its node: module', () => {
    expect(moduleOf('file:///w/node_modules/@smithy/core/dist-cjs/index.js')).toBe('@smithy/core');
    expect(moduleOf('file:///w/node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(moduleOf('file:///work/wt/x/infra/local/gateway.ts')).toBe('infra/local/gateway.ts');
    expect(moduleOf('node:_http_server')).toBe('node:_http_server');
    expect(moduleOf('')).toBe('');
  });

  it('gives each sample to the innermost frame that belongs somewhere, and keeps GC apart', () => {
    // root → our consumer → the SDK → a native frame (no URL): the sample is the SDK's.
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 5] },
        { id: 2, callFrame: frame('run', 'file:///w/functions/shared/consumer.ts'), children: [3] },
        { id: 3, callFrame: frame('send', 'file:///w/node_modules/@smithy/core/dist-cjs/index.js'), children: [4] },
        { id: 4, callFrame: frame('', '') },
        { id: 5, callFrame: frame('(garbage collector)', '') },
      ],
      samples: [4, 4, 4, 2, 5],
    };
    expect(groupProfile(profile)).toEqual([
      { group: 'AWS SDK', share: 0.6 },
      { group: 'our functions and shared code', share: 0.2 },
      { group: '(garbage collector)', share: 0.2 },
    ]);
    expect(selfByFunction(profile, 'consumer')).toEqual([{ frame: 'run functions/shared/consumer.ts:1', share: 0.2 }]);
  });
});
