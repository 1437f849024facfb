import { Picker, View } from '@tarojs/components';
import { dateText, isoAt, localParts, timeText } from './format';
import './index.css';

export { dateText, dateTimeText, instantText, isoAt, localParts, shiftDay, timeText, todayIn } from './format';

/**
 * A date and a time chosen on the platform's own wheels (WeChat's; Taro's sheet on h5), date
 * first, then time, shown as people say them (12月20日 周日 · 上午9:00). The value is what the API
 * takes: ISO 8601 in the community's zone with its offset ('2026-12-20T09:00:00+08:00'), so the
 * wall clock the person picked is the one the community lives by, whatever the phone's zone.
 */
export function DateTimePicker({
  label,
  value,
  onChange,
  timeZone = 'Asia/Shanghai',
  start,
  hint,
  error,
}: {
  label: string;
  /** ISO 8601 with the community's offset. */
  value: string;
  onChange: (iso: string) => void;
  timeZone?: string;
  /** The earliest date on offer ('YYYY-MM-DD'); today in the community by default. */
  start?: string;
  hint?: string;
  error?: string;
}) {
  // The value carries the community's offset: its wall-clock part is the community's date and time.
  const date = value.slice(0, 10);
  const time = value.slice(11, 16);
  const earliest = start ?? localParts(new Date(), timeZone).date;
  return (
    <View className={`field ${error ? 'field--invalid' : ''}`}>
      <View className="field__label">{label}</View>
      <View className="dtp__row">
        <Picker mode="date" className="dtp__picker" value={date} start={earliest} onChange={(e) => onChange(isoAt(e.detail.value, time || '09:00', timeZone))}>
          <View className="field__input dtp__value" role="button" aria-label={`${label}日期：${date ? dateText(date) : '未选择'}，点按选择日期`}>
            {date ? dateText(date) : '选择日期'}
          </View>
        </Picker>
        <Picker mode="time" className="dtp__picker" value={time || '09:00'} onChange={(e) => onChange(isoAt(date || earliest, e.detail.value, timeZone))}>
          <View className={`field__input dtp__value ${time ? '' : 'dtp__value--empty'}`} role="button" aria-label={`${label}时间：${time ? timeText(time) : '未选择'}，点按选择时间`}>
            {time ? timeText(time) : '选择时间'}
          </View>
        </Picker>
      </View>
      {error ? <View className="field__error" role="alert">错误：{error}</View> : hint ? <View className="field__hint">{hint}</View> : null}
    </View>
  );
}
