/**
 * Starts DynamoDB Local (in memory, on a free port: never the `.data/` of `npm start`) and
 * creates the table from serverless.yml. Tests isolate themselves with fresh ids, so one table
 * serves them all and nothing is ever truncated.
 */
import type { TestProject } from 'vitest/node';
import { ensureTable, startDynamoLocal, type LocalDynamo } from '../../scripts/local/dynamo';
import { startLocalS3, type LocalS3 } from '../../scripts/local/s3';

let dynamo: LocalDynamo | undefined;
let s3: LocalS3 | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  dynamo = await startDynamoLocal();
  const tableName = 'linli-test';
  await ensureTable(dynamo.endpoint, tableName);
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.TABLE_NAME = tableName;
  project.provide('dynamoEndpoint', dynamo.endpoint);
  // Photos and attachments: a local S3 server with the test stage's bucket, empty at each run.
  s3 = await startLocalS3({ bucket: 'linli-test-files', name: `test-${process.pid}`, fresh: true });
  project.provide('s3Endpoint', s3.endpoint);
  return async () => {
    await dynamo?.stop();
    await s3?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}
