import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Async } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useRequest } from '../../hooks/use-request';
import { PAGES, go } from '../../nav';
import { EscortFacts, useTakeEscort, type Escort } from '../../escorts/shared';

/** The most escorts the card lists (those matching the volunteer's skills come first). */
const SHOWN = 10;

/**
 * 陪同需求 for an approved volunteer: residents who asked for someone to go with them to the
 * service hall, not yet taken, those needing the volunteer's own skill first. 认领 after a confirm.
 */
export function EscortNeeds({ cid }: { cid: string }) {
  const list = useRequest(() => api('listEscorts', { params: { cid }, query: { limit: SHOWN } }), [cid]);
  useDidShow(() => void list.reload());
  const take = useTakeEscort();
  const taken = async (e: Escort) => {
    if (await take.run(e)) go(PAGES.escortDetail, { id: e.id });
    void list.reload();
  };
  return (
    <Card title="陪同需求" extra={list.data ? <StatusTag tone="info">{`${list.data.items.length} 项待认领`}</StatusTag> : null}>
      <View className="vol-muted">居民预约办事时申请了志愿者陪同：认领后可看到居民的联系方式，陪同时长办结后认定。</View>
      <Async state={list} isEmpty={(p) => p.items.length === 0} empty={<View className="vol-muted esc-gap">暂时没有需要陪同的居民，有新的需求会显示在这里。</View>}>
        {(p) => (
          <View className="esc-list">
            {p.items.map((e) => (
              <View key={e.id} className="esc-item">
                <View className="row row--between">
                  <View className="h2">{e.serviceName}</View>
                  {e.matchesMySkills ? <StatusTag>符合我的技能</StatusTag> : null}
                </View>
                <EscortFacts escort={e} />
                <View className="esc-actions">
                  <Button loading={take.busy} loadingText="正在认领…" onClick={() => void taken(e)}>认领</Button>
                  <Button variant="secondary" onClick={() => go(PAGES.escortDetail, { id: e.id })}>查看详情</Button>
                </View>
              </View>
            ))}
          </View>
        )}
      </Async>
    </Card>
  );
}
