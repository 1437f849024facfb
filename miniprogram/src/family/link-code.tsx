/** A 代办码 as it is shown to be scanned or typed: the QR, the eight characters, until when. */
import { View } from '@tarojs/components';
import type { LinkCode } from '@contract/family';
import { QrCode } from '../components/qr-code';
import { formatDateTime } from '../utils/format';
import './family.css';

export function LinkCodeView({ code }: { code: LinkCode }) {
  return (
    <View className="family-code">
      <QrCode text={code.code} label={`代办码 ${code.code}`} />
      <View className="family-code__text">{code.code}</View>
      <View className="family-muted">{formatDateTime(code.expiresAt).slice(11)} 前有效，只能使用一次</View>
    </View>
  );
}
