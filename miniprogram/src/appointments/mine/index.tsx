import { useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { go, PAGES } from '../../nav';
import { StatusOf, slotText } from '../shared';
import '../shared.css';

/** 我的预约: upcoming ones (today onwards) and past ones. */
export default function MyAppointments() {
  const [when, setWhen] = useState<'upcoming' | 'past'>('upcoming');
  const list = useRequest(() => api('myAppointments', { query: { when, limit: 50 } }), [when]);
  return (
    <PageShell className="stack">
      <View className="row">
        {/* The chosen list is ticked, not told by colour alone. */}
        <Button small variant={when === 'upcoming' ? 'primary' : 'secondary'} onClick={() => setWhen('upcoming')}>{when === 'upcoming' ? '✓ 待办理' : '待办理'}</Button>
        <Button small variant={when === 'past' ? 'primary' : 'secondary'} onClick={() => setWhen('past')}>{when === 'past' ? '✓ 历史预约' : '历史预约'}</Button>
      </View>
      <Async
        state={list}
        isEmpty={(page) => page.items.length === 0}
        empty={<Empty title={when === 'upcoming' ? '暂无预约' : '暂无历史预约'} action={{ text: '去预约', onClick: () => go(PAGES.services) }} />}
      >
        {(page) => (
          <>
            {page.items.map((a) => (
              <Card key={a.id} title={<View className="h2">{a.serviceName}</View>} extra={<StatusOf status={a.status} />}>
                <View onClick={() => go(PAGES.appointmentDetail, { id: a.id })} role="button">
                  <View className="appt-line"><View className="appt-line__label">时间</View><View>{slotText(a.start, a.end)}</View></View>
                  <View className="appt-line"><View className="appt-line__label">预约号</View><View>{a.code}</View></View>
                </View>
                <Button small variant="plain" onClick={() => go(PAGES.appointmentDetail, { id: a.id })}>
                  {a.status === 'booked' ? '出示二维码 / 取消' : a.status === 'completed' && !a.rating ? '去评价' : '查看详情'}
                </Button>
              </Card>
            ))}
          </>
        )}
      </Async>
    </PageShell>
  );
}
