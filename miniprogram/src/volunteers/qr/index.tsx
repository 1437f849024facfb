import { useEffect, useState } from 'react';
import { Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import QRCode from 'qrcode';
import { api } from '../../api/client';
import { PageShell } from '../../components/page-shell';
import { ErrorState, Loading } from '../../components/state';
import { useQuery } from '../../nav';
import '../shared.css';

/** The rotating check-in QR (staff, on site): a new code every 60 seconds, fetched from the API. */
export default function CheckinQr() {
  const { id = '' } = useQuery();
  const [state, setState] = useState<{ code: string; image: string; expiresAt: string } | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [title, setTitle] = useState('');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    void api('getActivity', { params: { id } }).then((a) => setTitle(a.title), () => undefined);
  }, [id]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const load = async () => {
      try {
        const c = await api('checkinCode', { params: { id } });
        const svg = await QRCode.toString(c.qr, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
        if (!live) return;
        setState({ code: c.code, image: `data:image/svg+xml;base64,${base64(svg)}`, expiresAt: c.expiresAt });
        setError(undefined);
        timer = setTimeout(() => void load(), c.refreshSeconds * 1000 + 200);
      } catch (failure) {
        if (!live) return;
        setError(failure);
        timer = setTimeout(() => void load(), 10_000);
      }
    };
    void load();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [id, tick]);

  return (
    <PageShell className="stack">
      {error && !state ? <ErrorState error={error} onRetry={() => setTick((t) => t + 1)} /> : null}
      {!state && !error ? <Loading text="正在生成签到码…" /> : null}
      {state ? (
        <View className="vol-qr">
          <View style={{ fontSize: 'var(--fs-large)', fontWeight: 700 }}>{title || '志愿活动'} · 扫码签到/签退</View>
          <Image className="vol-qr__image" src={state.image} aria-label="签到二维码" nativeProps={{ alt: `签到二维码，签到码 ${state.code}` }} />
          <View className="vol-code">签到码 {state.code}</View>
          <View className="vol-muted">二维码每 60 秒自动更换，上一分钟的码仍可使用；请志愿者用“志愿”页的“扫码签到”扫描。</View>
          {error ? <View className="vol-muted" role="alert">网络异常，正在重试…</View> : null}
        </View>
      ) : null}
    </PageShell>
  );
}

/** Base64 of the SVG text (qrcode's SVG is plain ASCII). */
function base64(text: string): string {
  if (typeof btoa === 'function') return btoa(text);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i) & 0xff;
  return Taro.arrayBufferToBase64(bytes.buffer);
}
