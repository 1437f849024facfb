import { useEffect, useRef, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { api, type ApiResponse } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { todayIn } from '../../components/date-time-picker';
import { DayNav } from '../../components/day-nav';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, useQuery } from '../../nav';
import { confirm, scanCode, toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { StatusOf, hhmm } from '../shared';
import '../shared.css';

type Booking = ApiResponse<'dayAppointments'>['items'][number];

/** A day's bookings of a service, for staff (today first; any day by ‹ › or the date wheel): mark arrivals, no-shows and completions; scan a QR. */
export default function StaffDay() {
  const query = useQuery();
  const { cid, staff } = useCurrentCommunity();
  const services = useRequest(() => api('listServices', { params: { cid: cid ?? '' }, query: { limit: 50 } }), [cid], Boolean(cid));
  const [sid, setSid] = useState<string | undefined>(query.sid);
  const [date, setDate] = useState(query.date ?? todayIn());
  useEffect(() => {
    if (!sid && services.data?.items[0]) setSid(services.data.items[0].id);
  }, [services.data, sid]);
  const day = useRequest(() => api('dayAppointments', { params: { sid: sid ?? '' }, query: { date, limit: 100 } }), [sid, date], Boolean(sid && staff));
  const scanIn = useSubmit((key, id: string) => api('checkInAppointment', { params: { id }, idempotencyKey: key }));
  // Back from the service editor: show the new or changed service.
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current && cid) void services.reload();
    shown.current = true;
  });

  if (!cid || !staff) return <PageShell><Empty title="仅限本社区工作人员使用" /></PageShell>;
  return (
    <PageShell className="stack">
      <View className="row row--between">
        <View className="h2">服务事项</View>
        <View className="row">
          {sid ? <Button small variant="secondary" onClick={() => go(PAGES.serviceEditor, { sid })}>编辑</Button> : null}
          <Button small variant="secondary" onClick={() => go(PAGES.serviceEditor)}>新建服务事项</Button>
        </View>
      </View>
      <Async state={services} isEmpty={(p) => p.items.length === 0} empty={<Empty title="还没有服务事项" />}>
        {(p) => (
          <View className="appt-dates">
            {p.items.map((s) => (
              <View key={s.id} role="button" className={`appt-chip ${s.id === sid ? 'appt-chip--on' : ''}`} onClick={() => setSid(s.id)}>
                <View className="appt-chip__main">{s.id === sid ? `✓ ${s.name}` : s.name}</View>
                {s.active ? null : <View>已停用</View>}
              </View>
            ))}
          </View>
        )}
      </Async>
      <DayNav date={date} onChange={setDate} />
      <View className="row row--between">
        <View className="h2">当天的预约</View>
        {/* h5 has no camera scanner: there the 到场 button on each booking checks it in. */}
        {process.env.TARO_ENV === 'h5' ? null : <Button
          small
          loading={scanIn.busy}
          onClick={async () => {
            const id = await scanCode();
            if (!id) return;
            const ticket = await scanIn.run(id);
            if (ticket) {
              toast(`已签到，号码 ${ticket.number}${ticket.late ? '（迟到，普通号）' : ''}`, 'success');
              void day.reload();
            }
          }}
        >
          扫码签到
        </Button>}
      </View>
      <Async state={day} isEmpty={(p) => p.items.length === 0} empty={<Empty title="当天还没有预约" />}>
        {(p) => (
          <View className="desk-cards">
            {p.items.map((b) => (
              <BookingCard key={b.id} booking={b} onChange={() => void day.reload()} />
            ))}
          </View>
        )}
      </Async>
    </PageShell>
  );
}

function BookingCard({ booking: b, onChange }: { booking: Booking; onChange: () => void }) {
  const act = useSubmit(async (key, what: 'checkIn' | 'noShow' | 'complete') => {
    if (what === 'checkIn') return api('checkInAppointment', { params: { id: b.id }, idempotencyKey: key });
    if (what === 'noShow') return api('noShow', { params: { id: b.id }, idempotencyKey: key });
    return api('complete', { params: { id: b.id }, idempotencyKey: key });
  });
  const run = async (what: 'checkIn' | 'noShow' | 'complete', done: string) => {
    // Marking 爽约 or 办结 cannot be undone: the resident's record and the day's figures keep it.
    const who = `${hhmm(b.start)} ${b.name ?? '居民'}（${b.household ?? '未登记门牌'}）`;
    if (what === 'noShow' && !(await confirm('标记为爽约？', `${who}将记为未到场，此操作不能撤销。`, '标记爽约', { destructive: true, cancelText: '暂不标记' }))) return;
    if (what === 'complete' && !(await confirm('确认办结？', `${who}的事项将记为已办结，此操作不能撤销。`, '确认办结'))) return;
    if (await act.run(what)) {
      toast(done, 'success');
      onChange();
    }
  };
  return (
    <Card title={<View className="h2">{`${hhmm(b.start)} ${b.name ?? '居民'}`}</View>} extra={<StatusOf status={b.status} />}>
      <View className="appt-line"><View className="appt-line__label">门牌</View><View>{b.household ?? '—'}</View></View>
      <View className="appt-line"><View className="appt-line__label">电话</View><View>{b.phone ?? '—'}</View></View>
      <View className="appt-line"><View className="appt-line__label">预约号</View><View>{b.code}</View></View>
      {b.released ? <View className="muted">超过宽限期未签到，名额已释放给现场办理</View> : null}
      <View className="row">
        {b.status === 'booked' ? <Button small loading={act.busy} onClick={() => void run('checkIn', '已签到')}>到场</Button> : null}
        {b.status === 'booked' || b.status === 'checked_in' ? (
          <Button small variant="secondary" loading={act.busy} onClick={() => void run('complete', '已办结')}>办结</Button>
        ) : null}
        {b.status === 'booked' ? <Button small variant="danger" loading={act.busy} onClick={() => void run('noShow', '已标记爽约')}>爽约</Button> : null}
      </View>
    </Card>
  );
}
