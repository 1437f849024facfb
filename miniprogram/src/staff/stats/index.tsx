import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Figure, Figures } from '../../components/figure';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useQuery } from '../../nav';
import { isStaff, useCurrentCommunity } from '../../store/community';
import { formatNumber } from '../../utils/format';
import { figuresOf, sectionTitle } from './figures';

/**
 * 数据 (staff): the community's indicators. The members section is laid out by hand; every
 * other section (added by later capabilities) is shown generically as labelled figures.
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
    return (
      <PageShell>
        <Empty title="仅社区工作人员可用" text="此页面展示社区的各项指标。" />
      </PageShell>
    );
  }

  return (
    <PageShell className="stack">
      <Async state={stats}>
        {(s) => {
          const { communityId: _id, date, members, ...sections } = s;
          return (
            <>
              <View className="muted">统计日期：{date}</View>
              <Card title="社区成员">
                <Figures>
                  <Figure label="成员总数" value={formatNumber(members.total)} unit="人" />
                  <Figure label="已核实" value={formatNumber(members.verified)} unit="人" />
                  <Figure label="待核实" value={formatNumber(members.pending)} unit="人" />
                  <Figure label="已核实户数" value={formatNumber(members.households)} unit="户" />
                </Figures>
              </Card>
              {Object.entries(sections).map(([key, section]) => {
                const figures = figuresOf(section);
                return (
                  <Card key={key} title={sectionTitle(key)}>
                    {figures.length === 0 ? (
                      <View className="muted">暂无数据</View>
                    ) : (
                      <Figures>
                        {figures.map((f) => (
                          <Figure key={f.label} label={f.label} value={f.value} unit={f.unit} text={f.text} />
                        ))}
                      </Figures>
                    )}
                  </Card>
                );
              })}
              <Button block variant="secondary" loading={stats.loading} loadingText="正在刷新…" onClick={() => void stats.reload()}>
                刷新统计
              </Button>
            </>
          );
        }}
      </Async>
    </PageShell>
  );
}
