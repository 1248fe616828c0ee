/**
 * The price table and the arithmetic of `npm run cost` (docs/cost.md): measured usage per unit
 * of work, scaled to a month, times eu-west-2 prices. Kept apart from the run so it is tested
 * on its own (test/unit/cost-model.test.ts).
 */
import { topology } from '../infra/topology.ts';

/** Read on the date given; USD. Where no London figure was found the us-east-1 one is used and marked. */
export const pricesRead = '2026-12-03';
export const prices = {
  /** arm64 (infra/cdk/function-defaults.ts). London: EUW2-Request, EUW2-Lambda-GB-Second-ARM. */
  lambdaPerRequest: 0.0000002,
  lambdaPerGbSecondArm: 0.0000133334,
  /** us-east-1, on-demand after the November 2024 cut: no London figure found. */
  dynamoPerWriteUnit: 0.625 / 1e6,
  dynamoPerReadUnit: 0.125 / 1e6,
  /** us-east-1 Standard table class, commonly published; not verified. */
  dynamoPerGbMonth: 0.25,
  /** London: EUW2-TimedStorage-ByteHrs (first 50 TB), EUW2-Requests-Tier1, -Tier2. */
  s3PerGbMonth: 0.024,
  s3PerTier1: 0.0053 / 1000,
  s3PerTier2: 0.0042 / 10_000,
  /** Custom events, per 64 KB chunk (the pricing page's figure; region not stated on the excerpt read). */
  eventBridgePerChunk: 1 / 1e6,
  /** London: EUW2-ApiGatewayHttpRequest, first 300 million a month. */
  httpApiPerRequest: 0.00000116,
  /** London: EUW2-DataProcessing-Bytes (ingestion), EUW2-TimedStorage-ByteHrs (storage). */
  logsPerGbIngested: 0.5985,
  logsPerGbMonth: 0.0315,
  /** London: EUW2-CW:AlarmMonitorUsage (standard resolution). */
  alarmPerMonth: 0.1,
  /** Not in the London price list file; the commonly published figure. */
  dashboardPerMonth: 3,
  /** London: EUW2-AWSSecretsManager-Secrets; eu-west-2-KMS-Keys. */
  secretPerMonth: 0.4,
  kmsKeyPerMonth: 1,
  /** WAF is priced the same in every region (AWS blog). */
  wafAclPerMonth: 5,
  wafRulePerMonth: 1,
  wafPerRequest: 0.6 / 1e6,
  /** CloudFront, Europe: EU-Requests-Tier2-HTTPS, per request. */
  cloudFrontPerHttpsRequest: 0.012 / 10_000,
} as const;
export type Prices = typeof prices;

/** The council (issue 13): 5,000 public reports and 50,000 events a year, 20 staff. */
export const council = {
  reportsPerYear: 5_000,
  eventsPerYear: 50_000,
  staff: 20,
  /** An assumption, not a measurement: 30 page requests a working day each, 21 working days a month. */
  pagesPerStaffDay: 30,
  workingDaysPerMonth: 21,
  get pageViewsPerMonth() {
    return this.staff * this.pagesPerStaffDay * this.workingDaysPerMonth;
  },
};

/** What one unit of work (a report, an action, an event consumed, a page view) used. */
export interface UnitUsage {
  lambdaRequests: number;
  gbSeconds: number;
  readUnits: number;
  writeUnits: number;
  s3Tier1: number;
  s3Tier2: number;
  eventChunks: number;
  httpUnits: number;
  logBytes: number;
}
export interface MeasuredUnits {
  reportProduced: UnitUsage;
  actionProduced: UnitUsage;
  reportConsumed: UnitUsage;
  otherConsumed: UnitUsage;
  pageView: UnitUsage;
}
export interface MonthlyUsage extends UnitUsage {
  s3GbStored: number;
  dynamoGbStored: number;
  logsGbStored: number;
}

const GB = 1024 ** 3;
const add = (a: UnitUsage, b: UnitUsage, times: number): UnitUsage =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + b[k as keyof UnitUsage] * times])) as unknown as UnitUsage;
const zero: UnitUsage = { lambdaRequests: 0, gbSeconds: 0, readUnits: 0, writeUnits: 0, s3Tier1: 0, s3Tier2: 0, eventChunks: 0, httpUnits: 0, logBytes: 0 };

/**
 * A month's usage: each report produced over HTTP and consumed, each other event produced as an
 * officer action and consumed, each page view; and what is stored after `months` months of it
 * (logs kept three months, as CDK sets them).
 */
export function monthlyUsage(
  units: MeasuredUnits,
  stored: { s3BytesPerEvent: number; dynamoBytesPerEvent: number },
  volume: { reports: number; events: number; pageViews: number; months: number },
): MonthlyUsage {
  const others = Math.max(0, volume.events - volume.reports);
  let u = add(zero, units.reportProduced, volume.reports);
  u = add(u, units.reportConsumed, volume.reports);
  u = add(u, units.actionProduced, others);
  u = add(u, units.otherConsumed, others);
  u = add(u, units.pageView, volume.pageViews);
  return {
    ...u,
    s3GbStored: (stored.s3BytesPerEvent * volume.events * volume.months) / GB,
    dynamoGbStored: (stored.dynamoBytesPerEvent * volume.events * volume.months) / GB,
    logsGbStored: (u.logBytes * Math.min(3, volume.months)) / GB,
  };
}

/** The usage priced, line by line (no free tier: a council's account may use it elsewhere). */
export function costOf(u: MonthlyUsage, p: Prices) {
  const lines = {
    lambda: u.lambdaRequests * p.lambdaPerRequest + u.gbSeconds * p.lambdaPerGbSecondArm,
    dynamodb: u.readUnits * p.dynamoPerReadUnit + u.writeUnits * p.dynamoPerWriteUnit + u.dynamoGbStored * p.dynamoPerGbMonth,
    s3: u.s3Tier1 * p.s3PerTier1 + u.s3Tier2 * p.s3PerTier2 + u.s3GbStored * p.s3PerGbMonth,
    eventbridge: u.eventChunks * p.eventBridgePerChunk,
    httpApi: u.httpUnits * p.httpApiPerRequest,
    logs: (u.logBytes / GB) * p.logsPerGbIngested + u.logsGbStored * p.logsPerGbMonth,
  };
  return { lines, total: Object.values(lines).reduce((t, v) => t + v, 0) };
}

/** Functions delivered asynchronously, each with a dead-letter queue and its alarm (infra/cdk/capability.ts). */
export const deadLetterAlarms = topology.filter((f) => f.triggers.some((t) => t.kind === 'events' || t.kind === 'schedule')).length;

/**
 * What is paid whatever the traffic: alarms (a dead-letter alarm per asynchronous function, plus
 * LambdaErrors, LambdaThrottles, HttpApi5xx, ScheduleFailures, ArchiveStalled and the
 * FundingOverspent dead letters: infra/cdk/monitoring.ts, stateless-stack.ts), the dashboard,
 * two secrets (DISC, Notify), the topics' KMS key; with the edge, the web ACL and its four rules.
 */
export function fixedMonthly(p: Prices, alarms = deadLetterAlarms + 6) {
  const lines = { alarms: alarms * p.alarmPerMonth, dashboard: p.dashboardPerMonth, secrets: 2 * p.secretPerMonth, kmsKey: p.kmsKeyPerMonth };
  return { lines, alarms, total: Object.values(lines).reduce((t, v) => t + v, 0), edge: p.wafAclPerMonth + 4 * p.wafRulePerMonth };
}
