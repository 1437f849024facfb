/**
 * Display boards, never entries of the hall item (anyone can open the socket); keys/queue.ts:
 *   WSCONN#<connectionId> / CONN            one WebSocket connection: its hall, its pairing code or slot (TTL)
 *   COMMUNITY#<cid> / BOARDCODE#<code>      an unpaired connection's pairing code, unique per hall while valid (TTL)
 *   COMMUNITY#<cid> / BOARDSLOT#<nn>        a paired board in one of the hall's slots 01..limit (TTL): a push
 *                                           Queries the slots, bounded by the limit; pairing takes a free slot
 */
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { auditEntry } from '../audit';
import { BOARD_SLOTS, boardCodeKey, boardSlotKey, connectionKey, hallKey } from '../keys';
import { isConditionFailure, isTransactionConflict, send } from '../client';
import { stripKeys, table } from '../table';
import { isConditionFailed, transact } from '../transaction';

/** A paired display board: its connection, its slot, and the management endpoint that reaches it. */
export interface BoardConnection {
  connectionId: string;
  slot: number;
  endpoint?: string;
  pairedAt?: string;
}

interface ConnectionRecord {
  connectionId: string;
  communityId: string;
  endpoint?: string;
  /** The pairing code while unpaired. */
  code?: string;
  codeExpiresAt?: number;
  /** The hall's slot once paired. */
  slot?: number;
  expiresAt: number;
}

/** A WebSocket connection lives at most 2 h in API Gateway; its items outlive it a little (TTL). */
const CONNECTION_TTL_SECONDS = 3 * 3600;
/** How long a pairing code shown on the TV can be entered. */
const PAIRING_CODE_SECONDS = 10 * 60;

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** A conditional delete or update that finds its item gone or taken over does nothing. */
const ignoreTaken = (error: unknown) => {
  if (!isConditionFailure(error)) throw error;
};

/**
 * Records an unpaired connection with a fresh 6-digit pairing code, unique among the hall's valid
 * codes (the code item's put is conditional; a clash draws another). undefined: no such hall.
 */
export async function addConnection(cid: string, connectionId: string, endpoint: string | undefined, now: Date, drawCode: () => string): Promise<ConnectionRecord | undefined> {
  const nowSec = epochSeconds(now);
  for (let attempt = 1; ; attempt++) {
    const code = drawCode();
    const record: ConnectionRecord = {
      connectionId, communityId: cid, ...(endpoint ? { endpoint } : {}), code, codeExpiresAt: nowSec + PAIRING_CODE_SECONDS, expiresAt: nowSec + CONNECTION_TTL_SECONDS,
    };
    try {
      await transact({
        hall: { ConditionCheck: { TableName: table(), Key: hallKey(cid), ConditionExpression: 'attribute_exists(pk)' } },
        code: {
          Put: {
            TableName: table(),
            Item: { ...boardCodeKey(cid, code), type: 'BoardCode', connectionId, expiresAt: record.codeExpiresAt },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
            ExpressionAttributeValues: { ':now': nowSec },
          },
        },
        connection: { Put: { TableName: table(), Item: { ...connectionKey(connectionId), type: 'Connection', ...record } } },
      });
      return record;
    } catch (error) {
      if (isConditionFailed<'hall' | 'code'>(error) && error.has('hall')) return undefined;
      const clash = isConditionFailed<'code'>(error) && error.has('code');
      if (!(clash || isTransactionConflict(error)) || attempt >= 8) throw error;
    }
  }
}

export async function getConnection(connectionId: string): Promise<ConnectionRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: connectionKey(connectionId), ConsistentRead: true }));
  return Item ? { ...stripKeys<ConnectionRecord>(Item), expiresAt: Number(Item.expiresAt) } : undefined;
}

/** Deletes a connection, its pending code and its slot (each only while it is still this connection's). */
export async function removeConnection(connectionId: string): Promise<void> {
  const connection = await getConnection(connectionId);
  await deleteConnection(connectionId);
  if (!connection) return;
  const ifMine = { ConditionExpression: 'connectionId = :id', ExpressionAttributeValues: { ':id': connectionId } };
  if (connection.code) await send(new DeleteCommand({ TableName: table(), Key: boardCodeKey(connection.communityId, connection.code), ...ifMine })).catch(ignoreTaken);
  if (connection.slot) await removeBoard(connection.communityId, { connectionId, slot: connection.slot });
}

/** Deletes a connection's own item (its TTL would, later). */
export async function deleteConnection(connectionId: string): Promise<void> {
  await send(new DeleteCommand({ TableName: table(), Key: connectionKey(connectionId) }));
}

/** Frees a paired board's slot (a push found it gone, or it disconnected). */
export async function removeBoard(cid: string, board: { connectionId: string; slot: number }): Promise<void> {
  await send(
    new DeleteCommand({
      TableName: table(), Key: boardSlotKey(cid, board.slot), ConditionExpression: 'connectionId = :id', ExpressionAttributeValues: { ':id': board.connectionId },
    }),
  ).catch(ignoreTaken);
}

