import { useState } from 'react';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go } from '../../nav';
import { toast } from '../../platform';
import { downloadCertificate, hoursText } from '../shared';
import '../shared.css';

/** 我的时长: total verified hours, the yearly summary, the ledger (台帐), and the certificate. */
export default function Hours() {
  const mine = useRequest(() => api('myVolunteer'), []);
  useDidShow(() => void mine.reload());
  const [issued, setIssued] = useState<{ code: string; url?: string } | undefined>(undefined);
  const certificate = useSubmit(async () => downloadCertificate(mine.data?.communityId));

  return (
    <PageShell className="stack">
      <Async state={mine}>
        {(v) => (
          <>
            <Card title="累计志愿服务时长" extra={<StatusTag tone={v.status === 'approved' ? 'ok' : 'pending'}>{v.status === 'approved' ? '注册志愿者' : v.status === 'pending' ? '待审核' : '未通过'}</StatusTag>}>
              <View className="vol-big" aria-label={`累计 ${hoursText(v.totalHours)} 小时`}>{hoursText(v.totalHours)} 小时</View>
              <View className="vol-muted">{v.communityName}，经社区工作人员认定</View>
            </Card>
            <Card title="志愿服务记录证明">
              <View className="vol-muted">证明由社区居民委员会出具，附证明编号和核验二维码，任何人可凭编号核验。</View>
              <View className="vol-actions">
                <Button
                  block
                  disabled={v.entries.length === 0}
                  loading={certificate.busy}
                  loadingText="正在生成证明…"
                  onClick={async () => {
                    const result = await certificate.run();
                    if (result) {
                      setIssued(result);
                      toast('证明已生成', 'success');
                    }
                  }}
                >
                  {v.entries.length === 0 ? '暂无服务记录，无法出具' : '下载志愿服务记录证明（PDF）'}
                </Button>
              </View>
              {issued ? (
                <View className="vol-facts" style={{ marginTop: '10px' }}>
                  <View>证明编号：<View className="vol-code" style={{ display: 'inline' }}>{issued.code}</View></View>
                  {issued.url ? (
                    <Button block variant="secondary" onClick={() => window.open(issued.url, '_blank')}>预览 PDF</Button>
                  ) : null}
                  <Button block variant="plain" onClick={() => go(PAGES.certificateCheck, { code: issued.code })}>核验此证明</Button>
                </View>
              ) : null}
            </Card>
            <Card title="年度汇总">
              {v.years.length === 0 ? <View className="vol-muted">暂无记录</View> : null}
              {v.years.map((y) => (
                <View key={y.year} className="vol-entry">
                  <View>{y.year} 年</View>
                  <View>{hoursText(y.hours)} 小时 · {y.services} 次服务{y.corrections ? ` · ${y.corrections} 次更正` : ''}</View>
                </View>
              ))}
            </Card>
            <Card title="服务台帐">
              {v.entries.length === 0 ? <Empty title="暂无已认定的服务" text="参加活动并由工作人员认定后，时长会记在这里。" /> : null}
              {v.entries.map((e) => (
                <View key={e.id} className="vol-entry">
                  <View>
                    <View>{e.kind === 'service' ? e.title : `更正：${e.reason ?? ''}`}</View>
                    <View className="vol-muted">{e.date}{e.kind === 'correction' ? '（更正记录）' : ''}</View>
                  </View>
                  <View>{e.hours > 0 ? '+' : ''}{hoursText(e.hours)} 小时</View>
                </View>
              ))}
            </Card>
          </>
        )}
      </Async>
    </PageShell>
  );
}
