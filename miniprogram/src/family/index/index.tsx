import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import type { FamilyLink } from '@contract/family';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go } from '../../nav';
import { confirm, toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { LinkCodeMaker } from '../link-code';
import { startProxyMode, useProxyMode } from '../proxy-mode';
import '../family.css';

/** 亲情代办: as the elder, the code to show and the family members who help; as a family member, the elders I help. */
export default function Family() {
  const { cid, membership } = useCurrentCommunity();
  const family = useRequest(() => api('myFamily'), []);
  useDidShow(() => void family.reload());
  const mode = useProxyMode();
  const confirmLink = useSubmit((key, id: string) => api('confirmLink', { params: { id }, idempotencyKey: key }));
  const endLink = useSubmit((key, id: string) => api('endLink', { params: { id }, idempotencyKey: key }));

  const end = async (link: FamilyLink, who: string) => {
    if (!(await confirm('结束代办', `结束后${who}将不能再代办，需要时可重新关联。`, '结束代办', { cancelText: '保留', destructive: true }))) return;
    if (await endLink.run(link.id)) {
      toast('已结束代办', 'success');
      void family.reload();
    }
  };

  return (
    <PageShell className="stack">
      <Async state={family}>
        {(f) => (
          <>
            {membership?.verified ? (
              <Card title="请家人帮我办事">
                <View className="family-muted">请家人用自己的微信扫码或输入代办码，您确认后，TA 可以为您预约、取号、查看志愿时长。投票和议事须由您本人参与。最多 3 位家人。</View>
                <LinkCodeMaker make={(key) => api('createLinkCode', { body: { communityId: cid ?? '' }, idempotencyKey: key })} />
              </Card>
            ) : null}
            <Card title="帮我办事的家人">
              {f.proxies.length === 0 ? <Empty title="还没有代办家人" text="生成代办码请家人扫码，或到社区窗口办理。" /> : null}
              {f.proxies.map((l) => (
                <View key={l.id} className="family-row">
                  <View>
                    <View>{l.proxyName}</View>
                    <StatusTag tone={l.status === 'active' ? 'ok' : 'pending'}>{l.status === 'active' ? '代办中' : '等待您确认'}</StatusTag>
                  </View>
                  <View className="family-actions">
                    {l.status === 'pending' ? (
                      <Button
                        small
                        loading={confirmLink.busy}
                        onClick={async () => {
                          if (await confirmLink.run(l.id)) {
                            toast('已确认', 'success');
                            void family.reload();
                          }
                        }}
                      >
                        确认
                      </Button>
                    ) : null}
                    <Button small variant="danger" onClick={() => void end(l, l.proxyName)}>结束</Button>
                  </View>
                </View>
              ))}
            </Card>
            <Card title="我帮助的家人">
              {f.elders.length === 0 ? (
                <Empty title="还没有为家人代办" text="请家人出示代办码，输入后由家人确认。" action={{ text: '输入代办码', onClick: () => go(PAGES.familyLink) }} />
              ) : null}
              {f.elders.map((l) => (
                <View key={l.id} className="family-row">
                  <View>
                    <View>{l.elderName}</View>
                    <StatusTag tone={l.status === 'active' ? 'ok' : 'pending'}>{l.status === 'active' ? '可以代办' : '等待对方确认'}</StatusTag>
                  </View>
                  <View className="family-actions">
                    {l.status === 'active' && mode?.elderId !== l.elderId ? (
                      <Button
                        small
                        onClick={() => {
                          startProxyMode({ elderId: l.elderId, elderName: l.elderName });
                          toast(`正在为 ${l.elderName} 代办`, 'success');
                        }}
                      >
                        为TA办事
                      </Button>
                    ) : null}
                    <Button small variant="danger" onClick={() => void end(l, '您')}>结束</Button>
                  </View>
                </View>
              ))}
              {f.elders.length > 0 ? <Button block variant="plain" onClick={() => go(PAGES.familyLink)}>输入新的代办码</Button> : null}
            </Card>
          </>
        )}
      </Async>
    </PageShell>
  );
}
