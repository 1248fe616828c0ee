/**
 * `node --import tsx --expose-gc bench/soak/leveldb-memory.ts`: does dynalite's native memory
 * follow the data it holds? dynalite alone, in this thread (as under the soak), written to in
 * phases of N items of about 1 KB each (random, so LevelDB cannot compress them away, on the
 * main table with its global index, as the read models are), with a Query every 5,000 items;
 * after each phase, two full collections and this process's memory: rss split by the kernel
 * into anonymous memory and file pages, V8's heap, the open LevelDB iterators, and the state
 * directory's size on disk. The soak's stack holds its native memory in this LevelDB and in
 * everything else it runs; this is LevelDB's share (docs/benchmarks.md, "The stack's memory alone").
 *
 *   ITEMS=150000   items a phase
 *   PHASES=3       phases
 *
 * glibc's arenas are the environment's: run it again under MALLOC_ARENA_MAX=2 to compare.
 */
import '../../infra/local/quiet-sdk-warning.ts'; // first: before any module makes an SDK client
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { localTableName, startDynamo } from '#infra/local/stores';
import { tables } from '#infra/resources';
import { memoryFigures } from './memory.ts';

const ITEMS = Number(process.env.ITEMS ?? 150_000);
const PHASES = Number(process.env.PHASES ?? 3);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (see the top of this file)');
process.env.SC_DYNALITE_THREAD = 'main'; // its memory in this process's figures, as under the soak

const dir = mkdtempSync(join(tmpdir(), 'sc-leveldb-memory-'));
const onDisk = (path: string): number =>
  readdirSync(path, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? onDisk(join(path, e.name)) : statSync(join(path, e.name)).size), 0);

try {
  const dynamo = await startDynamo(dir, 0, 'eu-west-2');
  const client = new DynamoDBClient({ endpoint: dynamo.url, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 10 });
  const TableName = localTableName(tables.main);
  const print = async (label: string) => {
    gc();
    gc();
    await new Promise((resolve) => setTimeout(resolve, 2000)); // LevelDB's compaction settles
    const m = memoryFigures(await dynamo.openIterators());
    console.log(
      `${label.padEnd(20)} rss ${m.rssMb} MB (anonymous ${m.rssAnonMb ?? '?'}, file ${m.rssFileMb ?? '?'}), heap used ${m.heapUsedMb} MB (committed ${m.heapTotalMb}), iterators ${m.openLevelIterators}, on disk ${Math.round(onDisk(dir) / 1048576)} MB`,
    );
  };
  console.log(`dynalite alone, ${PHASES} phases of ${ITEMS.toLocaleString('en-GB')} items of ~1 KB; MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '(glibc default)'}`);
  await print('started');
  let written = 0;
  for (let phase = 1; phase <= PHASES; phase += 1) {
    for (let i = 0; i < ITEMS; i += 100) {
      await Promise.all(
        [0, 25, 50, 75].map((offset) =>
          client.send(
            new BatchWriteItemCommand({
              RequestItems: {
                [TableName]: Array.from({ length: 25 }, (_, k) => {
                  const id = written + i + offset + k;
                  return {
                    PutRequest: {
                      Item: {
                        pk: { S: `CASE#${id % 20_000}` },
                        sk: { S: `EVENT#${String(id).padStart(9, '0')}` },
                        gsi1pk: { S: `DAY#${id % 365}` },
                        gsi1sk: { S: String(id) },
                        body: { S: randomBytes(525).toString('base64') },
                      },
                    },
                  };
                }),
              },
            }),
          ),
        ),
      );
      if (i % 5_000 === 0) {
        await client.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `CASE#${i % 20_000}` } } }));
      }
    }
    written += ITEMS;
    await print(`${written.toLocaleString('en-GB')} items`);
  }
  client.destroy();
  await dynamo.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
