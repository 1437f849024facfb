import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import type { ApiResponse } from '../../api/client';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag, type Tone } from '../../components/status-tag';
import { Tile, Tiles } from '../../components/tile';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { PAGES, go } from '../../nav';
import { useCurrentCommunity } from '../../store/community';
import { instantText } from '../../components/date-time-picker';
import './index.css';

type Consultation = ApiResponse<'getConsultation'>;

/** The states in the order people care about them, each with a word (never colour alone). */
const GROUPS: { state: Consultation['state']; title: string; tag: string; tone: Tone }[] = [
  { state: 'open', title: '正在投票', tag: '投票中', tone: 'ok' },
  { state: 'upcoming', title: '即将开始', tag: '未开始', tone: 'info' },
  { state: 'closed', title: '已截止，待公开决定', tag: '已截止', tone: 'pending' },
  { state: 'published', title: '结果与落实（两公开）', tag: '已公开', tone: 'info' },
];

/** 议事: consultations of the community by state, and the way to topics (征集) and, for staff, a new consultation. */
export default function Consult() {
  const me = useMe();
  const { cid, staff } = useCurrentCommunity();
  const list = useRequest(() => api('listConsultations', { params: { cid: cid ?? '' }, query: { limit: 50 } }), [cid], Boolean(cid));
  useDidShow(() => {
    if (cid) void list.reload();
  });

  if (!cid) {
    return (
      <PageShell className="stack">
        <Empty
          title={me.signedOut ? '请先登录' : '加入社区后参与议事'}
          text="议事协商：提出议题、参与讨论、投票表决，结果和落实情况向全体居民公开。"
          action={me.signedOut ? { text: '去登录', onClick: () => go(PAGES.login) } : { text: '加入社区', onClick: () => go(PAGES.join) }}
        />
      </PageShell>
    );
  }

  return (
    <PageShell className="stack">
      <Tiles>
        <Tile title="议题征集" text="提出议题，附议邻居的提议" onClick={() => go(PAGES.consultationTopics)} />
        {staff ? <Tile title="发起协商" text="设置选项、时间和投票资格" onClick={() => go(PAGES.consultationEditor)} /> : null}
      </Tiles>
      <Async
        state={list}
        isEmpty={(page) => page.items.length === 0}
        empty={<Empty title="暂无协商事项" text="社区发起协商后会出现在这里。您可以先在“议题征集”里提出议题。" />}
      >
        {(page) => (
          <>
            {GROUPS.map((group) => {
              const items = page.items.filter((c) => c.state === group.state);
              if (items.length === 0) return null;
              return (
                <View key={group.state} className="stack consult__group">
                  <View className="h2">{group.title}</View>
                  {items.map((c) => (
                    <Card key={c.id} title={<View className="consult__title">{c.title}</View>} extra={<StatusTag tone={group.tone}>{group.tag}</StatusTag>}>
                      <View className="muted">
                        {c.eligibility === 'household' ? '一户一票' : '每位已核实居民一票'}
                        {c.maxChoices > 1 ? ` · 最多选 ${c.maxChoices} 项` : ' · 单选'}
                      </View>
                      <View className="muted">
                        投票时间：{instantText(c.opensAt)} 至 {instantText(c.closesAt)}
                      </View>
                      <View className="consult__action">
                        <Button block variant={c.state === 'open' ? 'primary' : 'secondary'} onClick={() => go(PAGES.consultationDetail, { id: c.id })}>
                          {c.state === 'open' ? `参与投票：${c.title}` : `查看：${c.title}`}
                        </Button>
                      </View>
                    </Card>
                  ))}
                </View>
              );
            })}
            {page.next ? <View className="muted">仅显示最近 50 项</View> : null}
          </>
        )}
      </Async>
    </PageShell>
  );
}
