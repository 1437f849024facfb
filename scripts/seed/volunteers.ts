/**
 * Volunteers of the demo community: 陈同学 (volunteer-chen) approved, with three services verified
 * in the ledger; 李阿姨 (resident-li) waiting for approval; three upcoming activities.
 */
import { addDays, instantOf, localDate } from '../../functions/domain/time';
import { newId } from '../../functions/lib/ids';
import * as store from '../../functions/store/volunteers';
import { DEMO_COMMUNITY } from './identity';

const TZ = 'Asia/Shanghai';
const cid = DEMO_COMMUNITY;

function activityAt(now: Date, days: number, from: string, to: string, fields: Partial<store.ActivityRecord> & { title: string; place: string; capacity: number; hours: number }, by: string): store.ActivityRecord {
  const date = addDays(localDate(now, TZ), days);
  const start = instantOf(date, from, TZ);
  const end = instantOf(date, to, TZ);
  return {
    id: newId(new Date(start.getTime())),
    communityId: cid,
    timezone: TZ,
    startsAt: start.toISOString(),
    endsAt: end.toISOString(),
    startMs: start.getTime(),
    endMs: end.getTime(),
    signedUp: 0,
    status: 'scheduled',
    createdAt: now.toISOString(),
    createdBy: by,
    ...fields,
  };
}

export async function seedVolunteers(people: Record<string, string>, now: Date): Promise<void> {
  const staff = people['staff-wang'] as string;
  const chen = people['volunteer-chen'] as string;
  const li = people['resident-li'] as string;
  const at = now.toISOString();

  await store.registerVolunteer({
    communityId: cid, userId: chen, status: 'pending', skills: ['助老', '环境整治', '教育'], availability: '周末全天、工作日晚上',
    realName: '陈晨', nickname: '陈同学', household: '6-1-1203', totalHours: 0, registeredAt: new Date(now.getTime() - 40 * 86400_000).toISOString(),
  });
  await store.decideVolunteer(cid, chen, 'approved', { actorId: staff, at: new Date(now.getTime() - 39 * 86400_000).toISOString() });
  await store.registerVolunteer({
    communityId: cid, userId: li, status: 'pending', skills: ['助老', '文体'], availability: '工作日上午',
    realName: '李秀英', nickname: '李阿姨', household: '3-2-501', totalHours: 0, registeredAt: at,
  });

  // Past services of 陈晨, recorded and verified.
  const past = [
    activityAt(now, -30, '09:00', '11:30', { title: '敬老院探访', place: '鼓楼区福寿敬老院', capacity: 10, hours: 2.5, skills: ['助老'], description: '陪伴老人聊天、读报，协助整理房间。' }, staff),
    activityAt(now, -16, '14:00', '16:00', { title: '垃圾分类宣传', place: '幸福里小区东门广场', capacity: 8, hours: 2, skills: ['环境整治'], description: '向居民讲解垃圾分类知识，发放宣传册。' }, staff),
    activityAt(now, -5, '18:30', '20:00', { title: '四点半课堂作业辅导', place: '社区党群服务中心 2 楼', capacity: 6, hours: 1.5, skills: ['教育'], description: '为双职工家庭的小学生辅导作业。' }, staff),
  ];
  for (const a of past) {
    await store.putActivity(a);
    const signup: store.SignupRecord = {
      activityId: a.id, communityId: cid, userId: chen, status: 'signed_up', signedUpAt: new Date(a.startMs - 3 * 86400_000).toISOString(),
      title: a.title, startsAt: a.startsAt, endsAt: a.endsAt, place: a.place,
    };
    await store.recordAttendance(a, signup, { checkedInAt: a.startsAt, checkedOutAt: a.endsAt, reason: '现场扫码签到', by: staff });
    const verifiedAt = new Date(a.endMs + 3600_000);
    await store.verifyAttendance(
      { id: newId(verifiedAt), communityId: cid, userId: chen, kind: 'service', hours: a.hours, activityId: a.id, title: a.title, date: localDate(new Date(a.startMs), TZ), by: staff, at: verifiedAt.toISOString() },
      localDate(verifiedAt, TZ).slice(0, 7),
    );
  }

  // Upcoming activities, open for signup.
  const upcoming = [
    activityAt(now, 2, '09:00', '11:00', { title: '敬老院探访', place: '鼓楼区福寿敬老院', capacity: 8, hours: 2, skills: ['助老'], description: '陪伴老人聊天、读报，为老人理发。请着志愿者马甲。' }, staff),
    activityAt(now, 4, '15:00', '17:00', { title: '垃圾分类宣传', place: '幸福里小区东门广场', capacity: 6, hours: 2, skills: ['环境整治', '文体'], description: '在小区门口设宣传台，讲解垃圾分类，指导居民正确投放。' }, staff),
    activityAt(now, 7, '08:30', '11:30', { title: '社区义诊', place: '社区党群服务中心 1 楼大厅', capacity: 5, hours: 3, skills: ['医疗', '助老'], description: '协助社区卫生服务中心医生为老年居民量血压、测血糖，维持秩序。' }, staff),
  ];
  for (const a of upcoming) await store.putActivity(a);
}
