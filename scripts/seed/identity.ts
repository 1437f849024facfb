/** The demo community and its people. Fixed openids, so the dev login names them. */
import { newId } from '../../functions/lib/ids';
import * as store from '../../functions/store/identity';

export const DEMO_COMMUNITY = 'demo';

export const DEMO_PEOPLE = [
  { openid: 'admin', nickname: '平台管理员', note: '平台管理员（可创建社区、任命工作人员）' },
  { openid: 'staff-wang', nickname: '王主任', note: '社区主任（任免工作人员、成员核实、叫号、发布活动与协商）', staff: true, household: '1-1-101', realName: '王建国', phone: '13800000001' },
  { openid: 'resident-li', nickname: '李阿姨', note: '已核实居民 3-2-501', household: '3-2-501', realName: '李秀英', phone: '13800000002' },
  { openid: 'resident-zhang', nickname: '张先生', note: '已核实居民 3-2-501（与李阿姨同户）', household: '3-2-501', realName: '张伟', phone: '13800000003' },
  { openid: 'volunteer-chen', nickname: '陈同学', note: '已核实居民 6-1-1203，志愿者', household: '6-1-1203', realName: '陈晨', phone: '13800000004' },
  { openid: 'newcomer-zhao', nickname: '赵女士', note: '已申请加入、待核实 8-3-602', household: '8-3-602', realName: '赵丽', phone: '13800000005', pending: true },
  { openid: 'street-liu', nickname: '刘科长', note: '西司门街道工作人员（受理上报到街道的诉求，查看各社区响应率、解决率、满意率）' },
  { openid: 'district-sun', nickname: '孙处长', note: '鼓楼区工作人员（受理上报到区的诉求，查看全区三率）' },
] as const;

/** Creates the community and its people; returns their user ids by openid. The platform admin (first) verifies and appoints. */
export async function seedIdentity(now: Date): Promise<Record<string, string>> {
  const at = now.toISOString();
  // The platform admin exists first: the community's creation is their act in its audit log.
  const [root] = DEMO_PEOPLE;
  const creator = await store.createUser({ id: newId(now), openid: root.openid, nickname: root.nickname, createdAt: at });
  await store.putCommunity({
    id: DEMO_COMMUNITY,
    name: '幸福里示范社区',
    district: '鼓楼区',
    street: '西司门街道',
    residents: 9800,
    households: 3400,
    timezone: 'Asia/Shanghai',
    createdAt: at,
  }, creator.id);
  const ids: Record<string, string> = {};
  for (const person of DEMO_PEOPLE) {
    const user = await store.createUser({ id: newId(now), openid: person.openid, nickname: person.nickname, createdAt: at });
    ids[person.openid] = user.id;
    if (!('household' in person)) continue;
    await store.requestMembership({
      communityId: DEMO_COMMUNITY, communityName: '幸福里示范社区', userId: user.id, role: 'resident', verified: false,
      household: person.household, realName: person.realName, phone: person.phone, requestedAt: at,
    });
    const act = { actorId: ids.admin ?? user.id, at };
    if (!('pending' in person)) await store.verifyMembership(DEMO_COMMUNITY, user.id, person.household, at, act.actorId);
    if ('staff' in person) await store.setStaff(DEMO_COMMUNITY, '幸福里示范社区', user.id, 'director', act);
  }
  return ids;
}
