/**
 * Grids (网格化, 包片联户): community staff divide the households into grids by building, each with
 * a responsible worker; grid workers record household visits (走访入户). The month's rates per
 * grid feed the community's stats.
 */
import { AppError } from '@contract/errors';
import type { Grid, GridRates, RequestCategory, RequestStats, Visit } from '@contract/requests';
import { canonicalHousehold } from '../domain/household';
import { requestRates, visitRate } from '../domain/request-rates';
import { localDate } from '../domain/time';
import { newId } from '../lib/ids';
import type { AuthUser } from '../lib/tokens';
import * as store from '../store/grids';
import { displayNames, getCommunity } from '../store/identity';
import { monthRequests } from '../store/requests';
import { requireStaff } from './access';
import { refuse } from './refusal';
import { fileOnBehalf } from './requests';

/** "０３" and "3" are one building. */
const canonicalBuilding = (building: string) => canonicalHousehold(`${building}-1-1`).split('-')[0] ?? building;

async function householdsOf(cid: string, buildings: readonly string[]): Promise<number> {
  const counts = await Promise.all(buildings.map((b) => store.countBuildingHouseholds(cid, b)));
  return counts.reduce((sum, n) => sum + n, 0);
}

export async function createGrid(actor: AuthUser, cid: string, input: { name: string; buildings: string[]; workerId: string }, now: Date): Promise<Grid> {
  await requireStaff(actor, cid);
  const buildings = [...new Set(input.buildings.map(canonicalBuilding))];
  const grid: store.GridRecord = { id: newId(now), communityId: cid, name: input.name, buildings, workerId: input.workerId, createdAt: now.toISOString() };
  await store.putGrid(grid, actor.id).catch(refuse<store.GridPart>((failed) => {
    if (failed.has('worker')) return new AppError('VALIDATION', '网格员须为本社区工作人员', { details: [{ path: 'workerId', message: '网格员须为本社区工作人员' }] });
    const taken = buildings.find((building) => failed.has(store.buildingPart(building)));
    return taken === undefined ? undefined : new AppError('GRID_BUILDING_TAKEN', `${taken} 号楼已划入其他网格`);
  }));
  const [households, names] = await Promise.all([householdsOf(cid, buildings), displayNames(cid, [input.workerId])]);
  return { ...grid, households, ...(names.get(input.workerId) ? { workerName: names.get(input.workerId) } : {}) };
}

export async function listGrids(actor: AuthUser, cid: string): Promise<{ items: Grid[] }> {
  await requireStaff(actor, cid);
  // In the order they were drawn (第一网格, 第二网格…).
  const grids = (await store.listGrids(cid)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const [households, names] = await Promise.all([Promise.all(grids.map((g) => householdsOf(cid, g.buildings))), displayNames(cid, grids.map((g) => g.workerId))]);
  return {
    items: grids.map((g, i) => ({ ...g, households: households[i] ?? 0, ...(names.get(g.workerId) ? { workerName: names.get(g.workerId) } : {}) })),
  };
}

export async function recordVisit(
  actor: AuthUser,
  cid: string,
  input: { household: string; date?: string; note?: string; followUp?: { category: RequestCategory; text: string } },
  now: Date,
): Promise<Visit> {
  await requireStaff(actor, cid);
  const community = await getCommunity(cid);
  if (!community) throw new AppError('NOT_FOUND', '社区不存在');
  const household = canonicalHousehold(input.household);
  const today = localDate(now, community.timezone);
  if (input.date && input.date > today) throw new AppError('VALIDATION', '走访日期不能晚于今天', { details: [{ path: 'date', message: '走访日期不能晚于今天' }] });
  const grid = await store.gridOfBuilding(cid, household.split('-')[0] ?? household);
  const visit: Visit = {
    id: newId(now),
    communityId: cid,
    ...(grid ? { gridId: grid.gridId } : {}),
    household,
    date: input.date ?? today,
    ...(input.note ? { note: input.note } : {}),
    workerId: actor.id,
    createdAt: now.toISOString(),
  };
  if (!input.followUp) {
    await store.putVisit(visit);
    return visit;
  }
  const requestId = await fileOnBehalf(actor, cid, { ...input.followUp, household }, store.visitPart(visit), now);
  return { ...visit, requestId };
}

/** The requests section of the community's stats: the month's rates in total and per grid, with 走访入户率. */
export async function requestStats(cid: string, month: string, now: Date): Promise<RequestStats> {
  const [grids, requests, visits] = await Promise.all([store.listGrids(cid), monthRequests(cid, month), store.monthVisits(cid, month)]);
  const households = await Promise.all(grids.map((g) => householdsOf(cid, g.buildings)));
  const perGrid: GridRates[] = grids.map((g, i) => {
    const visited = new Set(visits.filter((v) => v.gridId === g.id).map((v) => v.household)).size;
    return {
      gridId: g.id,
      name: g.name,
      ...requestRates(requests.filter((r) => r.gridId === g.id), now),
      households: households[i] ?? 0,
      visitedHouseholds: visited,
      visitRate: visitRate(visited, households[i] ?? 0),
    };
  });
  const desk = requests.filter((r) => !r.gridId);
  const deskVisited = new Set(visits.filter((v) => !v.gridId).map((v) => v.household)).size;
  return {
    month,
    total: requestRates(requests, now),
    grids: desk.length || deskVisited ? [...perGrid, { name: '值班台', ...requestRates(desk, now), households: 0, visitedHouseholds: deskVisited, visitRate: null }] : perGrid,
  };
}
