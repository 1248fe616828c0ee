/**
 * Projects case and enforcement events onto the case: one timeline item per event and the
 * summary item. Every write is order-independent and idempotent:
 * - a timeline item's key is (occurredAt, eventId), so the timeline sorts by when things
 *   happened whatever the arrival order, and writing it again writes the same item;
 * - the summary uses sets (ADD is a union), if_not_exists, and "earliest/latest wins"
 *   conditions keyed by occurredAt#eventId, so any permutation gives the same item.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ENFORCEMENT_SOURCE } from '#events/enforcement';
import { keys } from '#shared/keys';
import { storedEventOf } from './case-repository.ts';
import { firstContactDueBy } from './first-contact-targets.ts';
import type { ProjectedEvent } from './report-projection.ts';

type EventNamed<T extends ProjectedEvent['detailType']> = Extract<ProjectedEvent, { readonly detailType: T }>;
/** The events about a case; a referral sends a report elsewhere and opens none. */
type CaseEvent = Exclude<ProjectedEvent, EventNamed<'ReportReferred'>>;
/** Officer actions: every enforcement event. */
type ActionEvent = Extract<ProjectedEvent, { readonly source: typeof ENFORCEMENT_SOURCE }>;

/** Officer actions that count as first contact when they are with the complainant (Tenancy Services' target). */
export const CONTACT_ACTIONS: ReadonlySet<string> = new Set(['visit', 'call', 'letter', 'email', 'meeting']);

/** First contact means contact with the complainant (domain review, 2026-11-29): a visit, call, letter, e-mail or meeting with them. */
export const isFirstContact = (e: ProjectedEvent): boolean =>
  e.detailType === 'TeamActionRecorded' && CONTACT_ACTIONS.has(e.detail.actionType) && e.detail.contactWith === 'complainant';

/** Events the daily reminders follow up: ABCs, CPWs, CPNs, court orders (see reminders.ts). */
export function isReminderRelevant(e: ProjectedEvent): boolean {
  if (e.detailType === 'WarningIssued') return e.detail.warningType === 'ABC' || e.detail.warningType === 'CPW';
  return e.detailType === 'CourtOrderObtained' || e.detailType === 'NoticeServed';
}

const utc = (iso: string) => new Date(iso).toISOString();
/** Sorts like the timeline: by instant, then eventId. */
const orderKey = (e: CaseEvent) => `${utc(e.detail.occurredAt)}#${e.detail.eventId}`;

const ignoreConditionFailure = (error: unknown) => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
};

