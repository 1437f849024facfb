import { useState } from 'react';
import { Picker, View } from '@tarojs/components';
import { api, type ApiResponse } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { TicketStatusTag, hhmm, type Ticket } from '../shared';
import './index.css';

type Hall = ApiResponse<'getHall'>;

/** 窗口叫号 (staff): pick a window, open it, call next, recall, skip, transfer, complete. */
export default function WindowConsole() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const [no, setNo] = useState<number | undefined>(query.no ? Number(query.no) : undefined);
  const hall = useRequest(() => api('getHall', { params: { cid: cid ?? '' } }), [cid], Boolean(cid));
  const board = useRequest(() => api('board', { params: { cid: cid ?? '' } }), [cid], Boolean(cid));

  if (!cid) {
    return (
      <PageShell>
        <Empty title="请先选择社区" />
      </PageShell>
    );
  }
  const refresh = () => {
    void hall.reload();
    void board.reload();
  };
  return (
    <PageShell className="stack">
      <Async state={hall} isEmpty={(h) => h.windows.length === 0} empty={<Empty title="大厅尚未设置窗口" />}>
        {(h) => (
          <>
            <View className="h2">选择窗口</View>
            <View className="q-windows">
              {h.windows.map((w) => (
                <Button key={w.no} small variant={w.no === no ? 'primary' : 'secondary'} onClick={() => setNo(w.no)}>
                  {`${w.no} 号窗口${w.open ? '' : '（未开）'}`}
                </Button>
              ))}
            </View>
            {no !== undefined && h.windows.some((w) => w.no === no) ? (
              <View className="desk-split">
                <View className="stack">
                  <WindowPanel key={no} cid={cid} hall={h} no={no} waiting={board.data?.waiting} onChanged={refresh} />
                </View>
                <WaitingList key={`w${no}`} cid={cid} categories={h.windows.find((w) => w.no === no)?.categories ?? []} version={board.data?.seq} />
              </View>
            ) : (
              <View className="muted">请选择您所在的窗口。</View>
            )}
          </>
        )}
      </Async>
    </PageShell>
  );
}

