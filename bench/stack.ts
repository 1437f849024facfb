/**
 * The local stack for benchmarks: an in-memory DynamoDB Local and the table, with call
 * counting on, so every request reports its DynamoDB calls and consumed capacity.
 */
import { ensureTable, startDynamoLocal, type LocalDynamo } from '../scripts/local/dynamo';

export async function benchStack(): Promise<LocalDynamo> {
  const dynamo = await startDynamoLocal();
  await ensureTable(dynamo.endpoint, 'linli-bench');
  Object.assign(process.env, {
    STAGE: 'test',
    TABLE_NAME: 'linli-bench',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    LINLI_COUNT_CALLS: '1',
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
  return dynamo;
}