export const buildProjectCaseEvent = (db: DynamoDBDocumentClient, tableName: string) => {
  const update = (caseId: string, expression: string, names: Record<string, string>, values: Record<string, unknown>, condition?: string) =>
    db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.case(caseId),
        UpdateExpression: expression,
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ...(condition ? { ConditionExpression: condition } : {}),
      }),
    );

  const putTimeline = (caseId: string, e: CaseEvent) =>
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.caseEvent(caseId, utc(e.detail.occurredAt), e.detail.eventId), type: 'case-event', caseId, ...storedEventOf(e) },
      }),
    );

  const opened = (caseId: string, e: EventNamed<'CaseOpened'>) => {
    const d = e.detail;
    const openedAt = utc(d.occurredAt);
    const set: Record<string, unknown> = {
      type: 'case',
      caseId,
      kind: d.kind,
      owner: d.owner,
      category: d.category,
      riskCategory: d.riskCategory,
      referredFrom: d.referredFrom,
      hateRelated: d.hateRelated,
      openedAt,
      openedBy: d.actor.id,
      openedEventId: d.eventId,
      gsi1sk: `${openedAt}#${caseId}`,
      firstContactDueBy: d.owner === 'tenancy-services' && d.riskCategory ? firstContactDueBy(d.occurredAt, d.riskCategory) : undefined,
    };
    const entries = Object.entries(set).filter(([, v]) => v !== undefined);
    const adds: string[] = [];
    const values: Record<string, unknown> = Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v]));
    if (d.reportIds.length) {
      adds.push('reportIds :reportIds');
      values[':reportIds'] = new Set(d.reportIds);
    }
    if (d.actor.id) {
      adds.push('officers :officers');
      values[':officers'] = new Set([d.actor.id]);
    }
    values[':open'] = 'open';
    values[':openPk'] = keys.casesByStatus('open');
    return update(
      caseId,
      `SET ${entries.map(([k]) => `#${k} = :${k}`).join(', ')}, #status = if_not_exists(#status, :open), #gsi1pk = if_not_exists(#gsi1pk, :openPk)${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      { ...Object.fromEntries(entries.map(([k]) => [`#${k}`, k])), '#status': 'status', '#gsi1pk': 'gsi1pk' },
      values,
    );
  };

  /** The latest close wins (by occurredAt, then eventId); status only ever moves from open to closed. */
  const closed = (caseId: string, e: EventNamed<'CaseClosed'>) =>
    update(
      caseId,
      'SET #status = :closed, gsi1pk = :closedPk, gsi1sk = if_not_exists(gsi1sk, :fallbackSk), closedAt = :at, outcome = :outcome, closedBy = :by, closedKey = :key',
      { '#status': 'status' },
      {
        ':closed': 'closed',
        ':closedPk': keys.casesByStatus('closed'),
        ':fallbackSk': `${utc(e.detail.occurredAt)}#${caseId}`,
        ':at': utc(e.detail.occurredAt),
        ':outcome': e.detail.outcome,
        ':by': e.detail.actor.id ?? 'unknown',
        ':key': orderKey(e),
      },
      'attribute_not_exists(closedKey) OR closedKey < :key',
    ).catch(ignoreConditionFailure);

  /** The latest assignment wins (by occurredAt, then eventId), whatever order they arrive in. */
  const assigned = (caseId: string, e: EventNamed<'CaseAssigned'>) =>
    update(
      caseId,
      'SET assignedTo = :to, assignedKey = :key',
      {},
      { ':to': e.detail.assignedTo, ':key': orderKey(e) },
      'attribute_not_exists(assignedKey) OR assignedKey < :key',
    ).catch(ignoreConditionFailure);

  const shared = async (caseId: string, e: EventNamed<'CaseShared'>) => {
    const { organisation } = e.detail;
    await update(caseId, 'ADD sharedWith :org', {}, { ':org': new Set([organisation]) });
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.partnerCase(organisation, caseId), type: 'partner-case', caseId, organisation },
      }),
    );
  };

  const enforcement = async (caseId: string, e: ActionEvent) => {
    const adds = ['officers :officer'];
    const values: Record<string, unknown> = { ':officer': new Set([e.detail.officerId]) };
    if (isReminderRelevant(e)) {
      adds.push('reminderEvents :event');
      values[':event'] = new Set([e.detail.eventId]);
    }
    await update(caseId, `ADD ${adds.join(', ')}`, {}, values);
    if (isFirstContact(e)) {
      // The earliest contact with the complainant wins.
      await update(
        caseId,
        'SET firstContactAt = :at, firstContactKey = :key',
        {},
        { ':at': utc(e.detail.occurredAt), ':key': orderKey(e) },
        'attribute_not_exists(firstContactKey) OR firstContactKey > :key',
      ).catch(ignoreConditionFailure);
    }
  };

  return async (e: ProjectedEvent): Promise<void> => {
    if (e.detailType === 'ReportReferred') return;
    const { caseId } = e.detail;
    // An action that is not part of a case (a patrol, an operation) has no case to project onto.
    if (caseId === undefined) return;
    await putTimeline(caseId, e);
    switch (e.detailType) {
      case 'CaseOpened':
        return void (await opened(caseId, e));
      case 'ReportLinked':
        return void (await update(caseId, 'ADD reportIds :r', {}, { ':r': new Set([e.detail.reportId]) }));
      case 'CaseShared':
        return shared(caseId, e);
      case 'CaseClosed':
        return void (await closed(caseId, e));
      case 'CaseAssigned':
        return void (await assigned(caseId, e));
      default:
        return enforcement(caseId, e);
    }
  };
};
