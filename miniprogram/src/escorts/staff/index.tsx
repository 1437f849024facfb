import { useState } from 'react';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { api } from '../../api/client';
import { tappable } from '../../components/a11y';
import { Card } from '../../components/card';
import { dateText, todayIn } from '../../components/date-time-picker';
import { DayNav } from '../../components/day-nav';
import { FactLine as Fact } from '../../components/fact-line';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { PAGES, go, useQuery } from '../../nav';
import { useCurrentCommunity } from '../../store/community';
import { ElderContact, EscortFacts, EscortStateTag, type Escort } from '../shared';
import '../shared.css';

/** The escorts from `from` on, under the day each begins. */
function byDay(items: Escort[]): [string, Escort[]][] {
  const days = new Map<string, Escort[]>();
  for (const e of items) days.set(e.startsAt.slice(0, 10), [...(days.get(e.startsAt.slice(0, 10)) ?? []), e]);
  return [...days.entries()];
}

/**
 * 陪同需求 for staff: every escort from a day on (today first; ‹ › or the date wheel), each with
 * its state (无人认领 in the warning colour), the resident's contact and the volunteer's name.
 */
export default function EscortsStaff() {
  const query = useQuery();
  const { cid, staff } = useCurrentCommunity();
  const [from, setFrom] = useState(query.from ?? todayIn());
  const list = useRequest(() => api('listEscorts', { params: { cid: cid ?? '' }, query: { from, limit: 100 } }), [cid, from], Boolean(cid && staff));
  useDidShow(() => {
    if (cid && staff) void list.reload();
  });

  if (!cid || !staff) return <PageShell><Empty title="仅限本社区工作人员使用" /></PageShell>;
  return (
    <PageShell className="stack">
      <DayNav date={from} onChange={setFrom} />
      <View className="muted">{`${dateText(from)}起的陪同需求，按陪同时间排列。`}</View>
      <Async state={list} isEmpty={(p) => p.items.length === 0} empty={<Empty title="这天起没有陪同需求" text="居民预约时申请志愿陪同后会显示在这里。" />}>
        {(p) => (
          <>
            {(() => {
              const unclaimed = p.items.filter((e) => e.unclaimed).length;
              return unclaimed > 0 ? <View className="esc-warn" role="status">{`无人认领 ${unclaimed} 项：请联系志愿者或居民另作安排。`}</View> : null;
            })()}
            {byDay(p.items).map(([day, items]) => (
              <View key={day} className="stack">
                <View className="esc-day">{dateText(day)}</View>
                <View className="desk-cards">
                  {items.map((e) => <EscortRow key={e.id} escort={e} />)}
                </View>
              </View>
            ))}
          </>
        )}
      </Async>
    </PageShell>
  );
}

function EscortRow({ escort: e }: { escort: Escort }) {
  const open = () => go(PAGES.escortDetail, { id: e.id });
  return (
    <Card title={<View className="h2">{e.serviceName}</View>} extra={<EscortStateTag escort={e} />} className={e.unclaimed ? 'esc-card--warn' : ''}>
      <EscortFacts escort={e} />
      {e.elder ? <View className="esc-gap"><ElderContact elder={e.elder} /></View> : null}
      <View className="esc-facts esc-gap">
        <Fact label="志愿者">{e.volunteerName ?? (e.state === 'cancelled' ? '—' : '尚无人认领')}</Fact>
      </View>
      <View className="esc-more" {...tappable(open, { role: 'link' })} onClick={open}>查看详情与考勤 ›</View>
    </Card>
  );
}
