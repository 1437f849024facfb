import { useState } from 'react';
import { View } from '@tarojs/components';
import { api, apiFile } from '../../api/client';
import { Button } from '../../components/button';
import { PageShell } from '../../components/page-shell';
import { LoadMore } from '../../components/load-more';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useMe } from '../../hooks/use-me';
import { usePaged } from '../../hooks/use-paged';
import { useSubmit } from '../../hooks/use-submit';
import { useQuery } from '../../nav';
import { saveFile, toast } from '../../platform';
import { isStaff, useCurrentCommunity } from '../../store/community';
import { formatDateTime } from '../../utils/format';
import { cnDate, hoursText } from '../shared';
import '../../components/desk/index.css';
import { StaffOnly } from '../../components/staff-only';
import './index.css';

/** This month on the device's calendar (a committee works in its own city's time). */
function thisMonth(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

function shiftMonth(month: string, by: number): string {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (mm - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const monthText = (month: string): string => `${month.slice(0, 4)}年${Number(month.slice(5))}月`;

/**
 * 志愿服务台帐 (staff): the community's entries recorded in one month, a table at a desk and cards
 * on a phone, with the month's total; exported as a spreadsheet Excel opens (CSV with a BOM), as
 * committees report upward.
 */
export default function CommunityLedgerPage() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const [month, setMonth] = useState(query.month ?? thisMonth());

  const ledger = usePaged(
    (cursor) => api('communityLedger', { params: { cid: cid ?? '' }, query: { month, limit: 50, cursor } }),
    [cid, month],
    Boolean(cid && allowed),
  );
  const exportFile = useSubmit(async () => {
    const file = await apiFile('communityLedger', { params: { cid: cid ?? '' }, query: { month, format: 'csv' } });
    await saveFile({ path: file.path, fileName: `志愿服务台帐${monthText(month)}.csv` });
    return true;
  });

  if (!cid || (user && !allowed)) {
    return <StaffOnly purpose="此页面用于社区工作人员查看和导出志愿服务台帐。" />;
  }

  return (
    <PageShell className="stack">
      <View className="ledger-month" role="group" aria-label="选择月份">
        <Button variant="secondary" onClick={() => setMonth(shiftMonth(month, -1))}>
          上个月
        </Button>
        <View className="ledger-month__name" aria-live="polite">
          {monthText(month)}
        </View>
        <Button variant="secondary" disabled={month >= thisMonth()} onClick={() => setMonth(shiftMonth(month, 1))}>
          下个月
        </Button>
      </View>
      <Async
        state={ledger.first}
        isEmpty={(page) => page.items.length === 0}
        empty={<Empty title={`${monthText(month)}没有台帐记录`} text="工作人员认定或更正时长后，记录会出现在这里。" />}
      >
        {(page) => (
          <>
            <View className="ledger-total">
              {monthText(month)}合计 {hoursText(page.totalHours)} 小时
            </View>
            <Button block loading={exportFile.busy} loadingText="正在导出…" onClick={async () => { if (await exportFile.run()) toast('台帐已导出', 'success'); }}>
              {`导出${monthText(month)}台帐（电子表格）`}
            </Button>
            <View className="bo-table" style={{ '--bo-columns': '2fr 2fr 2fr 1fr 4fr 1fr' } as Record<string, string>}>
              <View className="bo-head" aria-hidden="true">
                <View>日期</View>
                <View>姓名</View>
                <View>门牌</View>
                <View>类别</View>
                <View>活动或更正原因</View>
                <View className="ledger-row__hours">时长</View>
              </View>
              {[...page.items, ...ledger.more].map((row) => (
                <View key={row.id} className="bo-row ledger-row">
                  <View>{cnDate(row.date)}</View>
                  <View className="bo-row__main">{row.name ?? '未留姓名'}</View>
                  <View>门牌：{row.household ?? '未填写'}</View>
                  <View>
                    <StatusTag tone={row.kind === 'service' ? 'ok' : 'info'}>{row.kind === 'service' ? '服务' : '更正'}</StatusTag>
                  </View>
                  <View>
                    <View>{row.kind === 'service' ? (row.title ?? '志愿服务') : `更正：${row.reason ?? ''}`}</View>
                    <View className="muted">记录时间：{formatDateTime(row.at)}</View>
                  </View>
                  <View className="ledger-row__hours">
                    {row.hours > 0 ? '+' : ''}
                    {hoursText(row.hours)} 小时
                  </View>
                </View>
              ))}
              <LoadMore paged={ledger} />
            </View>
          </>
        )}
      </Async>
    </PageShell>
  );
}
