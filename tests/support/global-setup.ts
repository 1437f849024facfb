/**
 * Starts DynamoDB Local (in memory, on a free port: never the `.data/` of `npm start`) and
 * creates the table from serverless.yml. Tests isolate themselves with fresh ids, so one table
 * serves them all and nothing is ever truncated.
 */
import type { TestProject } from 'vitest/node';
import { ensureTable, startDynamoLocal, type LocalDynamo } from '../../scripts/local/dynamo';

let dynamo: LocalDynamo | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  dynamo = await startDynamoLocal();
  const tableName = 'linli-test';
  await ensureTable(dynamo.endpoint, tableName);
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
  process.env.TABLE_NAME = tableName;
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
