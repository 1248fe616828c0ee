/**
 * The price table and the arithmetic of `npm run cost` (docs/cost.md): measured usage per unit
 * of work, scaled to a month, times eu-west-2 prices. Kept apart from the run so it is tested
 * on its own (test/unit/cost-model.test.ts).
 */
import { cronMatches, parseCron } from '../infra/local/cron.ts';
import { SCHEDULE_TIME_ZONE } from '../infra/local/scheduler.ts';
import { topology } from '../infra/topology.ts';

/** Read on the date given; USD. Sources per line in docs/cost.md; where no London figure was found, marked. */
export const pricesRead = '2026-12-04';
export const prices = {
  /** arm64 (infra/cdk/function-defaults.ts). London: EUW2-Request, EUW2-Lambda-GB-Second-ARM. */
  lambdaPerRequest: 0.0000002,
  lambdaPerGbSecondArm: 0.0000133334,
  /** London, on-demand, Standard table class (the eu-west-2 AmazonDynamoDB offer file as quoted in docs/cost.md). */
  dynamoPerWriteUnit: 0.7423 / 1e6,
  dynamoPerReadUnit: 0.1487 / 1e6,
  dynamoPerGbMonth: 0.29715,
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
  /**
   * An assumption, not a measurement: 1 public report in 4 adds a photo (one each). Photos are
   * optional and offered only after the report is sent (the confirmation page); they matter most
   * for fly-tipping and damage, a minority of the ASB team's reports. No council figure was found.
   */
  photoShare: 0.25,
  /** An assumption: a phone photo of 2.5 MB (the upload limit is 10 MB). Storage only; requests are measured. */
  photoBytes: 2.5 * 1024 * 1024,
};

/** How often a schedule fires in a year (2027, Europe/London as EventBridge Scheduler runs it). */
export function runsPerYear(cron: string, year = 2027): number {
  const schedule = parseCron(cron);
  const yearIn = new Intl.DateTimeFormat('en-GB', { timeZone: SCHEDULE_TIME_ZONE, year: 'numeric' });
  const runs = new Set<number>();
  // London is UTC or UTC+1: a run at a London hour h falls in the UTC hour h or h - 1 of that day.
  for (let day = -1; day <= 366; day += 1) {
    for (const hour of schedule.hours) {
      for (const offset of [0, 1]) {
        for (const minute of schedule.minutes) {
          const at = new Date(Date.UTC(year, 0, 1 + day, hour - offset, minute));
          if (yearIn.format(at) === String(year) && cronMatches(schedule, at, SCHEDULE_TIME_ZONE)) runs.add(at.getTime());
        }
      }
    }
  }
  return runs.size;
}

/** Every schedule of the topology, with its runs in an average month. */
export const schedules = topology.flatMap((fn) =>
  fn.triggers.flatMap((t) => (t.kind === 'schedule' ? [{ fn: fn.name, schedule: t.name, cron: t.cron, runsPerMonth: runsPerYear(t.cron) / 12 }] : [])),
);

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
/** A scheduled job: what one run used, and (the archive compactor) what each event it took used. */
export interface JobUsage {
  schedule: string;
  runsPerMonth: number;
  perRun: UnitUsage;
  perEvent?: UnitUsage;
}
export interface MeasuredUnits {
  reportProduced: UnitUsage;
  actionProduced: UnitUsage;
  reportConsumed: UnitUsage;
  otherConsumed: UnitUsage;
  pageView: UnitUsage;
  /** One photo added to a report: the upload form, the browser's POST to S3, the check and copy, the page again. */
  photo: UnitUsage;
  jobs: readonly JobUsage[];
}
export interface MonthlyUsage extends UnitUsage {
  s3GbStored: number;
  dynamoGbStored: number;
  logsGbStored: number;
}

const GB = 1024 ** 3;
const add = (a: UnitUsage, b: UnitUsage, times: number): UnitUsage =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + b[k as keyof UnitUsage] * times])) as unknown as UnitUsage;
/** Nothing used: a unit of work left out of a sum. */
export const zero: UnitUsage = { lambdaRequests: 0, gbSeconds: 0, readUnits: 0, writeUnits: 0, s3Tier1: 0, s3Tier2: 0, eventChunks: 0, httpUnits: 0, logBytes: 0 };

/**
 * A month's usage: each report produced over HTTP and consumed, each other event produced as an
 * officer action and consumed, each page view; and what is stored after `months` months of it
 * (logs kept three months, as CDK sets them).
 */
export function monthlyUsage(
  units: MeasuredUnits,
  stored: { s3BytesPerEvent: number; dynamoBytesPerEvent: number; bytesPerPhoto?: number; s3BytesPerMonth?: number },
  volume: { reports: number; events: number; pageViews: number; photos?: number; months: number },
): MonthlyUsage {
  const others = Math.max(0, volume.events - volume.reports);
  const photos = volume.photos ?? 0;
  let u = add(zero, units.reportProduced, volume.reports);
  u = add(u, units.reportConsumed, volume.reports);
  u = add(u, units.actionProduced, others);
  u = add(u, units.otherConsumed, others);
  u = add(u, units.pageView, volume.pageViews);
  u = add(u, units.photo, photos);
  for (const job of units.jobs) {
    u = add(u, job.perRun, job.runsPerMonth);
    if (job.perEvent) u = add(u, job.perEvent, volume.events);
  }
  return {
    ...u,
    s3GbStored: ((stored.s3BytesPerEvent * volume.events + (stored.bytesPerPhoto ?? 0) * photos + (stored.s3BytesPerMonth ?? 0)) * volume.months) / GB,
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