function WindowPanel({ cid, hall, no, waiting, onChanged }: { cid: string; hall: Hall; no: number; waiting?: Record<string, number>; onChanged: () => void }) {
  const w = hall.windows.find((x) => x.no === no)!;
  const [ticket, setTicket] = useState<Ticket | undefined>(undefined);
  const currentId = ticket?.id ?? w.current?.id;
  const current = useRequest(() => api('getTicket', { params: { id: currentId ?? '' } }), [currentId], Boolean(currentId) && !ticket);
  const shown = ticket ?? current.data;

  const toggle = useSubmit((key) => api(w.open ? 'closeWindow' : 'openWindow', { params: { cid, no: String(no) }, idempotencyKey: key }));
  const next = useSubmit((key) => api('callNext', { params: { cid, no: String(no) }, idempotencyKey: key }), { quiet: true });
  const act = useSubmit((key, name: 'recall' | 'skip' | 'completeTicket', id: string) => api(name, { params: { id }, idempotencyKey: key }));
  const move = useSubmit((key, id: string, category: string) => api('transfer', { params: { id }, body: { category }, idempotencyKey: key }));

  const onNext = async () => {
    // QUEUE_EMPTY is an expected answer: shown inline below, not as a failure toast.
    const called = await next.run();
    if (called) setTicket(called);
    onChanged();
  };
  const onAct = async (name: 'recall' | 'skip' | 'completeTicket', text: string) => {
    if (!shown) return;
    if (name === 'skip' && !(await confirm('过号', `${shown.number} 号将按未到场处理，不再呼叫；居民需重新取号。`, '过号', { cancelText: '再等等', destructive: true }))) return;
    const after = await act.run(name, shown.id);
    if (after) {
      setTicket(after);
      toast(text, 'success');
      onChanged();
    }
  };
  const onMove = async (category: string) => {
    if (!shown) return;
    const after = await move.run(shown.id, category);
    if (after) {
      toast(`${after.number} 号已转到 ${category} 类`, 'success');
      setTicket(undefined);
      onChanged();
    }
  };

  const serving = shown?.status === 'called';
  const waitingHere = w.categories.reduce((sum, c) => sum + (waiting?.[c] ?? 0), 0);
  const nextError = next.error as { code?: string; message?: string } | undefined;
  return (
    <>
      <Card title={<View className="h2">{`${no} 号窗口 · 办理 ${w.categories.join('、')} 类`}</View>} extra={<View>{w.open ? '已开放' : '未开放'}</View>}>
        <View className="q-line"><View className="q-line__label">本窗口可叫等候</View><View>{`${waitingHere} 人`}</View></View>
        <View className="q-line">
          <View className="q-line__label">各类等候</View>
          <View>{w.categories.map((c) => `${c}：${waiting?.[c] ?? 0}`).join('　')}</View>
        </View>
        <Button block variant={w.open ? 'secondary' : 'primary'} loading={toggle.busy} onClick={() => void toggle.run().then(onChanged)}>
          {w.open ? '暂停本窗口（关窗）' : '开放本窗口'}
        </Button>
      </Card>
      {w.open ? (
        <>
          {/* One person at a time: the next number waits until the one at the window is done. */}
          <Button block disabled={serving} loading={next.busy} loadingText="正在叫号…" onClick={() => void onNext()}>
            叫下一个号
          </Button>
          {serving ? <View className="muted" role="note">{`请先为 ${shown?.number ?? ''} 号办结或过号，再叫下一个号`}</View> : null}
        </>
      ) : null}
      {nextError && !next.busy ? <View className="q-notice" role="status">{nextError.code === 'QUEUE_EMPTY' ? '当前没有等候的号码' : nextError.message}</View> : null}
      {shown ? (
        <Card title={<View className="q-number">{shown.number}</View>} extra={<TicketStatusTag status={shown.status} />}>
          {shown.priority ? <View>{`优先号：${shown.priorityReason ?? '绿色通道'}`}</View> : null}
          {shown.notice ? <View className="q-notice">{shown.notice}</View> : null}
          <View className="q-line"><View className="q-line__label">取号时间</View><View>{hhmm(shown.issuedAt)}</View></View>
          {shown.calledAt ? <View className="q-line"><View className="q-line__label">呼叫时间</View><View>{hhmm(shown.calledAt)}</View></View> : null}
          {shown.status === 'called' ? (
            <View className="q-stack">
              <View className="q-actions">
                <Button variant="secondary" loading={act.busy} onClick={() => void onAct('recall', '已重呼')}>重呼</Button>
                <Button variant="danger" loading={act.busy} onClick={() => void onAct('skip', '已过号')}>过号</Button>
              </View>
              <Button block loading={act.busy} onClick={() => void onAct('completeTicket', '已办结')}>办结</Button>
              <View className="muted">转到其他类别（按原取号时间排队）：</View>
              <View className="q-windows">
                {hall.categories.filter((c) => c.code !== shown.category).map((c) => (
                  <Button key={c.code} small variant="plain" loading={move.busy} onClick={() => void onMove(c.code)}>
                    {`转 ${c.code} ${c.name}`}
                  </Button>
                ))}
              </View>
            </View>
          ) : null}
        </Card>
      ) : current.loading && currentId ? null : (
        <Empty title="本窗口暂无正在办理的号码" text="点击「叫下一个号」开始叫号。" />
      )}
    </>
  );
}

const PRIORITY_REASONS: string[] = ['70 岁以上老人', '残疾人', '孕妇', '其他困难群众'];

/** The window's waiting tickets in calling order; staff may mark one as priority (绿色通道). */
function WaitingList({ cid, categories, version }: { cid: string; categories: string[]; version?: number }) {
  const list = useRequest(() => api('waitingTickets', { params: { cid } }), [cid, version]);
  const mark = useSubmit((key, id: string, reason: string) => api('priority', { params: { id }, body: { reason }, idempotencyKey: key }));
  const onMark = async (t: Ticket, reason: string) => {
    if (await mark.run(t.id, reason)) {
      toast(`${t.number} 号已设为优先`, 'success');
      void list.reload();
    }
  };
  return (
    <Card title={<View className="h2">等候中的号码</View>} extra={<Button small variant="plain" onClick={() => void list.reload()}>刷新</Button>}>
      <Async
        state={list}
        isEmpty={(d) => d.items.every((t) => !categories.includes(t.category))}
        empty={<View className="muted">本窗口的类别暂无等候</View>}
      >
        {(d) => (
          <View className="q-stack">
            {d.items
              .filter((t) => categories.includes(t.category))
              .map((t) => (
                <View key={t.id} className="q-line">
                  <View>{`${t.number} · 第 ${t.position ?? '-'} 位${t.priority ? ` · 优先（${t.priorityReason ?? '绿色通道'}）` : ''}`}</View>
                  {/* The reason is chosen on the row it applies to, so it cannot be left over from another. */}
                  {t.priority ? null : (
                    <Picker mode="selector" range={PRIORITY_REASONS} onChange={(e) => void onMark(t, PRIORITY_REASONS[Number(e.detail.value)] ?? '其他困难群众')}>
                      <View className="q-priority" role="button" aria-label={`将 ${t.number} 号设为优先，点按选择原因`}>设为优先…</View>
                    </Picker>
                  )}
                </View>
              ))}
          </View>
        )}
      </Async>
    </Card>
  );
}
