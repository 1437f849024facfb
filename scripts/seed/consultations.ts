/**
 * Demo consultations (议事协商) of 幸福里示范社区: topics being solicited, one open vote under
 * 一户一票, and one finished vote with its published decision and an implementation update.
 */
import { voterOf } from '../../functions/domain/consultation-eligibility';
import { commentIdOf } from '../../functions/domain/consultation-ids';
import { localDate } from '../../functions/domain/time';
import { newId, shortCode } from '../../functions/lib/ids';
import { TOPICS_PER_DAY } from '../../functions/services/consultations';
import * as store from '../../functions/store/consultations';
import { DEMO_COMMUNITY } from './identity';

const DAY = 24 * 3600_000;
const TZ = 'Asia/Shanghai';

export async function seedConsultations(people: Record<string, string>, now: Date): Promise<void> {
  const person = (openid: string) => {
    const id = people[openid];
    if (!id) throw new Error(`seed: unknown person ${openid}`);
    return id;
  };
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
  const topic = async (authorOpenid: string, authorName: string, title: string, body: string, ago: number) =>
    store.createTopic({
      id: newId(at(-ago)), communityId: DEMO_COMMUNITY, title, body, support: 1, status: 'open',
      authorId: person(authorOpenid), authorName, timezone: TZ, createdAt: at(-ago).toISOString(),
    }, { perDay: TOPICS_PER_DAY, date: localDate(at(-ago), TZ) });

  // 征: topics, with support.
  const parking = await topic('volunteer-chen', '陈晨', '小区停车位规划', '晚上七点后小区内车位严重不足，消防通道常被占用。建议重新划线、错时共享周边单位车位，并规划电动自行车集中充电区。', 6 * DAY);
  await store.supportTopic(parking, person('resident-li'), at(-5 * DAY).toISOString());
  const elevator = await topic('resident-li', '李秀英', '3号楼加装电梯', '3号楼共6层，老年住户较多，上下楼十分不便。希望社区牵头征求意见，申请既有住宅加装电梯补贴。', 12 * DAY);
  await store.supportTopic(elevator, person('resident-zhang'), at(-11 * DAY).toISOString());
  await store.supportTopic(elevator, person('volunteer-chen'), at(-10 * DAY).toISOString());
  const clutter = await topic('resident-zhang', '张伟', '楼道堆物清理', '部分楼道堆放纸箱、旧家具，存在消防隐患。', 20 * DAY);
  await store.closeTopic(clutter, '已联合物业于本月开展楼道堆物集中清理，并纳入每月巡查。', { actorId: person('staff-wang'), at: at(-15 * DAY).toISOString() });

  // 决: an open consultation from the elevator topic, one ballot per household.
  const open: store.ConsultationRecord = {
    id: newId(at(-2 * DAY)), communityId: DEMO_COMMUNITY,
    title: '3号楼加装电梯意见征询',
    body: '根据居民提议，社区拟协助3号楼申请既有住宅加装电梯。电梯拟装在楼道北侧，费用按楼层分摊，政府补贴部分费用。请各户表达意见（一户一票）。',
    options: [{ id: 'A', label: '同意加装' }, { id: 'B', label: '不同意' }, { id: 'C', label: '弃权' }],
    maxChoices: 1, eligibility: 'household',
    opensAt: at(-2 * DAY).toISOString(), closesAt: at(5 * DAY).toISOString(),
    opensAtEpoch: at(-2 * DAY).getTime(), closesAtEpoch: at(5 * DAY).getTime(),
    quorumPercent: 50, topicId: elevator.id, timezone: TZ, createdAt: at(-2 * DAY).toISOString(), createdBy: person('staff-wang'),
  };
  await store.createConsultation(open, { ...elevator, support: 3 });
  await store.castBallot({
    consultation: open, voter: voterOf('household', person('staff-wang'), '1-1-101'), userId: person('staff-wang'), household: '1-1-101',
    choices: ['A'], marker: { voterId: person('staff-wang'), receipt: shortCode(10), castAt: at(-DAY).toISOString() }, nowEpoch: at(-DAY).getTime(),
  });
  const comment = (authorOpenid: string, authorName: string, text: string, ago: number) =>
    store.createComment(
      { id: commentIdOf(open.id, newId(at(-ago))), consultationId: open.id, communityId: DEMO_COMMUNITY, authorId: person(authorOpenid), authorName, text, hidden: false, createdAt: at(-ago).toISOString() },
      { minute: Math.floor(at(-ago).getTime() / 60_000), perMinute: 5 },
    );
  await comment('resident-li', '李秀英', '支持！我家住5楼，每天买菜上下楼膝盖受不了。', DAY + 3600_000);
  await comment('volunteer-chen', '陈晨', '一楼住户的采光和噪声问题也请一并考虑，建议公布设计方案。', DAY);
  await comment('staff-wang', '王建国', '设计方案将在下周张贴于3号楼一楼公告栏，欢迎大家提意见。', 20 * 3600_000);

  // 两公开: a finished consultation with its decision and an implementation update.
  const done: store.ConsultationRecord = {
    id: newId(at(-30 * DAY)), communityId: DEMO_COMMUNITY,
    title: '小区健身器材更新方案',
    body: '中心花园健身器材已使用十年，部分损坏。请选择更新方案（可多选，最多2项）。',
    options: [{ id: 'A', label: '更换老年健身器材' }, { id: 'B', label: '增设儿童游乐设施' }, { id: 'C', label: '铺设塑胶步道' }],
    maxChoices: 2, eligibility: 'resident',
    opensAt: at(-30 * DAY).toISOString(), closesAt: at(-20 * DAY).toISOString(),
    opensAtEpoch: at(-30 * DAY).getTime(), closesAtEpoch: at(-20 * DAY).getTime(),
    quorumPercent: 30, timezone: TZ, createdAt: at(-31 * DAY).toISOString(), createdBy: person('staff-wang'),
  };
  await store.createConsultation(done);
  const ballots: [string, string[]][] = [['resident-li', ['A', 'C']], ['resident-zhang', ['B']], ['volunteer-chen', ['A', 'B']], ['staff-wang', ['A']]];
  for (const [openid, choices] of ballots) {
    await store.castBallot({
      consultation: done, voter: voterOf('resident', person(openid), ''), userId: person(openid), choices,
      marker: { voterId: person(openid), receipt: shortCode(10), castAt: at(-25 * DAY).toISOString() }, nowEpoch: at(-25 * DAY).getTime(),
    });
  }
  await store.snapshotEligible(done.id, 4);
  // The demo's voters are told nothing: no outbox message is owed by seeded history.
  await store.publish(done.id, '根据投票结果，优先更换老年健身器材，并同步增设儿童游乐设施，由街道民生实事项目资金支持。', { actorId: person('staff-wang'), at: at(-18 * DAY).toISOString() }, at(-18 * DAY).getTime(), { messages: [], current: done });
  await store.addUpdate(done.id, { text: '新器材已完成招标，预计下月中旬进场安装，安装期间中心花园部分区域临时围挡。', at: at(-7 * DAY).toISOString() });
}
