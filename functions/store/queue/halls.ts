/**
 * The hall (COMMUNITY#<cid> / HALL, keys/queue.ts): its layout, which windows are open, and until
 * when it may have paired display boards.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OpeningHours } from '@contract/queue';
import { auditEntry } from '../audit';
import { hallCodeObjectKey, hallKey } from '../keys';
import { send } from '../client';
import { stripKeys, table } from '../table';
import { conditional, transact } from '../transaction';

export interface HallRecord {
  communityId: string;
  communityName?: string;
  timezone: string;
  categories: { code: string; name: string }[];
  windows: { no: number; categories: string[] }[];
  windowNos: number[];
  openWindows?: Set<number>;
  priorityRatio: number;
  maxWaitMin: number;
  /** 办理时间; absent on halls laid out before they existed. */
  hours?: OpeningHours[];
  updatedAt: string;
  /** Until when (epoch seconds) a paired board may be connected: a call writes a board message only before. */
  boardsUntil?: number;
}

/**
 * Lays out the hall, with its audit entry (hall.change) in the same transaction. A transaction
 * returns no item: the answer is the layout over the hall as the caller read it (`current`), so
 * a window opened or closed at the same moment shows at the next read.
 */
export async function putHall(hall: Omit<HallRecord, 'openWindows'>, actorId: string, current?: HallRecord): Promise<HallRecord> {
  await transact({
    hall: {
      Update: {
        TableName: table(),
        Key: hallKey(hall.communityId),
        UpdateExpression:
          'SET #type = :type, communityId = :cid, communityName = :cname, #tz = :tz, ' +
          'categories = :cats, #windows = :wins, windowNos = :nos, priorityRatio = :ratio, maxWaitMin = :maxWait, #hours = :hours, updatedAt = :at',
        ExpressionAttributeNames: { '#type': 'type', '#tz': 'timezone', '#windows': 'windows', '#hours': 'hours' },
        ExpressionAttributeValues: {
          ':type': 'Hall', ':cid': hall.communityId, ':cname': hall.communityName ?? '', ':tz': hall.timezone, ':cats': hall.categories,
          ':wins': hall.windows, ':nos': hall.windowNos, ':ratio': hall.priorityRatio, ':maxWait': hall.maxWaitMin, ':hours': hall.hours ?? [], ':at': hall.updatedAt,
        },
      },
    },
    audit: auditEntry({
      communityId: hall.communityId, actorId, act: 'hall.change',
      detail: { categories: hall.categories.map((c) => c.code).join(','), windows: hall.windowNos.join(',') }, at: hall.updatedAt,
    }),
  });
  return { ...current, ...hall };
}

export async function getHall(cid: string): Promise<HallRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: hallKey(cid), ConsistentRead: true }));
  return Item ? stripKeys<HallRecord>(Item) : undefined;
}

/**
 * Opens or closes a window of the layout (a set ADD/DELETE: concurrent toggles never lose one).
 * ConditionFailed<'window'>: the layout has no such window (or there is no hall).
 */
export async function setWindowOpen(cid: string, no: number, open: boolean): Promise<HallRecord> {
  const { Attributes } = await conditional<'window', { Attributes?: Record<string, unknown> }>(
    'window',
    new UpdateCommand({
      TableName: table(),
      Key: hallKey(cid),
      UpdateExpression: open ? 'ADD openWindows :no' : 'DELETE openWindows :no',
      ConditionExpression: 'contains(windowNos, :n)',
      ExpressionAttributeValues: { ':no': new Set([no]), ':n': no },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return stripKeys<HallRecord>(Attributes ?? {});
}

/** Whether the hall may have paired boards now (read from the hall item a call reads anyway). */
export const mayHaveBoards = (hall: HallRecord, now: Date): boolean => Number(hall.boardsUntil ?? 0) > Math.floor(now.getTime() / 1000);

/** Where the bucket keeps the hall's walk-in mini-program code of a day (made once a day per hall). */
export const hallCodeFile = (cid: string, date: string): string => hallCodeObjectKey(cid, date);
