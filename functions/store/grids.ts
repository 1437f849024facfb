/**
 * Grids (网格) and visits (走访入户), keys in keys/requests.ts. A building belongs to at most one
 * grid: each building of a new grid is a conditional put in the grid's transaction, so two grids
 * created at once can never share one.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '@contract/errors';
import type { Grid, Visit } from '@contract/requests';
import { auditEntry, type TransactItem } from './audit';
import { failedConditions, send } from './client';
import { buildingHouseholdsQuery, gridBuildingKey, gridKey, gridsQuery, membershipKey, monthVisitsQuery, visitKey } from './keys';
import { countMatching, queryAll, stripKeys, table } from './table';

export type GridRecord = Omit<Grid, 'households' | 'workerName'>;

export async function putGrid(grid: GridRecord, actorId: string): Promise<void> {
  const buildings = grid.buildings.map((building) => ({
    Put: {
      TableName: table(),
      Item: { ...gridBuildingKey(grid.communityId, building), type: 'GridBuilding', gridId: grid.id, gridName: grid.name, workerId: grid.workerId },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  }));
  try {
    await send(
      new TransactWriteCommand({
        TransactItems: [
          {
            ConditionCheck: {
              TableName: table(),
              Key: membershipKey(grid.communityId, grid.workerId),
              ConditionExpression: '#role = :staff',
              ExpressionAttributeNames: { '#role': 'role' },
              ExpressionAttributeValues: { ':staff': 'staff' },
            },
          },
          { Put: { TableName: table(), Item: { ...gridKey(grid.communityId, grid.id), type: 'Grid', ...grid }, ConditionExpression: 'attribute_not_exists(pk)' } },
          ...buildings,
          auditEntry({ communityId: grid.communityId, actorId, act: 'grid.create', subjectId: grid.workerId, detail: { grid: grid.name, buildings: grid.buildings.join('、') }, at: grid.createdAt }),
        ],
      }),
    );
  } catch (error) {
    const failed = failedConditions(error);
    if (failed?.includes(0)) throw new AppError('VALIDATION', '网格员须为本社区工作人员', { details: [{ path: 'workerId', message: '网格员须为本社区工作人员' }] });
    const taken = failed?.find((index) => index >= 2 && index < 2 + buildings.length);
    if (taken !== undefined) throw new AppError('GRID_BUILDING_TAKEN', `${grid.buildings[taken - 2]} 号楼已划入其他网格`);
    throw error;
  }
}

export async function listGrids(cid: string): Promise<GridRecord[]> {
  const q = gridsQuery(cid);
  const items = await queryAll({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix }, ConsistentRead: true });
  return items.map((it) => stripKeys<GridRecord>(it));
}

/** The grid a building belongs to, if any. */
export async function gridOfBuilding(cid: string, building: string): Promise<{ gridId: string; gridName: string; workerId: string } | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: gridBuildingKey(cid, building), ConsistentRead: true }));
  return Item ? { gridId: Item.gridId as string, gridName: Item.gridName as string, workerId: Item.workerId as string } : undefined;
}

/** Verified households of a building: one COUNT Query of identity's household items. */
export async function countBuildingHouseholds(cid: string, building: string): Promise<number> {
  const q = buildingHouseholdsQuery(cid, building);
  return countMatching({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix } });
}

/** A visit's item and its audit entry, for its own transaction or a follow-up request's. */
export function visitParts(visit: Visit): TransactItem[] {
  return [
    { Put: { TableName: table(), Item: { ...visitKey(visit.communityId, visit.date, visit.id), type: 'Visit', ...visit }, ConditionExpression: 'attribute_not_exists(pk)' } },
    auditEntry({ communityId: visit.communityId, actorId: visit.workerId, act: 'request.visit', subjectId: visit.id, detail: { household: visit.household, date: visit.date }, at: visit.createdAt }),
  ];
}

export async function putVisit(visit: Visit): Promise<void> {
  await send(new TransactWriteCommand({ TransactItems: visitParts(visit) }));
}

export async function monthVisits(cid: string, month: string): Promise<Visit[]> {
  const q = monthVisitsQuery(cid, month);
  const items = await queryAll({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix } });
  return items.map((it) => stripKeys<Visit>(it));
}
