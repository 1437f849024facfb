import { View } from '@tarojs/components';
import { Button } from '../components/button';
import { stopProxyMode, useProxyMode } from './proxy-mode';
import './family.css';

/** 正在为 李* 代办: shown wherever the choice applies, with the way out of it. */
export function ProxyBanner() {
  const mode = useProxyMode();
  if (!mode) return null;
  return (
    <View className="family-banner" role="status">
      <View className="family-banner__text">正在为 {mode.elderName} 代办</View>
      <Button small variant="secondary" onClick={stopProxyMode}>结束代办</Button>
    </View>
  );
}
