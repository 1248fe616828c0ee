/**
 * `npm run soak [-- --events 100000 --rounds 2 --seed 14 --no-kill --state-dir DIR --repeat
 *   --memory-csv FILE --sample-seconds 10]`
 *
 * Prints, per round: events and puts, events/s, faults injected, dead letters redriven, the
 * archive check, the read models compared and their mismatches, and the stack's memory. Exits 1
 * if anything mismatched or was lost. `--repeat` puts the first round's events again in every
 * later round (no new data); `--memory-csv` samples the stack's memory into a CSV as it runs.
 */
import '../../infra/local/quiet-sdk-warning.ts'; // first: before any module makes an SDK client
import { parseArgs } from 'node:util';
import { progressReporter } from '../../scripts/progress.ts';
import { describeMemory } from './memory.ts';
import { defaultSoakOptions, runSoak, type RoundFigures } from './soak.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string' },
    rounds: { type: 'string' },
    seed: { type: 'string' },
    'no-kill': { type: 'boolean' },
    'state-dir': { type: 'string' },
    repeat: { type: 'boolean' },
    'memory-csv': { type: 'string' },
    'sample-seconds': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`npm run soak [-- options]
  --events N          events a round (default ${defaultSoakOptions.events})
  --rounds N          rounds, each checked against the recount (default ${defaultSoakOptions.rounds})
  --seed N            seed of the shuffle, duplicates and faults (default ${defaultSoakOptions.seed})
  --no-kill           do not kill and restart dynalite in the middle of a round
  --state-dir DIR     run the stack in DIR (default: a fresh temporary directory)
  --repeat            rounds after the first put the first round's events again (no new data)
  --memory-csv FILE   sample the stack's memory into FILE as it runs
  --sample-seconds N  how often to sample it (default 10)`);
  process.exit(0);
}
const whole = (name: string, raw: string | undefined, fallback: number) => {
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number of 1 or more, not "${raw}"`);
    process.exit(2);
  }
  return n;
};

const options = {
  ...defaultSoakOptions,
  events: whole('events', values.events, defaultSoakOptions.events),
  rounds: whole('rounds', values.rounds, defaultSoakOptions.rounds),
  seed: whole('seed', values.seed, defaultSoakOptions.seed),
  killDynamo: !values['no-kill'],
  ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
  repeat: values.repeat === true,
  ...(values['memory-csv'] ? { memoryCsv: values['memory-csv'], memorySampleMs: whole('sample-seconds', values['sample-seconds'], 10) * 1000 } : {}),
  progress: (phase: string) => progressReporter({ unit: phase.endsWith('put') ? 'events' : 'events read', verb: phase }),
  log: (line: string) => console.error(`[soak] ${line}`),
};

console.log(`soak: ${options.events} events a round, ${options.rounds} round(s), seed ${options.seed}; ${options.duplicates * 100}% put twice, shuffled; faults: ${options.handlerThrows * 100}% of deliveries throw, ${options.dynamoThrottles * 100}% of DynamoDB requests throttled, s3rver down ${options.s3DownMs / 1000} s${options.killDynamo ? `, dynalite killed and restarted ${options.dynamoDownMs / 1000} s later` : ''}${options.repeat ? '; rounds after the first put its events again' : ''}`);
const { rounds } = await runSoak(options);

const row = (r: RoundFigures) => {
  const injected = r.injected.handlerThrowsBefore + r.injected.handlerThrowsAfter + r.injected.dynamoThrottles;
  return [
    `round ${r.round}`,
    `  events ${r.events} (puts ${r.puts} with duplicates) in ${r.putSeconds.toFixed(1)} s: ${r.eventsPerSecond} events/s; ${r.deliveries} deliveries`,
    `  failures injected ${injected} (${((injected / r.deliveries) * 100).toFixed(1)}% of deliveries): ${r.injected.handlerThrowsBefore} throws before a handler, ${r.injected.handlerThrowsAfter} after it, ${r.injected.dynamoThrottles} DynamoDB throttles; s3rver down ${r.injected.s3DownMs / 1000} s; dynalite killed ${r.injected.dynamoKills}× (down ${r.injected.dynamoDownMs / 1000} s)`,
    `  dead-lettered ${r.deadLettered}, redriven ${r.redriven} in ${r.redrives} redrive(s)`,
    `  archived: ${r.archived.expected - r.archived.missing} of ${r.archived.expected} events (lost ${r.archived.missing})`,
    `  compared: ${r.checked.kpiRanges} KPI ranges (and their previous ranges), ${r.checked.ledgers} funding balances, ${r.checked.cases} cases, ${r.checked.reviews} case reviews`,
    `  mismatches = ${r.mismatches.length}`,
    ...r.mismatches.slice(0, 10).map((m) => `    ${m.what} ${m.field}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.actual)}`),
    `  stack process memory after the round: ${describeMemory(r.memory)}`,
  ].join('\n');
};
console.log(rounds.map(row).join('\n'));
if (rounds.length > 1) {
  const [first, last] = [rounds[0] as RoundFigures, rounds.at(-1) as RoundFigures];
  const ratio = (key: 'rssMb' | 'heapUsedMb' | 'heapTotalMb' | 'externalMb') => `${first.memory[key]} → ${last.memory[key]} MB (${(last.memory[key] / first.memory[key]).toFixed(2)}×)`;
  console.log(`memory, round 1 → round ${last.round}: rss ${ratio('rssMb')}, heap used ${ratio('heapUsedMb')}, heap committed ${ratio('heapTotalMb')}, external ${ratio('externalMb')}; open LevelDB iterators ${first.memory.openLevelIterators} → ${last.memory.openLevelIterators} (the oldest open ${first.memory.oldestLevelIteratorSeconds} s → ${last.memory.oldestLevelIteratorSeconds} s)`);
}
const bad = rounds.some((r) => r.mismatches.length > 0 || r.archived.missing > 0);
process.exit(bad ? 1 : 0);
