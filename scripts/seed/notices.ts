/**
 * Demo notices (居务公开) of 幸福里示范社区: a 财务公开 with its money table (opened by one
 * household), a pinned 通知, a 党务公开, and the published consultation decision as the notice
 * publishing would have made. Fixed ids, so pages and tests can open them by name.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { NoticeBody } from '@contract/notices';
import { consultationNotice } from '../../functions/services/notices';
import { send } from '../../functions/store/client';
import { listConsultations } from '../../functions/store/consultations';
import { getMembership } from '../../functions/store/identity';
import { markRead, postNotice, type NoticeRecord } from '../../functions/store/notices';
import { DEMO_COMMUNITY } from './identity';

const DAY = 24 * 3600_000;
const TZ = 'Asia/Shanghai';

export const DEMO_NOTICES = { finance: 'demo-notice-finance', pinned: 'demo-notice-water', party: 'demo-notice-party' } as const;

const para = (text: string, bold = false): NoticeBody[number] => ({ type: 'paragraph', runs: [{ text, ...(bold ? { bold } : {}) }] });

export async function seedNotices(people: Record<string, string>, now: Date): Promise<void> {
  const staff = people['staff-wang'];
  if (!staff) throw new Error('seed: unknown person staff-wang');
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
  const notice = (n: Omit<NoticeRecord, 'communityId' | 'timezone' | 'status' | 'version' | 'createdBy' | 'displayFromEpoch' | 'createdAt'>) => {
    const record: NoticeRecord = {
      ...n, communityId: DEMO_COMMUNITY, timezone: TZ, status: 'active', version: 1, createdBy: staff,
      displayFromEpoch: Date.parse(n.displayFrom), createdAt: n.displayFrom,
    };
    return postNotice(record, { actorId: staff, at: n.displayFrom });
  };

  await notice({
    id: DEMO_NOTICES.finance, title: '2026年第三季度公共收益收支公开', category: 'finance', pinned: false,
    displayFrom: at(-3 * DAY).toISOString(),
    body: [
      para('根据《居务公开制度》，现将本社区2026年第三季度公共收益收支情况公布如下，请居民监督。'),
      para('如有疑问，请于公示期内到社区服务站或拨打 0591-87654321 反映。', true),
    ],
    table: [
      { item: '公共场地租赁收入', amountFen: 3_600_000 },
      { item: '电梯广告收入', amountFen: 1_280_000 },
      { item: '绿化养护支出', amountFen: -1_250_050 },
      { item: '健身器材维修支出', amountFen: -830_000 },
    ],
  });
  await notice({
    id: DEMO_NOTICES.pinned, title: '12月10日3号楼、5号楼停水通知', category: 'notice', pinned: true,
    displayFrom: at(-DAY).toISOString(), displayUntil: at(10 * DAY).toISOString(), displayUntilEpoch: at(10 * DAY).getTime(),
    body: [
      para('因供水管道检修，以下楼栋将临时停水：'),
      { type: 'bullets', items: [[{ text: '停水时间：12月10日 上午9:00 至 下午5:00', bold: true }], [{ text: '停水范围：3号楼、5号楼' }]] },
      para('请居民提前储水。行动不便的老人需要送水的，请联系社区网格员。'),
    ],
  });
  await notice({
    id: DEMO_NOTICES.party, title: '社区党委2026年12月主题党日安排', category: 'party', pinned: false,
    displayFrom: at(-2 * DAY).toISOString(),
    body: [
      para('本月主题党日活动安排如下：'),
      { type: 'numbered', items: [[{ text: '12月12日 上午：集中学习' }], [{ text: '12月12日 下午：走访慰问困难党员和独居老人' }], [{ text: '12月19日：党员志愿服务进楼栋' }]] },
      para('请各党小组按时组织参加。'),
    ],
  });

  // The published decision and its implementation updates, as publishing them now does in their own transactions.
  const published = await listConsultations(DEMO_COMMUNITY, { state: 'published', nowEpoch: now.getTime(), limit: 20 });
  const decisions = published.items.flatMap((c) => [
    ...(c.decision && c.publishedAt ? [consultationNotice(c, { kind: 'decision', text: c.decision }, { actorId: staff, now: new Date(c.publishedAt) })] : []),
    ...(c.updates ?? []).map((u) => consultationNotice(c, { kind: 'update', text: u.text }, { actorId: staff, now: new Date(u.at) })),
  ]);
  if (decisions.length) await send(new TransactWriteCommand({ TransactItems: decisions }));

  // One household has opened the 财务公开.
  const zhang = people['resident-zhang'];
  const household = zhang ? (await getMembership(DEMO_COMMUNITY, zhang))?.household : undefined;
  if (zhang) await markRead(DEMO_NOTICES.finance, { userId: zhang, household }, at(-2 * DAY).toISOString());
}
