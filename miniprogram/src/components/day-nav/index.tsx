import { Picker, View } from '@tarojs/components';
import { Button } from '../button';
import { dateText, shiftDay, todayIn } from '../date-time-picker/format';
import './index.css';

/**
 * A day shown between its previous and next day (‹ 前一天 · 12月6日 周日（今天） · 后一天 ›); the day
 * itself opens the platform's date wheel for any other day. Staff lists that go day by day use it.
 */
export function DayNav({ date, onChange }: { date: string; onChange: (date: string) => void }) {
  const shown = `${dateText(date)}${date === todayIn() ? '（今天）' : ''}`;
  return (
    <View className="row row--between day-nav">
      <Button small variant="secondary" onClick={() => onChange(shiftDay(date, -1))}>‹ 前一天</Button>
      <Picker mode="date" value={date} onChange={(e) => onChange(e.detail.value)}>
        <View className="day-nav__day" role="button" aria-label={`${shown}，点按选择其他日期`}>
          {shown}
        </View>
      </Picker>
      <Button small variant="secondary" onClick={() => onChange(shiftDay(date, 1))}>后一天 ›</Button>
    </View>
  );
}
