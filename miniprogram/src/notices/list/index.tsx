import { useState } from 'react';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { NOTICE_TEMPLATE, type NoticeCategory } from '@contract/notice-labels';
import { api } from '../../api/client';
import { tappable } from '../../components/a11y';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { dateText } from '../../components/date-time-picker';
import { PageShell } from '../../components/page-shell';
import { LoadMore } from '../../components/load-more';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { Tile, Tiles } from '../../components/tile';
import { useMe } from '../../hooks/use-me';
import { usePaged } from '../../hooks/use-paged';
import { PAGES, go } from '../../nav';
import { platformName, toast } from '../../platform';
import { useSubscribe } from '../../platform/subscriptions';
import { useCurrentCommunity } from '../../store/community';
import { CATEGORIES, NOTICE_CATEGORY_LABEL, STATE_TAG, type NoticeSummary } from '../shared';

/** 居务公开: the community's notices by category, pinned first, newest first, with unread marks. */
export default function NoticeList() {
  const me = useMe();
  const { cid, staff } = useCurrentCommunity();
  const [category, setCategory] = useState<NoticeCategory | undefined>(undefined);
  const list = usePaged(
    (cursor) => api('listNotices', { params: { cid: cid ?? '' }, query: { limit: 20, cursor, ...(category ? { category } : {}) } }),
    [cid, category],
    Boolean(cid),
  );
  // Back from a notice: its unread mark is gone.
  useDidShow(() => {
    if (cid && list.first.data) void list.first.reload();
  });

  if (!cid) {
    return (
      <PageShell className="stack">
        <Empty
          title={me.signedOut ? '请先登录' : '加入社区后查看公告'}
          text="居务、财务、党务公开和社区通知都在这里发布。"
          action={me.signedOut ? { text: '去登录', onClick: () => go(PAGES.login) } : { text: '加入社区', onClick: () => go(PAGES.join) }}
        />
      </PageShell>
    );
  }

  const tabs: { key: NoticeCategory | undefined; label: string }[] = [{ key: undefined, label: '全部' }, ...CATEGORIES.map((key) => ({ key, label: NOTICE_CATEGORY_LABEL[key] }))];
  return (
    <PageShell className="stack">
      {staff ? (
        <Tiles>
          <Tile title="发布公告" text="通知、活动、居务财务党务公开" onClick={() => go(PAGES.noticeEditor)} />
        </Tiles>
      ) : null}
      <View className="tabs" role="tablist" aria-label="公告分类">
        {tabs.map((tab) => {
          const on = tab.key === category;
          const choose = () => setCategory(tab.key);
          return (
            <View key={tab.label} className={`tab ${on ? 'tab--on' : ''}`} {...tappable(choose)} role="tab" aria-selected={on} onClick={choose}>
              {tab.label}
            </View>
          );
        })}
      </View>
      {category && platformName === 'weapp' ? <Subscribe key={category} category={category} /> : null}
      <Async
        state={list.first}
        isEmpty={(page) => page.items.length === 0}
        empty={<Empty title="暂无公告" text={category ? `还没有${NOTICE_CATEGORY_LABEL[category]}。` : '社区发布公告后会出现在这里。'} />}
      >
        {(page) => (
          <>
            {[...page.items, ...list.more].map((n) => (
              <NoticeCard key={n.id} n={n} />
            ))}
            <LoadMore paged={list} />
          </>
        )}
      </Async>
    </PageShell>
  );
}

/** Asks WeChat for one message the next time a notice of this category is sent (one-time subscription). */
function Subscribe({ category }: { category: NoticeCategory }) {
  const ask = useSubscribe([NOTICE_TEMPLATE[category]]);
  const label = NOTICE_CATEGORY_LABEL[category];
  return (
    <Button
      block
      variant="secondary"
      onClick={async () => {
        const accepted = await ask();
        toast(accepted.length ? `已订阅：下一条${label}发布时会通知您` : '没有订阅');
      }}
    >
      有新的{label}时通知我
    </Button>
  );
}

function NoticeCard({ n }: { n: NoticeSummary }) {
  const open = () => go(PAGES.noticeDetail, { id: n.id });
  const unread = n.read === false;
  return (
    <Card>
      {/* Named by what it shows (title, 未读, 置顶, category, date), as it reads on screen. */}
      <View {...tappable(open, { role: 'link' })} onClick={open}>
        <View className="notice-card__title">{n.title}</View>
        <View className="notice-card__meta">
          {unread ? (
            <View className="unread">
              <View className="unread__dot" />
              未读
            </View>
          ) : null}
          {n.pinned ? <StatusTag tone="pending">置顶</StatusTag> : null}
          <StatusTag tone="info">{NOTICE_CATEGORY_LABEL[n.category]}</StatusTag>
          {n.state !== 'showing' ? <StatusTag tone={STATE_TAG[n.state].tone}>{STATE_TAG[n.state].text}</StatusTag> : null}
          <View className="muted">{dateText(n.displayFrom.slice(0, 10))}</View>
        </View>
      </View>
    </Card>
  );
}
