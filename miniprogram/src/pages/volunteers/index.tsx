import { useState } from 'react';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { AppError } from '@contract/errors';
import { api } from '../../api/client';
import { tappable } from '../../components/a11y';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { Tile, Tiles } from '../../components/tile';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { PAGES, go } from '../../nav';
import { useCurrentCommunity } from '../../store/community';
import { instantText } from '../../components/date-time-picker';
import { SKILLS, hoursText } from '../../volunteers/shared';
import { EscortNeeds } from './escorts';
import '../../volunteers/shared.css';
import './index.css';

/** 志愿: my volunteer status and hours, upcoming activities; staff tools. */
export default function Volunteers() {
  const me = useMe();
  const { cid, membership, staff } = useCurrentCommunity();
  const [skill, setSkill] = useState<string | undefined>(undefined);
  const mine = useRequest(async () => {
    try {
      return await api('myVolunteer', { query: { communityId: cid } });
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }, [cid], Boolean(cid));
  const list = useRequest(
    () => api('listActivities', { params: { cid: cid ?? '' }, query: { limit: 30, ...(skill ? { skill: skill as (typeof SKILLS)[number] } : {}) } }),
    [cid, skill],
    Boolean(cid),
  );
  useDidShow(() => {
    if (!cid) return;
    void mine.reload();
    void list.reload();
  });
  if (!cid) {
    return (
      <PageShell className="stack">
        <Empty
          title={me.signedOut ? '请先登录' : '加入社区后参与志愿服务'}
          text="注册成为社区志愿者，报名志愿活动，到场出示签到码由工作人员扫码签到签退，累计服务时长并下载志愿服务记录证明。"
          action={me.signedOut ? { text: '去登录', onClick: () => go(PAGES.login) } : { text: '加入社区', onClick: () => go(PAGES.join) }}
        />
      </PageShell>
    );
  }

  return (
    <PageShell className="stack">
      <Async state={mine}>
        {(v) =>
          v === null ? (
            <Card title="成为社区志愿者">
              <View className="vol-muted">注册后可报名志愿活动，服务时长由社区认定并记入志愿服务台帐。</View>
              <View className="vol-actions">
                {membership?.verified ? (
                  <Button block onClick={() => go(PAGES.volunteerRegister)}>注册志愿者</Button>
                ) : (
                  <View className="vol-muted">您的门牌尚待社区工作人员核实，核实后即可注册。</View>
                )}
              </View>
            </Card>
          ) : (
            <Card
              title="我的志愿服务"
              extra={<StatusTag tone={v.status === 'approved' ? 'ok' : v.status === 'pending' ? 'pending' : 'danger'}>{v.status === 'approved' ? '注册志愿者' : v.status === 'pending' ? '待审核' : '未通过'}</StatusTag>}
            >
              {v.status === 'declined' ? (
                <View className="vol-facts">
                  <View>未通过原因：{v.reason ?? '—'}</View>
                  <Button block variant="secondary" onClick={() => go(PAGES.volunteerRegister)}>重新提交注册</Button>
                </View>
              ) : (
                <View className="vol-facts">
                  <View>累计服务时长 <View className="vol-big" style={{ display: 'inline' }}>{hoursText(v.totalHours)}</View> 小时</View>
                  {v.status === 'pending' ? <View className="vol-muted">注册待社区审核，通过后即可报名活动。</View> : null}
                </View>
              )}
              {v.status === 'approved' ? <View className="vol-muted">到场后打开已报名的活动，出示“我的签到码”给工作人员扫描。</View> : null}
            </Card>
          )
        }
      </Async>

      {mine.data?.status === 'approved' && !staff ? <EscortNeeds cid={cid} /> : null}

      <Tiles>
        <Tile title="我的报名" text="已报名的活动与签到" onClick={() => go(PAGES.volunteerSignups)} />
        <Tile title="我的时长" text="台帐、年度汇总与证明" onClick={() => go(PAGES.volunteerHours)} />
        {staff ? <Tile title="志愿者审核" text="通过或不通过注册" onClick={() => go(PAGES.volunteerApprovals)} /> : null}
        {staff ? <Tile title="发布活动" text="时间、地点、名额、时长" onClick={() => go(PAGES.activityEditor)} /> : null}
      </Tiles>

      <View className="vol-section-title">近期志愿活动</View>
      <View className="vol-row" role="radiogroup" aria-label="按技能筛选">
        {[undefined, ...SKILLS.slice(0, 8)].map((s) => (
          <View key={s ?? 'all'} className={`vol-chip ${skill === s ? 'vol-chip--on' : ''}`} {...tappable(() => setSkill(s), { role: 'radio', checked: skill === s })} onClick={() => setSkill(s)}>
            {skill === s ? `✓ ${s ?? '全部'}` : (s ?? '全部')}
          </View>
        ))}
      </View>
      <Async state={list} isEmpty={(p) => p.items.length === 0} empty={<Empty title="暂无近期活动" text={skill ? `没有需要“${skill}”的活动，换个技能看看。` : '社区发布活动后会显示在这里。'} />}>
        {(p) =>
          p.items.map((a) => (
            <View key={a.id} {...tappable(() => go(PAGES.volunteerActivity, { id: a.id }), { role: 'link' })} onClick={() => go(PAGES.volunteerActivity, { id: a.id })}>
              <Card
                title={a.title}
                extra={a.status === 'cancelled' ? <StatusTag tone="danger">已取消</StatusTag> : a.placesLeft > 0 ? <StatusTag tone="ok">余 {a.placesLeft} 个名额</StatusTag> : <StatusTag tone="pending">已满</StatusTag>}
              >
                <View className="vol-facts">
                  <View>{instantText(a.startsAt)} · {hoursText(a.hours)} 小时</View>
                  <View className="vol-muted">{a.place}{a.skills?.length ? ` · ${a.skills.join('、')}` : ''}</View>
                </View>
              </Card>
            </View>
          ))
        }
      </Async>
    </PageShell>
  );
}
