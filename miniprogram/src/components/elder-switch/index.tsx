import { Button, View } from '@tarojs/components';
import { setElderMode, useElderMode } from '../../store/elder';
import './index.css';

/**
 * The one switch for elder-friendly mode (长辈模式). Its state is a word (已开启 / 已关闭), not
 * only a colour, and the choice is kept across restarts.
 */
export function ElderSwitch({ compact = false }: { compact?: boolean }) {
  const on = useElderMode();
  return (
    <Button
      className={`elder-switch ${compact ? 'elder-switch--compact' : ''}`}
      aria-checked={on}
      onClick={() => setElderMode(!on)}
    >
      <View>{compact ? '长辈模式' : '长辈模式（大字、高对比）'}</View>
      <View className={`elder-switch__state ${on ? 'elder-switch__state--on' : ''}`}>{on ? '已开启' : '已关闭'}</View>
    </Button>
  );
}
