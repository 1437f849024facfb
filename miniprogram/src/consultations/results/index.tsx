import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Figure, Figures } from '../../components/figure';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useRequest } from '../../hooks/use-request';
import { PAGES, go, useQuery } from '../../nav';
import { instantText } from '../../components/date-time-picker';
import { BarChart, STATE_TAG, ruleText } from '../shared';

/** 投票结果 (两公开): tally as a bar chart, ballots, eligible, turnout, quorum, then the decision. */
export default function ResultsPage() {
  const { id } = useQuery();
  const consultation = useRequest(() => api('getConsultation', { params: { id: id ?? '' } }), [id], Boolean(id));
  if (!id) return <PageShell><Empty title="未找到该协商" /></PageShell>;
  return (
    <PageShell className="stack">
      <Async state={consultation}>
        {(c) => {
          const r = c.results;
          if (!r) {
            return (
              <Empty
                title="投票尚未结束"
                text={`结果将在 ${instantText(c.closesAt)} 投票截止后公布。截止前任何人（包括工作人员）都看不到计票。`}
                action={{ text: '刷新', onClick: () => void consultation.reload() }}
              />
            );
          }
          const unit = c.eligibility === 'household' ? '户' : '人';
          return (
            <>
              <Card title={<View className="h1">{c.title}</View>} extra={<StatusTag tone={STATE_TAG[c.state].tone}>{STATE_TAG[c.state].text}</StatusTag>}>
                <View className="muted">{ruleText(c)}</View>
                <View className="muted">截止时间：{instantText(c.closesAt)}</View>
              </Card>
              <Figures>
                <Figure label="投票" value={r.ballots} unit={unit} />
                <Figure label="有投票资格" value={r.eligible} unit={unit} />
                <Figure label="参与率" value={r.turnoutPercent} unit="%" />
              </Figures>
              <Card title="各选项得票">
                <BarChart options={c.options} results={r} />
                {c.maxChoices > 1 ? <View className="muted">本次可多选，各选项票数之和为选择次数；百分比按投票{unit}数计算。</View> : null}
              </Card>
              <Card
                title="有效性"
                extra={
                  r.quorumPercent === undefined ? (
                    <StatusTag tone="info">未设参与率要求</StatusTag>
                  ) : (
                    <StatusTag tone={r.quorumMet ? 'ok' : 'danger'}>{r.quorumMet ? '达到法定参与率' : '未达到法定参与率'}</StatusTag>
                  )
                }
              >
                {r.quorumPercent !== undefined ? (
                  <View>
                    需 {r.quorumPercent}% 参与，即至少 {r.requiredBallots} {unit}；实际 {r.ballots} {unit}。
                  </View>
                ) : (
                  <View>本次未设参与率要求。</View>
                )}
                <View className="muted">有投票资格的{unit}数按投票截止时已核实的{c.eligibility === 'household' ? '住户' : '居民'}统计。</View>
              </Card>
              {c.decision ? (
                <Card title="公开的决定">
                  <View className="detail__body">{c.decision}</View>
                  {c.updates?.map((u, i) => (
                    <View key={i} className="comment">
                      <View className="muted">落实情况 · {instantText(u.at)}</View>
                      <View>{u.text}</View>
                    </View>
                  ))}
                </Card>
              ) : (
                <Card title="决定">
                  <View className="muted">社区工作人员将根据投票结果公开决定。</View>
                </Card>
              )}
              <Button block variant="secondary" onClick={() => go(PAGES.consultationDetail, { id: c.id })}>
                查看议题详情与讨论
              </Button>
            </>
          );
        }}
      </Async>
    </PageShell>
  );
}
