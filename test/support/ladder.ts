import { RuleViolationError } from '#shared/errors';
import type { FpnTariff } from '../../functions/enforcement/fpn-tariff.ts';
import { checkLadder, type RecordedAction } from '../../functions/enforcement/ladder.ts';

/** The rule code an action breaks against the earlier actions, or 'ok'. */
export function verdict(action: RecordedAction, history: RecordedAction[] = [], tariff?: FpnTariff): string {
  try {
    checkLadder(action, { history, ...(tariff ? { tariff } : {}) });
    return 'ok';
  } catch (error) {
    if (error instanceof RuleViolationError) return error.code;
    throw error;
  }
}
