import { useCallback, useEffect, useRef, useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { tappable } from '../../components/a11y';
import { dateText, localParts, timeText } from '../../components/date-time-picker';
import { QrCode } from '../../components/qr-code';
import { useRequest } from '../../hooks/use-request';
import { ErrorState, Loading } from '../../components/state';
import { PAGES, useQuery } from '../../nav';
import { currentToken } from '../../store/session';
import type { BoardMessage } from '@contract/queue';
import { boardSocketUrl, callText, hhmm, hoursText, type Board } from '../shared';
import './index.css';

/** Polling while the socket is down; a slow safety poll while it is up (ms). */
const POLL_FAST = 1500;
const POLL_SLOW = 15000;
/** The clock's refresh (ms): minutes shown, so a few seconds late is never seen. */
const CLOCK_TICK = 5000;

/** The wall clock of the hall (China time for every community so far), for the board's foot. */
function HallClock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), CLOCK_TICK);
    return () => clearInterval(timer);
  }, []);
  const { date, time } = localParts(now, 'Asia/Shanghai');
  return (
    <View className="tv__clock" role="timer" aria-label={`现在是 ${dateText(date)} ${timeText(time)}`}>
      <View className="tv__clock-time">{time}</View>
      <View className="tv__clock-date">{dateText(date, { year: true })}</View>
    </View>
  );
}

/** The QR's side: a fifth of the screen's height, big enough to scan from a few steps away. */
const QR_SIZE = typeof window === 'undefined' ? 150 : Math.max(120, Math.round(window.innerHeight * 0.2));

/** The page a take-a-number QR opens, in this H5 app (the board runs only on h5). */
const takeLink = (path: string): string => (typeof window === 'undefined' ? `/${path}` : `${window.location.origin}${window.location.pathname}#/${path}`);

/**
 * The board's foot: the clock, the hall's 办理时间, and today's take-a-number QR. The QR carries the day's hall token,
 * which only staff may read: a board opened from 工作台 (staff signed in) shows it; otherwise it
 * points to the printed poster.
 */
function BoardFoot({ cid, hours }: { cid: string; hours: Board['hours'] }) {
  const qr = useRequest(() => api('hallQr', { params: { cid } }), [cid], Boolean(currentToken()));
  return (
    <View className="tv__foot">
      <HallClock />
      <View className="tv__take">
        {qr.data ? <QrCode text={takeLink(qr.data.path)} size={QR_SIZE} label="扫码取号二维码" /> : null}
        <View className="tv__take-text">
          <View className="tv__take-title">扫码取号</View>
          <View>{qr.data ? '用微信或手机相机扫描左侧二维码，选择业务即可取号；叫到号码时手机会提醒。' : '请扫描大厅门口的取号海报取号，叫到号码时手机会提醒。'}</View>
          {hours.length ? <View>办理时间：{hoursText(hours)}</View> : null}
        </View>
      </View>
    </View>
  );
}

/** While unpaired the board asks the socket where it stands this often: a fresh code, or paired (ms). */
const ASK_PAIRING = 10000;

type SpeechWindow = Window & { speechSynthesis?: SpeechSynthesis; SpeechSynthesisUtterance?: typeof SpeechSynthesisUtterance };

function speak(text: string): void {
  const w = (typeof window === 'undefined' ? undefined : window) as SpeechWindow | undefined;
  if (!w?.speechSynthesis || !w.SpeechSynthesisUtterance) return;
  const utterance = new w.SpeechSynthesisUtterance(text);
  utterance.lang = 'zh-CN';
  utterance.rate = 0.9;
  w.speechSynthesis.speak(utterance);
}

/**
 * 大厅叫号屏: the hall's TV (landscape, large type, no login), `#/queue/board/index?cid=<cid>`.
 * Live over the WebSocket (`?ws=` overrides its URL), polling when it drops; every new call is
 * announced aloud once the 点击开启语音播报 button has been tapped (browsers require a tap).
 * A new socket is unpaired and receives no calls: the board shows its pairing code large until
 * staff enter it on the hall page (配对大厅显示屏), meanwhile it keeps the public polling.
 */
