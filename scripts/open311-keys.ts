/**
 * Open311 API keys: `tsx scripts/open311-keys.ts create <client> | revoke <client> | list`.
 *
 * Against the local stack by default (its .local/endpoints.json, or SC_STATE_DIR's); with
 * `--aws`, against the deployed table named by TABLE_NAME, using the usual AWS credentials.
 * A new key is printed once and never stored: hand it to the client over a secure channel.
 */
import '../infra/local/quiet-sdk-warning.ts'; // first: before any module makes an SDK client
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ApiKeyError, buildApiKeys } from '../functions/open311/api-keys.ts';

const usage = 'usage: tsx scripts/open311-keys.ts [--aws] create <client> | revoke <client> | list';

function connect(aws: boolean) {
  if (aws) {
    const table = process.env.TABLE_NAME;
    if (!table) throw new ApiKeyError('with --aws, set TABLE_NAME to the deployed main table');
    return { client: new DynamoDBClient({}), table };
  }
  const file = join(resolve(process.env.SC_STATE_DIR ?? '.local'), 'endpoints.json');
  if (!existsSync(file)) throw new ApiKeyError(`no ${file}: start the local stack first (npm start)`);
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as { dynamodb: string; region: string; tables: { main: string } };
  const client = new DynamoDBClient({
    endpoint: endpoints.dynamodb,
    region: endpoints.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return { client, table: endpoints.tables.main };
}

async function main(argv: string[]) {
  const aws = argv.includes('--aws');
  const [command, client] = argv.filter((a) => a !== '--aws');
  if (!command || ((command === 'create' || command === 'revoke') && !client) || !['create', 'revoke', 'list'].includes(command)) {
    throw new ApiKeyError(usage);
  }
  const db = connect(aws);
  const apiKeys = buildApiKeys(DynamoDBDocumentClient.from(db.client), db.table);
  try {
    if (command === 'create') {
      const key = await apiKeys.create(client ?? '');
      console.log(`api_key for ${client} (shown once, store it safely):\n${key}`);
    } else if (command === 'revoke') {
      await apiKeys.revoke(client ?? '');
      console.log(`revoked the key of ${client}`);
    } else {
      const clients = await apiKeys.list();
      if (clients.length === 0) console.log('no Open311 clients');
      for (const c of clients) console.log(`${c.client.padEnd(32)} ${c.status.padEnd(8)} created ${c.createdAt}${c.revokedAt ? `, revoked ${c.revokedAt}` : ''}`);
    }
  } finally {
    db.client.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof ApiKeyError ? error.message : error);
  process.exitCode = 1;
});
