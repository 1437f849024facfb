/**
 * Services (服务事项): what can be booked, its materials (一次告知) and its weekly plan.
 *
 * | item    | pk          | sk      | gsi2 (community lists)        |
 * |---------|-------------|---------|-------------------------------|
 * | Service | SERVICE#sid | SERVICE | COMMUNITY#cid#SERVICES / sid  |
 *
 * A change is written with its audit entry (service.change) in one transaction; changing one
 * that was changed since it was read fails on the part `service`.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '@contract/common';
import type { Schedule } from '@contract/appointments';
import { auditEntry } from '../audit';
import { send } from '../client';
import { queryPage, stripKeys, table } from '../table';
import { transact, type TransactItem } from '../transaction';

export interface ServiceRecord {
  id: string;
  communityId: string;
  name: string;
  category: string;
  durationMin: number;
  materials: string[];
  schedule: Schedule;
  description?: string;
  kind: 'general' | 'mediation';
  graceMinutes?: number;
  location?: string;
  active: boolean;
  timezone: string;
  createdAt: string;
  updatedAt: string;
}

/** Who changed a service and when, for the audit entry written in the change's own transaction. */
interface ServiceAct {
  actorId: string;
  at: string;
}

/** The part names of a service change: `service` fails when it was changed since it was read. */
export type ServiceChangePart = 'service' | 'audit';

const serviceKey = (sid: string) => ({ pk: `SERVICE#${sid}`, sk: 'SERVICE' });
const communityServices = (cid: string) => `COMMUNITY#${cid}#SERVICES`;

/** The service written whole, on a condition: new, or unchanged since `previousUpdatedAt`. */
function servicePut(service: ServiceRecord, previousUpdatedAt?: string): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { ...serviceKey(service.id), gsi2pk: communityServices(service.communityId), gsi2sk: service.id, type: 'Service', ...service },
      ...(previousUpdatedAt === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : { ConditionExpression: 'updatedAt = :prev', ExpressionAttributeValues: { ':prev': previousUpdatedAt } }),
    },
  };
}

const serviceAudit = (service: ServiceRecord, act: ServiceAct, detail: Record<string, string | boolean>): TransactItem =>
  auditEntry({ communityId: service.communityId, actorId: act.actorId, act: 'service.change', subjectId: service.id, detail: { name: service.name, ...detail }, at: act.at });

export async function putService(service: ServiceRecord, act: ServiceAct): Promise<void> {
  await transact<ServiceChangePart>({ service: servicePut(service), audit: serviceAudit(service, act, { created: true }) });
}

/** Replaces a service after a change, if nobody changed it since it was read (optimistic). */
export async function replaceService(service: ServiceRecord, previousUpdatedAt: string, act: ServiceAct & { fields: string[] }): Promise<void> {
  await transact<ServiceChangePart>({ service: servicePut(service, previousUpdatedAt), audit: serviceAudit(service, act, { fields: act.fields.join(',') }) });
}

export async function getService(sid: string): Promise<ServiceRecord | undefined> {
  const { Item } = await send<{ Item?: Record<string, unknown> }>(new GetCommand({ TableName: table(), Key: serviceKey(sid) }));
  return Item ? stripKeys<ServiceRecord>(Item) : undefined;
}

export async function listServices(cid: string, options: { limit: number; cursor?: string }): Promise<Page<ServiceRecord>> {
  const { items, next } = await queryPage(
    { IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': communityServices(cid) }, Limit: options.limit },
    options.cursor,
  );
  return { items: items.map((i) => stripKeys<ServiceRecord>(i)), next };
}
