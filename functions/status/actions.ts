import type { EventOf } from '#shared/consumer';
import type { ContractsOf } from '#shared/wiring';
import type { statusProjector } from './capability.ts';
import type { PublicAction } from './progress.ts';

export type StatusEvent = EventOf<ContractsOf<typeof statusProjector>>;

/**
 * The kind of an officer's action as the reporter may read it, or undefined for what is not
 * told (an appeal, an action of no kind the public would recognise). Never the subject, the
 * notes or the amount.
 */
export function publicActionOf(event: StatusEvent): PublicAction | undefined {
  switch (event.detailType) {
    case 'WarningIssued':
      return 'warning';
    case 'NoticeServed':
      return 'notice';
    case 'FixedPenaltyIssued':
      return 'fixed-penalty';
    case 'CourtOrderObtained':
      return 'court-order';
    case 'ClosureNoticeServed':
      return 'closure-notice';
    case 'InterviewUnderCautionHeld':
      return 'interview';
    case 'CaseFileSentToLegal':
      return 'legal';
    case 'OperationConducted':
      return 'operation';
    case 'PatrolLogged':
      return 'patrol';
    case 'ReferralMade':
      return 'referral';
    case 'TeamActionRecorded': {
      const type = event.detail.actionType;
      if (type === 'visit' || type === 'inspection') return 'visit';
      if (type === 'call' || type === 'letter' || type === 'email' || type === 'meeting') return 'contact';
      return undefined;
    }
    default:
      return undefined;
  }
}
