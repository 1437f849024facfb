import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { useSubscribe } from '../../platform/subscriptions';
import { useCurrentCommunity } from '../../store/community';
import { instantText } from '../../components/date-time-picker';
import { PersonalCode } from '../personal-code';
import { hoursText } from '../shared';
import '../shared.css';

/** Check-in opens this long before the start (domain/volunteer-activity.ts); check-out closes an hour after the end. */
const OPENS_MS = 30 * 60_000;
const CLOSES_MS = 60 * 60_000;

/** An activity: details, places left, sign up or cancel, and on site: my code for staff to scan in and out. */
export default function ActivityDetail() {
  const { id = '' } = useQuery();
  const { staff } = useCurrentCommunity();
  const detail = useRequest(() => api('getActivity', { params: { id } }), [id], Boolean(id));
  useDidShow(() => void detail.reload());

  const ask = useSubscribe(['activityReminder', 'activityChanged']);
  const signUp = useSubmit((key) => api('signUp', { params: { id }, idempotencyKey: key }));
  const cancel = useSubmit((key) => api('cancelSignUp', { params: { id }, idempotencyKey: key }));

  return (
    <PageShell className="stack">
      <Async state={detail}>
        {(a) => {
          const mine = a.mySignup?.status === 'signed_up' ? a.mySignup : undefined;
          const now = Date.now();
          const onSite = now >= Date.parse(a.startsAt) - OPENS_MS && now <= Date.parse(a.endsAt) + CLOSES_MS;
          const showCode = a.status === 'scheduled' && mine && !mine.verifiedAt && !mine.checkedOutAt && onSite;
          return (
            <>
              <Card
                title={a.title}
                extra={a.status === 'cancelled' ? <StatusTag tone="danger">已取消</StatusTag> : a.placesLeft > 0 ? <StatusTag tone="ok">余 {a.placesLeft} 个名额</StatusTag> : <StatusTag tone="pending">名额已满</StatusTag>}
              >
                <View className="vol-facts">
                  <View>时间：{instantText(a.startsAt)} 至 {instantText(a.endsAt)}</View>
                  <View>地点：{a.place}</View>
                  <View>认定时长：{hoursText(a.hours)} 小时</View>
                  <View>名额：{a.capacity} 人，已报名 {a.signedUp} 人</View>
                  {a.skills?.length ? <View>所需技能：{a.skills.join('、')}</View> : null}
                  {a.description ? <View className="vol-muted">{a.description}</View> : null}
                </View>
              </Card>
              {mine ? (
                <Card title="我的报名" extra={<StatusTag tone={mine.verifiedAt ? 'ok' : 'info'}>{mine.verifiedAt ? '时长已认定' : mine.checkedOutAt ? '已签退' : mine.checkedInAt ? '已签到' : '已报名'}</StatusTag>}>
                  <View className="vol-facts">
                    {mine.checkedInAt ? <View>签到：{instantText(mine.checkedInAt)}</View> : <View className="vol-muted">活动开始前 30 分钟起，本页显示您的签到码，请到场出示给工作人员扫描。</View>}
                    {mine.checkedOutAt ? <View>签退：{instantText(mine.checkedOutAt)}</View> : null}
                    {mine.verifiedHours !== undefined ? <View>认定时长：{hoursText(mine.verifiedHours)} 小时</View> : null}
                  </View>
                  {showCode ? (
                    <>
                      <PersonalCode activityId={id} onChange={() => void detail.reload()} />
                      <Button block variant="secondary" onClick={() => go(PAGES.volunteerQr, { id })}>全屏出示</Button>
                    </>
                  ) : null}
                  {a.status === 'scheduled' && !mine.verifiedAt ? (
                    <View className="vol-actions">
                      {!mine.checkedInAt ? (
                        <Button
                          block
                          variant="secondary"
                          loading={cancel.busy}
                          loadingText="正在取消…"
                          onClick={async () => {
                            if (!(await confirm('取消报名', `取消后您将不再参加“${a.title}”，名额立即让给其他志愿者；再想参加需重新报名，名额满了就报不上。`, '取消报名', { cancelText: '保留报名', destructive: true }))) return;
                            if (await cancel.run()) {
                              toast('已取消报名', 'success');
                              void detail.reload();
                            }
                          }}
                        >
                          取消报名
                        </Button>
                      ) : null}
                    </View>
                  ) : null}
                </Card>
              ) : a.status === 'scheduled' && !staff ? (
                // Staff run the activity (考勤、认定) rather than take a place in it.
                <Button
                  block
                  disabled={a.placesLeft === 0}
                  loading={signUp.busy}
                  loadingText="正在报名…"
                  onClick={async () => {
                    // First in the tap: WeChat shows the subscription dialog only there.
                    await ask();
                    if (await signUp.run()) {
                      toast('报名成功', 'success');
                      void detail.reload();
                    }
                  }}
                >
                  {a.placesLeft === 0 ? '名额已满' : '报名参加'}
                </Button>
              ) : null}
              {staff ? (
                <Card title="工作人员">
                  <View className="vol-actions">
                    <Button block variant="secondary" onClick={() => go(PAGES.volunteerAttendance, { id })}>扫码考勤与认定时长</Button>
                    {a.status === 'scheduled' ? <Button block variant="plain" onClick={() => go(PAGES.activityEditor, { id })}>修改或取消活动</Button> : null}
                  </View>
                </Card>
              ) : null}
            </>
          );
        }}
      </Async>
    </PageShell>
  );
}

