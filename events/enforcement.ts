import * as z from 'zod';
import { defineEvent } from './contract.ts';
import { code, entityId, isoDate, MAX_ABS_PENCE, opaqueRef, text } from './envelope.ts';

/** Every event from this source counts once in "total recorded team actions". */
export const ENFORCEMENT_SOURCE = 'safer-communities.enforcement';

export const warningTypes = ['CPW', 'ABC', 'verbal', 'written', 'duty-of-care', 'other'] as const;
export const noticeTypes = ['CPN', 's47-epa', 'pdpa-s4', 'duty-of-care', 'other'] as const;
export const courtOrderTypes = ['closure-order', 'closure-order-extension', 's1-injunction'] as const;
export const teamActionTypes = ['visit', 'call', 'letter', 'email', 'meeting', 'inspection', 'other'] as const;
/**
 * Who a contact was with. Only contact with the complainant is "first contact" for Tenancy
 * Services' targets (domain review, 2026-11-29).
 */
export const contactParties = ['complainant', 'subject', 'witness', 'partner', 'other'] as const;
/**
 * Who a CPW or CPN is given to: an individual aged 16 or over, or a body (a business, the
 * owner or manager of premises): Anti-social Behaviour, Crime and Policing Act 2014 s.43(1).
 */
export const subjectKinds = ['person', 'body'] as const;
/**
 * The three kinds of requirement a CPN may impose (ASBCPA 2014 s.43(3)): to stop doing
 * specified things; to do specified things; to take reasonable steps to achieve specified
 * results. While an appeal is in progress only "stop" requirements have effect (s.46(3)).
 */
export const cpnRequirementKinds = ['stop', 'do', 'take-steps'] as const;
/** What a magistrates' court does with a CPN appeal (s.46(4)), or the appellant withdrawing it (s.46(3)). */
export const cpnAppealOutcomes = ['quashed', 'modified', 'dismissed', 'withdrawn'] as const;
/** The offences a fixed penalty can be issued for; each has its amounts in the tariff (functions/enforcement/fpn-tariff.ts). */
export const fpnOffences = [
  'fly-tipping',
  'littering',
  'graffiti',
  'fly-posting',
  'household-waste-duty-of-care',
  'cpn-breach',
  'pspo-breach',
  'abandoned-vehicle',
  'nuisance-parking-vehicles-for-sale',
  'nuisance-parking-vehicle-repairs',
] as const;
/** The operation type the annual report counts as "waste-carrier stop-and-search operations". */
export const WASTE_CARRIER_STOP_SEARCH = 'waste-carrier-stop-search';

/**
 * Age of the person the action is against, where known. Only typed here: the age rules
 * (CPW/CPN recipients at least 16, a s1 injunction at least 10) are domain rules.
 */
const subjectAge = z.number().int().min(0).max(120);
/** A person (then their age is needed for a CPW or CPN) or a body (no age). */
const subjectKind = z.enum(subjectKinds);

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
  fields: () => ({
    ...action,
    warningType: z.enum(warningTypes),
    subjectRef: opaqueRef,
    subjectKind: subjectKind.optional(),
    subjectAge: subjectAge.optional(),
    /** The date by which the behaviour must stop; required for a CPW. */
    complyBy: isoDate.optional(),
  }),
  refine: (detail, ctx) => {
    if (detail.warningType === 'CPW' && detail.complyBy === undefined) {
      ctx.addIssue({ code: 'custom', path: ['complyBy'], message: 'a Community Protection Warning needs a complyBy date' });
    }
  },
});

export const NoticeServed = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'NoticeServed',
  fields: () => ({
    ...action,
    noticeType: z.enum(noticeTypes),
    subjectRef: opaqueRef,
    subjectKind: subjectKind.optional(),
    subjectAge: subjectAge.optional(),
    /** The last day to comply with the notice's requirements (s.43(8)); a breach FPN only from the day after. */
    complyBy: isoDate.optional(),
    /** A CPN's requirements, numbered from 1 in this order; a breach FPN names the ones broken. */
    requirements: z
      .array(z.object({ kind: z.enum(cpnRequirementKinds), text: text(500) }))
      .min(1)
      .max(20)
      .optional(),
  }),
});

export const FixedPenaltyIssued = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'FixedPenaltyIssued',
  fields: () => ({
    ...action,
    /** Offence code; the amount for an offence on a date is looked up, never hard-coded. */
    offence: code,
    amountPence: z.number().int().positive().max(MAX_ABS_PENCE),
    /** The council's tier the amount comes from (e.g. `large-fly-tip`), when its tariff has tiers. */
    tier: code.optional(),
    subjectRef: opaqueRef,
    subjectKind: subjectKind.optional(),
    subjectAge: subjectAge.optional(),
    /** For a CPN breach: the CPN breached (its eventId); the latest earlier CPN to the subject when left out. */
    noticeEventId: entityId.optional(),
    /** For a CPN breach: which of the CPN's requirements were broken, numbered from 1. */
    breachedRequirements: z.array(z.number().int().min(1).max(20)).min(1).max(20).optional(),
  }),
});

