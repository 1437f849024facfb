/** The one read every volunteer entity makes: an item by its key, strongly consistent by default, without its key attributes. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { send } from '../client';
import { stripKeys, table } from '../table';

export async function getRecord<T>(key: { pk: string; sk: string }, consistent = true): Promise<T | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: key, ConsistentRead: consistent }));
  return Item ? stripKeys<T>(Item) : undefined;
}
