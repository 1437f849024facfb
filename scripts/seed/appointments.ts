/**
 * Demo services of 幸福里示范社区 (一次告知 materials, weekly plans with 错时 Saturday mornings)
 * and a few bookings: an upcoming one, a completed and rated one, one with a volunteer escort
 * nobody has taken yet, a mediation appointment.
 */
import type { Schedule } from '@contract/appointments';
import { slotsOf } from '../../functions/domain/slots';
import { addDays, localDate } from '../../functions/domain/time';
import { newId, shortCode } from '../../functions/lib/ids';
import { BOOKINGS_HELD } from '../../functions/services/appointments';
import { escortAsked } from '../../functions/services/escorts';
import * as store from '../../functions/store/appointments';
import { escortAskItems } from '../../functions/store/escorts';
import { DEMO_COMMUNITY } from './identity';

const TZ = 'Asia/Shanghai';
const WORKDAY: [string, string][] = [['08:30', '12:00'], ['13:30', '17:30']];
/** 错时延时: Tuesday and Thursday evenings until 19:30, Saturday mornings. */
const weekly = (evenings: boolean): Schedule['weekly'] => ({
  mon: WORKDAY,
  tue: evenings ? [...WORKDAY, ['18:00', '19:30']] : WORKDAY,
  wed: WORKDAY,
  thu: evenings ? [...WORKDAY, ['18:00', '19:30']] : WORKDAY,
  fri: WORKDAY,
  sat: [['09:00', '12:00']],
});

export const DEMO_SERVICES: Omit<store.ServiceRecord, 'createdAt' | 'updatedAt' | 'communityId' | 'timezone'>[] = [
  {
    id: 'svc-shebaoka',
    name: '社保卡办理',
    category: 'A',
    kind: 'general',
    durationMin: 20,
    description: '社会保障卡申领、补换、挂失及信息变更。首问负责，材料齐全当场受理。',
    location: '一楼便民服务大厅 A 区',
    materials: [
      '本人居民身份证原件（16 周岁以下可用户口簿）',
      '近 6 个月内白底免冠一寸彩色照片 1 张（或现场拍照）',
      '补换卡需提供原社保卡（遗失的请先电话挂失）',
      '代办的，另需代办人身份证原件及委托书',
    ],
    schedule: { weekly: weekly(true), slotMinutes: 30, capacityPerSlot: 4, bookAheadDays: 14 },
    active: true,
  },
  {
    id: 'svc-youdaizheng',
    name: '老年人优待证',
    category: 'B',
    kind: 'general',
    durationMin: 15,
    description: '年满 60 周岁户籍或常住老年人申领老年人优待证；行动不便的可预约上门办理。',
    location: '一楼便民服务大厅 B 区',
    materials: [
      '本人居民身份证原件及复印件 1 份',
      '户口簿原件（非本市户籍的提供居住证）',
      '近期白底免冠一寸彩色照片 2 张',
      '代办的，另需代办人身份证原件',
    ],
    schedule: { weekly: weekly(false), slotMinutes: 20, capacityPerSlot: 3, bookAheadDays: 14 },
    active: true,
  },
  {
    id: 'svc-tiaojie',
    name: '人民调解 预约调解',
    category: 'C',
    kind: 'mediation',
    durationMin: 60,
    description: '邻里纠纷、物业纠纷、家庭矛盾等，由社区人民调解委员会预约调解，双方自愿、依法调解。',
    location: '二楼人民调解室',
    materials: [
      '申请人居民身份证原件',
      '纠纷情况简要说明（可现场填写《人民调解申请书》）',
      '与纠纷有关的证据材料（照片、合同、聊天记录等）',
      '对方当事人姓名及联系方式',
    ],
    schedule: {
      weekly: { mon: [['09:00', '11:00'], ['14:00', '16:00']], wed: [['09:00', '11:00'], ['14:00', '16:00']], fri: [['14:00', '16:00']], sat: [['09:00', '11:00']] },
      slotMinutes: 60,
      capacityPerSlot: 1,
      bookAheadDays: 21,
    },
    graceMinutes: 20,
    active: true,
  },
];

/** The first slot that starts after `from`, looking up to 30 days ahead (or behind, with step -1). */
function findSlot(schedule: Schedule, from: Date, step: 1 | -1): { date: string; start: Date; end: Date } | undefined {
  const today = localDate(from, TZ);
  for (let i = step === 1 ? 1 : -1; Math.abs(i) <= 30; i += step) {
    const date = addDays(today, i);
    const slot = slotsOf(schedule, date, TZ)[1] ?? slotsOf(schedule, date, TZ)[0];
    if (slot) return { date, ...slot };
  }
  return undefined;
}

export async function seedAppointments(people: Record<string, string>, now: Date): Promise<void> {
  const at = now.toISOString();
  const services = DEMO_SERVICES.map((s) => ({ ...s, communityId: DEMO_COMMUNITY, timezone: TZ, createdAt: at, updatedAt: at }));
  const act = { actorId: people['staff-wang'] as string, at };
  for (const service of services) await store.putService(service, act);

  const booking = (service: store.ServiceRecord, userId: string | undefined, step: 1 | -1): store.AppointmentRecord | undefined => {
    const slot = findSlot(service.schedule, now, step);
    if (!slot || !userId) return undefined;
    return {
      id: newId(now), code: shortCode(6), communityId: DEMO_COMMUNITY, serviceId: service.id, serviceName: service.name,
      category: service.category, userId, date: slot.date, start: slot.start.toISOString(), end: slot.end.toISOString(),
      timezone: TZ, graceMinutes: service.graceMinutes ?? 15, status: 'booked', bookedAt: at,
    };
  };
  const [shebao, youdai, tiaojie] = services as [store.ServiceRecord, store.ServiceRecord, store.ServiceRecord];

  // 李阿姨: an upcoming 社保卡 booking.
  const upcoming = booking(shebao, people['resident-li'], 1);
  if (upcoming) await store.book(upcoming, shebao.schedule.capacityPerSlot, [], BOOKINGS_HELD);
  // 张先生: a 老年人优待证 visit last week, completed and rated.
  const visit = booking(youdai, people['resident-zhang'], -1);
  if (visit) {
    const past = await store.book(visit, youdai.schedule.capacityPerSlot, [], BOOKINGS_HELD);
    await store.complete(past, past.end);
    await store.rate({ ...past, status: 'completed' }, 5, '工作人员很耐心，一次就办好了', past.end);
  }
  // 张先生 again: his next 优待证 visit, with a volunteer asked to go with him (志愿陪同), not yet taken.
  const nextVisit = booking(youdai, people['resident-zhang'], 1);
  if (nextVisit) {
    const escort = escortAsked(youdai, nextVisit, { need: '助老', note: '腿脚不便，请到 3 号楼楼下接我' }, undefined, now);
    await store.book({ ...nextVisit, escortId: escort.activity.id }, youdai.schedule.capacityPerSlot, [], BOOKINGS_HELD, {
      escort: escortAskItems(escort.activity, escort.checkDueAt),
    });
  }
  // 陈同学: a mediation appointment (预约调解).
  const mediation = booking(tiaojie, people['volunteer-chen'], 1);
  if (mediation) await store.book(mediation, tiaojie.schedule.capacityPerSlot, [], BOOKINGS_HELD);
}
