import { useEffect, useState } from 'react';
import { Image, View } from '@tarojs/components';
import QRCode from 'qrcode';
import type { ApiResponse } from '../api/client';
import { api } from '../api/client';
import { svgDataUri } from '../components/qr-code';
import { ErrorState, Loading } from '../components/state';

type Code = ApiResponse<'checkinCode'>;

/**
 * The volunteer's personal check-in / check-out code as a big QR, for staff on site to scan. It
 * is bound to this volunteer and one act and lives a minute, so it is fetched anew every
 * `refreshSeconds`; after a scan the next fetch brings the check-out code. `onChange` runs when
 * the act changes (staff scanned the code), so the page can show the new attendance.
 */
export function PersonalCode({ activityId, onChange }: { activityId: string; onChange?: () => void }) {
  const [state, setState] = useState<{ code: Code; image: string } | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    let purpose: Code['purpose'] | undefined;
    const load = async () => {
      try {
        const code = await api('checkinCode', { params: { id: activityId } });
        const svg = await QRCode.toString(code.qr, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
        if (!live) return;
        if (purpose && purpose !== code.purpose) onChange?.();
        purpose = code.purpose;
        setState({ code, image: svgDataUri(svg) });
        setError(undefined);
        timer = setTimeout(() => void load(), code.refreshSeconds * 1000);
      } catch (failure) {
        if (!live) return;
        setState(undefined);
        setError(failure);
        if (purpose) onChange?.();
      }
    };
    void load();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [activityId, tick]);

  if (error) return <ErrorState error={error} onRetry={() => setTick((t) => t + 1)} />;
  if (!state) return <Loading text="正在生成签到码…" />;
  const act = state.code.purpose === 'check_in' ? '签到' : '签退';
  return (
    <View className="vol-qr">
      <View className="vol-qr__title">我的{act}码</View>
      <Image className="vol-qr__image" src={state.image} aria-label={`我的${act}二维码`} nativeProps={{ alt: `我的${act}二维码，码 ${state.code.code}` }} />
      <View className="vol-code">{state.code.code}</View>
      <View className="vol-muted">请到场后出示给工作人员扫描{act}。此码仅限本人、本活动使用，每 {state.code.refreshSeconds} 秒自动更换，扫描一次即失效。</View>
    </View>
  );
}
