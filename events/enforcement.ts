import { z } from 'zod';
import { defineEvent } from './contract.ts';
import { code, entityId, isoDate, MAX_ABS_PENCE, opaqueRef, text } from './envelope.ts';

/** Every event from this source counts once in "total recorded team actions". */
export const ENFORCEMENT_SOURCE = 'safer-communities.enforcement';

export const warningTypes = ['CPW', 'ABC', 'verbal', 'written', 'duty-of-care', 'other'] as const;
export const noticeTypes = ['CPN', 's47-epa', 'pdpa-s4', 'duty-of-care', 'other'] as const;
export const courtOrderTypes = ['closure-order', 'closure-order-extension', 's1-injunction'] as const;
export const teamActionTypes = ['visit', 'call', 'letter', 'email', 'meeting', 'inspection', 'other'] as const;
/** The offences a fixed penalty can be issued for; each has its amounts in the tariff (functions/enforcement/fpn-tariff.ts). */
export const fpnOffences = [
  'fly-tipping',
  'littering',
  'graffiti',
  'fly-posting',
  'household-waste-duty-of-care',
  'cpn-breach',
  'pspo-breach',
] as const;
/** The operation type the annual report counts as "waste-carrier stop-and-search operations". */
export const WASTE_CARRIER_STOP_SEARCH = 'waste-carrier-stop-search';

/**
 * Age of the person the action is against, where known. Only typed here: the age rules
 * (CPW/CPN recipients at least 16, a s1 injunction at least 10) are domain rules.
 */
const subjectAge = z.number().int().min(0).max(120);

/** Fields every enforcement event carries. */
const action = {
  officerId: entityId,
  /** Absent when the action is not part of a case (a patrol, a stop-and-search operation). */
  caseId: entityId.optional(),
  notes: text(2000).optional(),
};

export const WarningIssued = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'WarningIssued',
  fields: {
    ...action,
    warningType: z.enum(warningTypes),
    subjectRef: opaqueRef,
    subjectAge: subjectAge.optional(),
    /** The date by which the behaviour must stop; required for a CPW. */
    complyBy: isoDate.optional(),
  },
  refine: (detail, ctx) => {
    if (detail.warningType === 'CPW' && detail.complyBy === undefined) {
      ctx.addIssue({ code: 'custom', path: ['complyBy'], message: 'a Community Protection Warning needs a complyBy date' });
    }
  },
});

export const NoticeServed = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'NoticeServed',
  fields: {
    ...action,
    noticeType: z.enum(noticeTypes),
    subjectRef: opaqueRef,
    subjectAge: subjectAge.optional(),
    complyBy: isoDate.optional(),
  },
});

export const FixedPenaltyIssued = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'FixedPenaltyIssued',
  fields: {
    ...action,
    /** Offence code; the amount for an offence on a date is looked up, never hard-coded. */
    offence: code,
    amountPence: z.number().int().positive().max(MAX_ABS_PENCE),
    subjectRef: opaqueRef,
    subjectAge: subjectAge.optional(),
  },
});

export const CourtOrderObtained = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'CourtOrderObtained',
  fields: {
    ...action,
    orderType: z.enum(courtOrderTypes),
    expiresAt: isoDate,
    /** The person (injunction) or premises (closure order) the order is against. */
    subjectRef: opaqueRef.optional(),
    subjectAge: subjectAge.optional(),
  },
});

export const InterviewUnderCautionHeld = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'InterviewUnderCautionHeld',
  fields: {
    ...action,
    subjectRef: opaqueRef.optional(),
    subjectAge: subjectAge.optional(),
  },
});

export const CaseFileSentToLegal = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'CaseFileSentToLegal',
  fields: {
    ...action,
    subjectRef: opaqueRef.optional(),
  },
});

export const OperationConducted = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'OperationConducted',
  fields: {
    ...action,
    /** e.g. `waste-carrier-stop-search` ({@link WASTE_CARRIER_STOP_SEARCH}). */
    operationType: code,
  },
});

export const PatrolLogged = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'PatrolLogged',
  fields: {
    ...action,
    /** One patrol's length; at most a day. */
    minutes: z.number().int().positive().max(24 * 60),
  },
});

export const ReferralMade = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'ReferralMade',
  fields: {
    ...action,
    service: text(200),
    /** A council service (true) or an outside one: police, youth services, social services (false). */
    internal: z.boolean(),
    subjectRef: opaqueRef.optional(),
    subjectAge: subjectAge.optional(),
  },
});

export const TeamActionRecorded = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'TeamActionRecorded',
  fields: {
    ...action,
    actionType: z.enum(teamActionTypes),
    subjectRef: opaqueRef.optional(),
  },
});

export const enforcementContracts = [
  WarningIssued,
  NoticeServed,
  FixedPenaltyIssued,
  CourtOrderObtained,
  InterviewUnderCautionHeld,
  CaseFileSentToLegal,
  OperationConducted,
  PatrolLogged,
  ReferralMade,
  TeamActionRecorded,
] as const;