export default function HallBoard() {
  const { cid, ws } = useQuery();
  const [board, setBoard] = useState<Board | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [voice, setVoice] = useState(false);
  const [live, setLive] = useState(false);
  const [pairingCode, setPairingCode] = useState<string | undefined>(undefined);
  const seen = useRef<number | undefined>(undefined);
  const voiceOn = useRef(false);

  const accept = useCallback((next: Board) => {
    const last = seen.current;
    if (last !== undefined && next.seq < last) return; // an older answer arriving late
    if (last !== undefined && next.seq > last && voiceOn.current) {
      next.recent
        .filter((c) => c.seq > last)
        .sort((a, b) => a.seq - b.seq)
        .forEach((c) => speak(callText(c.number, c.window)));
    }
    seen.current = next.seq;
    setBoard(next);
    setError(undefined);
  }, []);

  const load = useCallback(async () => {
    if (!cid) return;
    try {
      accept(await api('board', { params: { cid } }));
    } catch (failure) {
      setError(failure);
    }
  }, [cid, accept]);

  // Polling: fast while the socket is down.
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), live ? POLL_SLOW : POLL_FAST);
    return () => clearInterval(timer);
  }, [load, live]);

  // The WebSocket, reconnecting after a drop.
  useEffect(() => {
    const url = cid ? boardSocketUrl(cid, ws) : undefined;
    if (!url || typeof WebSocket === 'undefined') return undefined;
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      socket = new WebSocket(url);
      const ask = () => socket?.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ action: 'hello' }));
      socket.onopen = () => ask();
      socket.onmessage = (event) => {
        try {
          const message = JSON.parse(String(event.data)) as Partial<BoardMessage>;
          if (message.type === 'pairing' && message.code) {
            setLive(false);
            setPairingCode(message.code);
            if (retry) clearTimeout(retry);
            retry = setTimeout(ask, ASK_PAIRING);
          }
          if (message.type === 'paired') {
            setPairingCode(undefined);
            setLive(true);
          }
          if (message.type === 'call' && message.board) accept(message.board);
        } catch {
          // not ours: ignored
        }
      };
      socket.onclose = () => {
        setLive(false);
        if (retry) clearTimeout(retry);
        if (!stopped) retry = setTimeout(open, 5000);
      };
    };
    open();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      socket?.close();
    };
  }, [cid, ws, accept]);

  const enableVoice = () => {
    voiceOn.current = true;
    setVoice(true);
    speak('语音播报已开启');
  };

  if (!cid) return <View className="tv"><View className="tv__empty">{`请在地址中指定社区：#${PAGES.queueBoard}?cid=社区编号`}</View></View>;
  if (!board && error) return <View className="tv"><ErrorState error={error} onRetry={() => void load()} /></View>;
  if (!board) return <View className="tv"><Loading text="正在连接服务大厅…" /></View>;

  const latest = board.recent[0];
  const name = (code: string) => board.categories.find((c) => c.code === code)?.name ?? code;
  return (
    <View className="tv">
      {voice ? null : (
        <View className="tv__voice" {...tappable(enableVoice)} onClick={enableVoice}>
          <View className="tv__voice-btn">点击开启语音播报</View>
          <View className="tv__voice-hint">浏览器需要点击一次才能播放叫号语音</View>
        </View>
      )}
      {pairingCode ? (
        <View className="tv__pairing" aria-live="polite">
          <View className="tv__pairing-label">显示屏配对码</View>
          <View className="tv__pairing-code">{pairingCode}</View>
          <View className="tv__pairing-hint">请工作人员在「大厅布局」页的「配对大厅显示屏」中输入此配对码；配对前本屏自动刷新</View>
        </View>
      ) : null}
      <View className="tv__head">
        <View className="tv__title">{`${board.communityName ?? ''} 便民服务大厅`}</View>
        <View className="tv__status">
          {live ? '实时连接' : '自动刷新'}
          {voice ? ' · 语音播报已开启' : ''}
        </View>
      </View>
      <View className="tv__main">
        <View className="tv__now" aria-live="assertive">
          {latest ? (
            <>
              <View className="tv__now-label">{latest.recall ? '重复呼叫' : '正在呼叫'}</View>
              <View className="tv__now-text">
                请 <View className="tv__em">{latest.number}</View> 号到 <View className="tv__em">{latest.window}</View> 号窗口办理
              </View>
            </>
          ) : (
            <View className="tv__now-text">欢迎光临，请取号等候</View>
          )}
        </View>
        <View className="tv__side">
          <View className="tv__h">等候人数</View>
          {board.categories.map((c) => (
            <View key={c.code} className="tv__row">
              <View>{`${c.code} ${c.name}`}</View>
              <View className="tv__count">{`${board.waiting[c.code] ?? 0} 人`}</View>
            </View>
          ))}
        </View>
      </View>
      <View className="tv__windows">
        {board.windows.map((w) => (
          <View key={w.no} className={`tv__win ${w.open ? '' : 'tv__win--closed'}`}>
            <View className="tv__win-no">{`${w.no} 号窗口`}</View>
            <View className="tv__win-ticket">{w.open ? (w.ticket?.number ?? '—') : '暂停服务'}</View>
            <View className="tv__win-cats">{w.categories.map(name).join(' · ')}</View>
          </View>
        ))}
      </View>
      <View className="tv__recent">
        <View className="tv__h">最近呼叫</View>
        {board.recent.length === 0 ? <View className="tv__muted">暂无</View> : null}
        {board.recent.map((c) => (
          <View key={c.seq} className="tv__recent-item">{`${c.number} → ${c.window} 号窗口 ${hhmm(c.calledAt)}${c.recall ? '（重呼）' : ''}`}</View>
        ))}
      </View>
      <BoardFoot cid={cid} hours={board.hours} />
    </View>
  );
}
