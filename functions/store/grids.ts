/**
 * Grids (网格) and visits (走访入户), keys in keys/requests.ts. A building belongs to at most one
 * grid: each building of a new grid is a conditional put in the grid's transaction, so two grids
 * created at once can never share one. A failed condition comes back by name: `worker` (not staff
 * of the community), `building:<building>` (that building is in another grid).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Grid, Visit } from '@contract/requests';
import { auditEntry } from './audit';
import { send } from './client';
import { staffMembershipCheck } from './identity';
import { buildingHouseholdsQuery, gridBuildingKey, gridKey, gridsQuery, monthVisitsQuery, visitKey } from './keys';
import { countMatching, queryPrefix, stripKeys, table } from './table';
import { transact, type Part, type TransactItem } from './transaction';

export type GridRecord = Omit<Grid, 'households' | 'workerName'>;

/** A building's place in a grid. */
export interface GridBuildingRecord {
  gridId: string;
  gridName: string;
  workerId: string;
}

/** The part of a new grid that takes one building. */
export const buildingPart = (building: string) => `building:${building}` as const;
export type GridPart = 'worker' | 'grid' | 'audit' | ReturnType<typeof buildingPart>;

export async function putGrid(grid: GridRecord, actorId: string): Promise<void> {
  const place: GridBuildingRecord = { gridId: grid.id, gridName: grid.name, workerId: grid.workerId };
  const buildings = grid.buildings.map((building): [ReturnType<typeof buildingPart>, TransactItem] => [
    buildingPart(building),
    { Put: { TableName: table(), Item: { ...gridBuildingKey(grid.communityId, building), type: 'GridBuilding', ...place }, ConditionExpression: 'attribute_not_exists(pk)' } },
  ]);
  const parts: Record<GridPart, Part> = {
    worker: staffMembershipCheck(grid.communityId, grid.workerId),
    grid: { Put: { TableName: table(), Item: { ...gridKey(grid.communityId, grid.id), type: 'Grid', ...grid }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ...Object.fromEntries(buildings),
    audit: auditEntry({ communityId: grid.communityId, actorId, act: 'grid.create', subjectId: grid.workerId, detail: { grid: grid.name, buildings: grid.buildings.join('、') }, at: grid.createdAt }),
  };
  await transact<GridPart>(parts);
}

export async function listGrids(cid: string): Promise<GridRecord[]> {
  const items = await queryPrefix(gridsQuery(cid));
  return items.map((it) => stripKeys<GridRecord>(it));
}

/** The grid a building belongs to, if any. */
export async function gridOfBuilding(cid: string, building: string): Promise<GridBuildingRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: gridBuildingKey(cid, building), ConsistentRead: true }));
  if (!Item) return undefined;
  const { gridId, gridName, workerId } = stripKeys<GridBuildingRecord>(Item);
  return { gridId, gridName, workerId };
}

/** Verified households of a building: one COUNT Query of identity's household items. */
export async function countBuildingHouseholds(cid: string, building: string): Promise<number> {
  const q = buildingHouseholdsQuery(cid, building);
  return countMatching({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.skPrefix } });
}

/** A visit's item and its audit entry: the `visit` part of its own transaction or of a follow-up request's. */
export function visitPart(visit: Visit): TransactItem[] {
  return [
    { Put: { TableName: table(), Item: { ...visitKey(visit.communityId, visit.date, visit.id), type: 'Visit', ...visit }, ConditionExpression: 'attribute_not_exists(pk)' } },
    auditEntry({ communityId: visit.communityId, actorId: visit.workerId, act: 'request.visit', subjectId: visit.id, detail: { household: visit.household, date: visit.date }, at: visit.createdAt }),
  ];
}

export async function putVisit(visit: Visit): Promise<void> {
  await transact({ visit: visitPart(visit) });
}

export async function monthVisits(cid: string, month: string): Promise<Visit[]> {
  const items = await queryPrefix(monthVisitsQuery(cid, month), { consistent: false });
  return items.map((it) => stripKeys<Visit>(it));
}
