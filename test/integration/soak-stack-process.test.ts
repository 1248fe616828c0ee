import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSoakStack } from '../../bench/soak/stack-process.ts';

describe("integration: the soak's stack in a process of its own", () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sc-soak-stack-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('answers calls over IPC, measures its own memory, and fails every call once its process is gone', async () => {
    const stack = await startSoakStack({ stateDir, seed: 1 }, () => undefined);
    expect(stack.pid).not.toBe(process.pid);
    expect(await stack.deliveries()).toBe(0);
    expect(await stack.deadLetters()).toEqual([]);
    await stack.faultsOn({ handlerThrows: 0.5, dynamoThrottles: 0 });
    expect(await stack.faultCounts()).toEqual({ handlerThrowsBefore: 0, handlerThrowsAfter: 0, dynamoThrottles: 0 });
    const memory = await stack.memory();
    expect(memory.rssMb).toBeGreaterThan(0);
    expect(memory.openLevelIterators).toBe(0);
    expect(memory.oldestLevelIteratorSeconds).toBe(0);

    process.kill(stack.pid, 'SIGKILL');
    await expect(stack.pending()).rejects.toThrow(/soak's stack process (ended|is not there)/);
    await expect(stack.deliveries()).rejects.toThrow(/soak's stack process (ended|is not there)/);
  }, 60_000);
});
