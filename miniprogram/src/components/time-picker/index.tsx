import { Picker, View } from '@tarojs/components';
import './index.css';

/**
 * A time of day ('09:30') chosen on the platform's own picker (WeChat's wheel; Taro's on h5). The
 * visible box says the time, or what to choose while empty; the wheel opens at `fallback` then.
 */
export function TimePicker({ value, fallback, placeholder, label, onChange }: {
  value: string; fallback: string; placeholder: string; label: string; onChange: (value: string) => void;
}) {
  return (
    <Picker mode="time" className="time-picker" value={value || fallback} onChange={(e) => onChange(e.detail.value)}>
      <View className={`field__input time-picker__value ${value ? '' : 'time-picker__value--empty'}`} role="button" aria-label={`${label}：${value || '未选择'}，点按选择时间`}>
        {value || placeholder}
      </View>
    </Picker>
  );
}
