/**
 * Demo 诉求反映 of 幸福里示范社区: its street (西司门街道, the street the community names) and
 * district (鼓楼区) with a staff member each, two grids with 网格员 staff-wang, a visit, and a
 * handful of requests in every state, made through the services as people would.
 */
import type { RequestCategory } from '@contract/requests';
import type { AuthUser } from '../../functions/lib/tokens';
import * as grids from '../../functions/services/grids';
import * as regions from '../../functions/services/regions';
import * as requests from '../../functions/services/requests';
import { DEMO_COMMUNITY } from './identity';

const HOUR = 3600_000;

export async function seedRequests(people: Record<string, string>, now: Date): Promise<void> {
  const person = (openid: string): AuthUser => {
    const id = people[openid];
    if (!id) throw new Error(`seed: unknown person ${openid}`);
    return { id, admin: openid === 'admin' };
  };
  const [root, worker, street, district] = [person('admin'), person('staff-wang'), person('street-liu'), person('district-sun')];
  const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR);

  const gulou = await regions.createRegion(root, { name: '鼓楼区', level: 'district' }, at(30 * 24));
  const xisimen = await regions.createRegion(root, { name: '西司门街道', level: 'street', parentId: gulou.id }, at(30 * 24));
  await regions.attachCommunity(root, xisimen.id, DEMO_COMMUNITY, at(30 * 24));
  await regions.appointRegionStaff(root, xisimen.id, street.id, at(30 * 24));
  await regions.appointRegionStaff(root, gulou.id, district.id, at(30 * 24));
  await grids.createGrid(worker, DEMO_COMMUNITY, { name: '第一网格', buildings: ['1', '2', '3', '4'], workerId: worker.id }, at(30 * 24));
  await grids.createGrid(worker, DEMO_COMMUNITY, { name: '第二网格', buildings: ['5', '6', '7', '8'], workerId: worker.id }, at(30 * 24 - 1));
  await grids.recordVisit(worker, DEMO_COMMUNITY, { household: '3-2-501', note: '了解李阿姨的用药和出行情况' }, at(48));

  const file = async (who: string, category: RequestCategory, text: string, hoursAgo: number) =>
    (await requests.fileRequest(person(who), DEMO_COMMUNITY, { category, text }, at(hoursAgo))).id;

  // 待受理
  await file('resident-li', 'sanitation', '3号楼下垃圾桶满了两天没人清运，气味很大', 2);
  // 办理中, with a progress note (一次告知)
  const repair = await file('volunteer-chen', 'repair', '6号楼1单元电梯经常停在12楼不动', 20);
  await requests.acceptRequest(worker, repair, at(19));
  await requests.addNote(worker, repair, '已联系电梯维保单位，明天上午上门检修，请家中留人', at(18));
  // 已上报街道, waiting for the street to accept it
  const dispute = await file('resident-zhang', 'facilities', '小区东门路灯坏了一排，晚上出行不安全', 50);
  await requests.acceptRequest(worker, dispute, at(49));
  await requests.escalateRequest(worker, dispute, '路灯属市政管理，需街道协调', at(30));
  // 已办结, not yet rated
  const noise = await file('resident-li', 'dispute', '楼上装修每天早上7点开始施工', 72);
  await requests.acceptRequest(worker, noise, at(71));
  await requests.resolveRequest(worker, noise, '已上门协调，施工时间改为早8点至晚6点', at(60));
  // 已评价 (closed) with 5 stars
  const care = await file('resident-zhang', 'care', '想为家中老人申请助餐服务', 120);
  await requests.acceptRequest(worker, care, at(119));
  await requests.resolveRequest(worker, care, '已登记助餐，社区食堂每日送餐上门', at(100));
  await requests.rateRequest(person('resident-zhang'), care, { score: 5, comment: '办得很快，谢谢' }, at(96));
  // 已重新办理: a low rating sends it to the street for review
  const safety = await file('volunteer-chen', 'safety', '地下车库消防通道被电动车堵住', 96);
  await requests.acceptRequest(worker, safety, at(95));
  await requests.resolveRequest(worker, safety, '已张贴告示', at(90));
  await requests.rateRequest(person('volunteer-chen'), safety, { score: 2, comment: '只贴了告示，车还在' }, at(80));
}
