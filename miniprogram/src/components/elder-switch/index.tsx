import { Button, View } from '@tarojs/components';
import { setElderMode, useElderMode } from '../../store/elder';
import { tappable } from '../a11y';
import './index.css';

/**
 * The one switch for elder-friendly mode (长辈模式). Its state is a word (已开启 / 已关闭), not
 * only a colour, and the choice is kept across restarts.
 */
export function ElderSwitch({ compact = false }: { compact?: boolean }) {
  const on = useElderMode();
  return (
    <Button
      {...tappable(() => setElderMode(!on), { role: 'switch', checked: on })}
      className={`elder-switch ${compact ? 'elder-switch--compact' : ''}`}
      onClick={() => setElderMode(!on)}
    >
      <View>{compact ? '长辈模式' : '长辈模式（大字、高对比）'}</View>
      <View className={`elder-switch__state ${on ? 'elder-switch__state--on' : ''}`}>{on ? '已开启' : '已关闭'}</View>
    </Button>
  );
}
