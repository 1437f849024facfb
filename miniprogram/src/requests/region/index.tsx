import { useState } from 'react';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { REQUEST_LEVEL_LABELS } from '@contract/request-labels';
import type { RequestStatus } from '@contract/requests';
import { api, type ApiResponse } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { localParts, monthText } from '../../components/date-time-picker/format';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useQuery } from '../../nav';
import { RequestList, StatusFilter } from '../list';
import { percentText } from '../shared';
import '../shared.css';
import './index.css';

type Rates = ApiResponse<'regionStats'>['total'];

/** This month in Beijing time ('2026-12'), as the region's figures count months. */
const thisMonth = (): string => localParts(new Date(), 'Asia/Shanghai').date.slice(0, 7);

function shiftMonth(month: string, by: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const COLUMNS: { title: string; value: (r: Rates) => string }[] = [
  { title: '诉求', value: (r) => `${r.filed} 件` },
  { title: '响应率', value: (r) => percentText(r.responseRate) },
  { title: '解决率', value: (r) => percentText(r.resolutionRate) },
  { title: '满意率', value: (r) => percentText(r.satisfactionRate) },
  { title: '在办', value: (r) => `${r.open} 件` },
  { title: '超期', value: (r) => `${r.overdue} 件` },
  { title: '上报', value: (r) => `${r.escalated} 件` },
];

/** One community's (or the total's) figures: a table row at a desk, a block of labelled figures on a phone. */
function RatesRow({ name, rates, total = false }: { name: string; rates: Rates; total?: boolean }) {
  return (
    <View className={`rates__row ${total ? 'rates__row--total' : ''}`} role="row">
      <View className="rates__name" role="rowheader">{name}</View>
      {COLUMNS.map((column) => (
        <View key={column.title} className={`rates__cell ${column.title === '超期' && rates.overdue > 0 ? 'req-left--over' : ''}`} role="cell">
          <View className="rates__label" aria-hidden>{column.title}</View>
          {column.value(rates)}
        </View>
      ))}
    </View>
  );
}

/**
 * 诉求督办 (street and district staff; a desk first, works on a phone): the requests handed up to
 * this level, to accept, resolve or hand up again, and the month's three rates (响应率, 解决率,
 * 满意率) of every community below.
 */
export default function Region() {
  const query = useQuery();
  const regions = useRequest(() => api('myRegions'), []);
  const rid = query.rid ?? regions.data?.items[0]?.id;
  const region = regions.data?.items.find((r) => r.id === rid);
  const [month, setMonth] = useState(query.month ?? thisMonth());
  const [status, setStatus] = useState<RequestStatus | undefined>(undefined);
  const stats = useRequest(() => api('regionStats', { params: { rid: rid ?? '' }, query: { month } }), [rid, month], Boolean(rid));
  const list = useRequest(() => api('regionRequests', { params: { rid: rid ?? '' }, query: { status, limit: 100 } }), [rid, status], Boolean(rid));
  useDidShow(() => {
    if (list.data) void list.reload();
    if (stats.data) void stats.reload();
  });

  if (regions.data && !rid) return <PageShell><Empty title="仅街道、区工作人员可用" text="此页面用于街道和区工作人员督办上报的诉求。" /></PageShell>;
  return (
    <PageShell className="stack">
      <Async state={regions}>
        {() => (
          <>
            {region ? <View className="h1">{region.name}（{REQUEST_LEVEL_LABELS[region.level]}）</View> : null}
            <Card title={<View className="h2">各社区“三率”</View>}>
              <View className="rates-month" role="group" aria-label="选择月份">
                <Button small variant="secondary" onClick={() => setMonth(shiftMonth(month, -1))}>上个月</Button>
                <View className="h2" aria-live="polite">{monthText(month)}</View>
                <Button small variant="secondary" disabled={month >= thisMonth()} onClick={() => setMonth(shiftMonth(month, 1))}>下个月</Button>
              </View>
              <Async state={stats}>
                {(s) => (
                  <View className="rates" role="table" aria-label={`${monthText(s.month)}各社区响应率、解决率、满意率`}>
                    <View className="rates__row rates__head" role="row">
                      <View className="rates__name" role="columnheader">社区</View>
                      {COLUMNS.map((column) => (
                        <View key={column.title} className="rates__cell" role="columnheader">{column.title}</View>
                      ))}
                    </View>
                    {s.communities.map((c) => (
                      <RatesRow key={c.communityId} name={c.name} rates={c} />
                    ))}
                    <RatesRow name="合计" rates={s.total} total />
                  </View>
                )}
              </Async>
              <View className="muted req-below">
                响应率：按时受理的诉求占比；解决率：按时办结的占比；满意率：评 4–5 分的占已评价的比例。“—”表示当月没有可计算的诉求。
              </View>
            </Card>
            <View className="h2">上报到本级的诉求</View>
            <StatusFilter value={status} onChange={setStatus} />
            <Async state={list}>
              {(page) => <RequestList items={page.items} empty="暂无上报到本级的诉求" onChanged={() => void list.reload()} />}
            </Async>
          </>
        )}
      </Async>
    </PageShell>
  );
}
