import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { dateText } from '../../components/date-time-picker/format';
import { PageShell } from '../../components/page-shell';
import { Async } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { StaffOnly } from '../../components/staff-only';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useQuery } from '../../nav';
import { isStaff, useCurrentCommunity } from '../../store/community';
import { indicatorGroups, type DetailList, type Indicator } from './indicators';
import './index.css';

function IndicatorView({ item }: { item: Indicator }) {
  return (
    <View className="indicator">
      <View className="indicator__name">{item.name}</View>
      <View className="indicator__value">
        {item.value}
        {item.unit ? <View className="indicator__unit" style={{ display: 'inline' }}>{item.unit}</View> : null}
      </View>
      <View className="indicator__period">统计范围：{item.period}</View>
      {item.target ? (
        <View className="indicator__target">
          <View>{item.target.text}</View>
          <StatusTag tone={item.target.met ? 'ok' : 'danger'}>{item.target.met ? '已达标' : '未达标'}</StatusTag>
        </View>
      ) : null}
      {item.note ? <View className="indicator__note">{item.note}</View> : null}
    </View>
  );
}

function DetailView({ list }: { list: DetailList }) {
  return (
    <View className="stats-detail">
      <View className="stats-detail__title">{list.title}</View>
      {list.rows.length === 0 ? (
        <View className="muted">{list.empty}</View>
      ) : (
        list.rows.map((row) => (
          <View key={row.label} className="stats-detail__row">
            <View>{row.label}</View>
            <View className="muted">{row.value}</View>
          </View>
        ))
      )}
    </View>
  );
}

/**
 * 数据 (staff): the community's indicators, named as the policies name them, each with its
 * unit, period and (where a policy sets one) target; grouped by capability, side by side at a desk.
 */
export default function Stats() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const stats = useRequest(() => api('stats', { params: { cid: cid ?? '' } }), [cid], Boolean(cid && allowed));
  useDidShow(() => {
    if (stats.data) void stats.reload();
  });

  if (!cid || (user && !allowed)) {
    return <StaffOnly purpose="此页面展示社区的各项指标。" />;
  }

  return (
    <PageShell className="stack">
      <Async state={stats}>
        {(s) => (
          <>
            <View className="muted">统计日期：{dateText(s.date, { year: true })}</View>
            {s.queue ? null : <View className="muted">服务大厅尚未设置，暂无取号叫号指标。</View>}
            <View className="stats-groups">
              {indicatorGroups(s).map((group) => (
                <Card key={group.title} title={group.title}>
                  <View className="indicators">
                    {group.items.map((item) => (
                      <IndicatorView key={item.name} item={item} />
                    ))}
                  </View>
                  {group.details.map((list) => (
                    <DetailView key={list.title} list={list} />
                  ))}
                </Card>
              ))}
            </View>
            <Button block variant="secondary" loading={stats.loading} loadingText="正在刷新…" onClick={() => void stats.reload()}>
              刷新统计
            </Button>
          </>
        )}
      </Async>
    </PageShell>
  );
}