export const CourtOrderObtained = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'CourtOrderObtained',
  fields: () => ({
    ...action,
    orderType: z.enum(courtOrderTypes),
    expiresAt: isoDate,
    /** The person (injunction) or premises (closure order) the order is against. */
    subjectRef: opaqueRef.optional(),
    subjectAge: subjectAge.optional(),
  }),
});

export const InterviewUnderCautionHeld = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'InterviewUnderCautionHeld',
  fields: () => ({
    ...action,
    subjectRef: opaqueRef.optional(),
    subjectAge: subjectAge.optional(),
  }),
});

export const CaseFileSentToLegal = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'CaseFileSentToLegal',
  fields: () => ({
    ...action,
    subjectRef: opaqueRef.optional(),
  }),
});

export const OperationConducted = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'OperationConducted',
  fields: () => ({
    ...action,
    /** e.g. `waste-carrier-stop-search` ({@link WASTE_CARRIER_STOP_SEARCH}). */
    operationType: code,
  }),
});

export const PatrolLogged = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'PatrolLogged',
  fields: () => ({
    ...action,
    /** One patrol's length; at most a day. */
    minutes: z.number().int().positive().max(24 * 60),
  }),
});

export const ReferralMade = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'ReferralMade',
  fields: () => ({
    ...action,
    service: text(200),
    /** A council service (true) or an outside one: police, youth services, social services (false). */
    internal: z.boolean(),
    subjectRef: opaqueRef.optional(),
    subjectAge: subjectAge.optional(),
  }),
});

export const TeamActionRecorded = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'TeamActionRecorded',
  fields: () => ({
    ...action,
    actionType: z.enum(teamActionTypes),
    subjectRef: opaqueRef.optional(),
    /** Who the contact was with; only `complainant` counts as first contact. */
    contactWith: z.enum(contactParties).optional(),
  }),
});

/**
 * The person or body served a CPN appealed to a magistrates' court (ASBCPA 2014 s.46). Recorded
 * by an officer when the council learns of it; the appeal is in progress from `lodgedOn` until
 * a {@link CpnAppealDetermined}.
 */
export const CpnAppealLodged = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'CpnAppealLodged',
  fields: () => ({
    ...action,
    /** The CPN appealed against (its NoticeServed eventId). */
    noticeEventId: entityId,
    subjectRef: opaqueRef,
    /** The day the appeal was made to the court: within 21 days beginning with the day the CPN was issued (s.46(2)). */
    lodgedOn: isoDate,
  }),
});

/** The court quashed, modified or dismissed the CPN appeal, or the appellant withdrew it (s.46(3), (4)). */
export const CpnAppealDetermined = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'CpnAppealDetermined',
  fields: () => ({
    ...action,
    noticeEventId: entityId,
    subjectRef: opaqueRef,
    outcome: z.enum(cpnAppealOutcomes),
    /** When the court modified the notice's period: the new last day to comply. */
    complyBy: isoDate.optional(),
  }),
});

/**
 * A closure notice served on premises (ASBCPA 2014 s.76): it prohibits access for up to 24
 * hours, or 48 hours in all (s.77). The service computes when it ends and when the closure
 * order application must be heard: within 48 hours of service, Christmas Day disregarded (s.80(3), (4)).
 */
export const ClosureNoticeServed = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'ClosureNoticeServed',
  fields: () => ({
    ...action,
    /** The premises. */
    subjectRef: opaqueRef,
    /** The period the notice specifies, in hours: at most 24, or 48 where authorised under s.77(2). */
    hours: z.number().int().min(1).max(48),
    /** Who signed a notice of more than 24 hours: the chief executive or a person they designated (s.77(2)(b)). */
    authorisedBy: text(200).optional(),
    /** When the notice stops having effect (an instant). */
    expiresAt: z.iso.datetime({ offset: true }),
    /** The latest the magistrates' court must hear the closure order application (an instant). */
    hearingDueBy: z.iso.datetime({ offset: true }),
  }),
});

/** A closure notice extended (s.77(3)), so that it has effect for at most 48 hours in all. */
export const ClosureNoticeExtended = defineEvent({
  source: ENFORCEMENT_SOURCE,
  detailType: 'ClosureNoticeExtended',
  fields: () => ({
    ...action,
    /** The closure notice extended (its ClosureNoticeServed eventId). */
    closureNoticeEventId: entityId,
    subjectRef: opaqueRef,
    /** The notice's whole period after the extension, in hours from service: at most 48. */
    totalHours: z.number().int().min(2).max(48),
    /** The chief executive or their designate who signed the extension (s.77(2)(b), (4)). */
    authorisedBy: text(200).optional(),
    expiresAt: z.iso.datetime({ offset: true }),
  }),
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

/**
 * The statutory steps added after contract.md's first list (CPN appeals, closure notices). They
 * come from the enforcement source and are recorded through the same actions route, but are kept
 * apart from {@link enforcementContracts}, which the KPI counters map one by one: counting these
 * is the KPI capability's decision.
 */
export const statutoryContracts = [CpnAppealLodged, CpnAppealDetermined, ClosureNoticeServed, ClosureNoticeExtended] as const;

/** Every action an officer records through POST /cases/{caseId}/actions or POST /actions. */
export const officerActionContracts = [...enforcementContracts, ...statutoryContracts] as const;
