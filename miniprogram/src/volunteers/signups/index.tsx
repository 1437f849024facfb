import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { api } from '../../api/client';
import { tappable } from '../../components/a11y';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag, type Tone } from '../../components/status-tag';
import { useRequest } from '../../hooks/use-request';
import { PAGES, go } from '../../nav';
import { instantText } from '../../components/date-time-picker';
import { hoursText } from '../shared';
import '../shared.css';

type Signup = Awaited<ReturnType<typeof loadSignups>>[number];
const loadSignups = async () => (await api('mySignups', { query: { limit: 50 } })).items;

function state(s: Signup): { tone: Tone; text: string } {
  if (s.status === 'cancelled') return { tone: 'danger', text: '已取消' };
  if (s.verifiedAt) return { tone: 'ok', text: `已认定 ${hoursText(s.verifiedHours ?? 0)} 小时` };
  if (s.checkedOutAt) return { tone: 'info', text: '已签退，待认定' };
  if (s.checkedInAt) return { tone: 'info', text: '已签到' };
  return { tone: 'pending', text: '已报名' };
}

/** 我的报名: my signups, latest activity first. */
export default function MySignups() {
  const list = useRequest(loadSignups, []);
  useDidShow(() => void list.reload());
  return (
    <PageShell className="stack">
      <Async state={list} isEmpty={(items) => items.length === 0} empty={<Empty title="还没有报名活动" action={{ text: '去看看志愿活动', onClick: () => go(PAGES.volunteers) }} />}>
        {(items) =>
          items.map((s) => (
            <View key={s.activityId} {...tappable(() => go(PAGES.volunteerActivity, { id: s.activityId }), { role: 'link' })} onClick={() => go(PAGES.volunteerActivity, { id: s.activityId })}>
              <Card title={s.title} extra={<StatusTag tone={state(s).tone}>{state(s).text}</StatusTag>}>
                <View className="vol-facts">
                  {s.startsAt ? <View>{instantText(s.startsAt)}</View> : null}
                  <View className="vol-muted">{s.place}</View>
                </View>
              </Card>
            </View>
          ))
        }
      </Async>
    </PageShell>
  );
}