/** The hall's paired boards: one Query of at most `limit` slots. */
export async function pairedBoards(cid: string, now: Date, limit: number): Promise<BoardConnection[]> {
  const { Items = [] } = await send<{ Items?: Record<string, unknown>[] }>(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :slots)',
      ExpressionAttributeValues: { ':pk': hallKey(cid).pk, ':slots': BOARD_SLOTS },
      Limit: limit,
      ConsistentRead: true,
    }),
  );
  const nowSec = epochSeconds(now);
  return Items.filter((item) => Number(item.expiresAt) > nowSec).map((item) => ({
    connectionId: String(item.connectionId), slot: Number(item.slot), ...(item.endpoint ? { endpoint: String(item.endpoint) } : {}),
    ...(item.pairedAt ? { pairedAt: String(item.pairedAt) } : {}),
  }));
}

/** Frees a slot and tells its connection it is unpaired. false: the slot was free. */
export async function unpairBoard(cid: string, slot: number): Promise<boolean> {
  const { Attributes } = await send<{ Attributes?: Record<string, unknown> }>(
    new DeleteCommand({ TableName: table(), Key: boardSlotKey(cid, slot), ReturnValues: 'ALL_OLD' }),
  );
  if (!Attributes) return false;
  await send(
    new UpdateCommand({
      TableName: table(), Key: connectionKey(String(Attributes.connectionId)), UpdateExpression: 'REMOVE slot', ConditionExpression: 'attribute_exists(pk)',
    }),
  ).catch(ignoreTaken);
  return true;
}

type PairPart = 'code' | 'slot' | 'connection' | 'hall' | 'audit';

/**
 * Pairs the connection showing `code` into a free slot of the hall, with its audit entry
 * (board.pair), in one transaction: the slot's put is conditional (free or expired), so at most
 * `limit` boards are ever paired however many staff pair at once. The hall item learns until when
 * it may have boards (`boardsUntil`), the one thing a call reads to decide on a board message.
 */
export async function pairBoard(cid: string, code: string, actorId: string, now: Date, limit: number): Promise<BoardConnection | 'unknown' | 'full'> {
  const nowSec = epochSeconds(now);
  for (let attempt = 1; ; attempt++) {
    const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: boardCodeKey(cid, code), ConsistentRead: true }));
    if (!Item || Number(Item.expiresAt) <= nowSec) return 'unknown';
    const connection = await getConnection(String(Item.connectionId));
    if (!connection || connection.communityId !== cid) return 'unknown';
    const taken = new Set((await pairedBoards(cid, now, limit)).map((b) => b.slot));
    const free = Array.from({ length: limit }, (_, i) => i + 1).filter((slot) => !taken.has(slot));
    if (free.length === 0) return 'full';
    // A random free slot: simultaneous pairings rarely aim at the same one.
    const slot = free[Math.floor(Math.random() * free.length)]!;
    const expiresAt = connection.expiresAt;
    const board: BoardConnection = { connectionId: connection.connectionId, slot, ...(connection.endpoint ? { endpoint: connection.endpoint } : {}) };
    try {
      await transact<PairPart>({
        code: {
          Delete: {
            TableName: table(), Key: boardCodeKey(cid, code),
            ConditionExpression: 'connectionId = :id AND expiresAt > :now', ExpressionAttributeValues: { ':id': connection.connectionId, ':now': nowSec },
          },
        },
        slot: {
          Put: {
            TableName: table(),
            Item: { ...boardSlotKey(cid, slot), type: 'Board', communityId: cid, ...board, pairedAt: now.toISOString(), expiresAt },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
            ExpressionAttributeValues: { ':now': nowSec },
          },
        },
        connection: {
          Update: {
            TableName: table(), Key: connectionKey(connection.connectionId),
            UpdateExpression: 'SET slot = :slot REMOVE code, codeExpiresAt', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':slot': slot },
          },
        },
        hall: {
          Update: {
            TableName: table(), Key: hallKey(cid),
            UpdateExpression: 'SET boardsUntil = :until', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':until': expiresAt },
          },
        },
        audit: auditEntry({ communityId: cid, actorId, act: 'board.pair', subjectId: String(slot), at: now.toISOString() }),
      });
      return board;
    } catch (error) {
      const failed = isConditionFailed<PairPart>(error) ? error : undefined;
      if (failed && (failed.has('code') || failed.has('connection') || failed.has('hall'))) return 'unknown';
      // Another pairing took the slot, or touched the hall at the same moment: look again.
      if (!(failed?.has('slot') || isTransactionConflict(error)) || attempt >= 4 * limit) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * Math.min(attempt, 5)));
    }
  }
}
