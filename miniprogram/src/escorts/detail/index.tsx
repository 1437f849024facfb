import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { ElderContact, EscortFacts, EscortStateTag, escortTimeText, useTakeEscort, type Escort } from '../shared';
import '../shared.css';

/**
 * One escort (志愿陪同). The volunteer who took it: the resident's contact (the phone tapped to
 * call), the check-in code's page and 放弃认领; staff: the contact, who took it, attendance and
 * hours; other approved volunteers: the escort without anyone's contact, and 认领 while open;
 * the resident: the escort and the way back to the booking.
 */
export default function EscortDetail() {
  const { id = '' } = useQuery();
  const { staff, cid } = useCurrentCommunity();
  const escort = useRequest(() => api('getEscort', { params: { id } }), [id], Boolean(id));
  useDidShow(() => void escort.reload());
  const take = useTakeEscort();
  const giveBack = useSubmit((key) => api('cancelSignUp', { params: { id }, idempotencyKey: key }));

  if (!id) return <PageShell><Empty title="未找到这次陪同" /></PageShell>;
  return (
    <PageShell className="stack desk-column">
      <Async state={escort}>
        {(e) => {
          const staffHere = staff && cid === e.communityId;
          const resident = Boolean(e.appointmentId) && !staffHere;
          return (
            <>
              <Card title={<View className="h1">{`陪同办事：${e.serviceName}`}</View>} extra={<EscortStateTag escort={e} />}>
                <EscortFacts escort={e} />
                {e.unclaimed && staffHere ? <View className="esc-warn esc-gap" role="status">到前一天 18:00 仍无人认领：请联系志愿者或居民另作安排。</View> : null}
              </Card>
              {e.elder ? (
                <Card title={<View className="h2">居民联系方式</View>}>
                  <ElderContact elder={e.elder} />
                  {e.mine && !e.outcome ? <View className="muted esc-gap">请在陪同时间前与居民联系，按约定地点见面。</View> : null}
                </Card>
              ) : null}
              {staffHere ? (
                <Card title={<View className="h2">陪同志愿者</View>}>
                  <View>{e.volunteerName ?? '尚无志愿者认领'}</View>
                  {e.volunteerName ? (
                    <View className="esc-actions">
                      <Button variant="secondary" onClick={() => go(PAGES.volunteerAttendance, { id: e.id })}>考勤与认定时长</Button>
                    </View>
                  ) : null}
                </Card>
              ) : null}
              {e.thanks && !resident ? (
                <Card title={<View className="h2">居民的感谢</View>}>
                  <View className="esc-thanks" role="img" aria-label={`${e.thanks.score} 颗星，满分 5 颗`}>{'★'.repeat(e.thanks.score) + '☆'.repeat(5 - e.thanks.score)}</View>
                  {e.thanks.text ? <View>{e.thanks.text}</View> : null}
                </Card>
              ) : null}
              {e.mine && e.state === 'matched' ? <MineActions escort={e} giveBack={giveBack} onChange={() => void escort.reload()} /> : null}
              {!e.mine && !staffHere && !resident && e.state === 'open' ? (
                <Button
                  block
                  loading={take.busy}
                  loadingText="正在认领…"
                  onClick={async () => {
                    await take.run(e);
                    void escort.reload();
                  }}
                >
                  认领这次陪同
                </Button>
              ) : null}
              {resident && e.appointmentId ? (
                <Button block variant="secondary" onClick={() => go(PAGES.appointmentDetail, { id: e.appointmentId })}>查看我的预约</Button>
              ) : null}
            </>
          );
        }}
      </Async>
    </PageShell>
  );
}

function MineActions({ escort: e, giveBack, onChange }: { escort: Escort; giveBack: { run: () => Promise<unknown>; busy: boolean }; onChange: () => void }) {
  if (e.outcome) {
    return (
      <View className="muted" role="status">
        {e.outcome === 'no_show'
          ? `居民未到场，预约已标记爽约。您如按时前往，工作人员会按您的到场记录认定服务时长（本次 ${e.hours} 小时）。`
          : `预约已办结，工作人员会按您的到场记录认定服务时长（本次 ${e.hours} 小时）。`}
      </View>
    );
  }
  return (
    <View className="stack">
      <Button block variant="secondary" onClick={() => go(PAGES.volunteerActivity, { id: e.id })}>到场签到码</Button>
      <Button
        block
        variant="danger"
        loading={giveBack.busy}
        loadingText="正在放弃…"
        onClick={async () => {
          const sure = await confirm(
            '放弃认领？',
            `${escortTimeText(e)} 的陪同将重新等待其他志愿者认领。如已与居民约好，请先告知居民。`,
            '放弃认领',
            { cancelText: '继续陪同', destructive: true },
          );
          if (!sure) return;
          if (await giveBack.run()) {
            toast('已放弃认领', 'success');
            onChange();
          }
        }}
      >
        放弃认领
      </Button>
      <View className="muted">{`陪同前后各半小时计入服务时长，办结后由工作人员认定 ${e.hours} 小时。`}</View>
    </View>
  );
}
