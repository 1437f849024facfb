/**
 * Dates and times as people read them (12月20日 周日 上午9:00) and as the API takes them (ISO
 * 8601 with the community's offset). Dates are community-local 'YYYY-MM-DD' strings, so the
 * device's own zone never shifts a day.
 */
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const pad = (n: number) => String(n).padStart(2, '0');

/** '2026-12-20' → '周日' (the calendar's weekday, whatever the device's zone). */
export function weekdayOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return WEEKDAYS[new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay()] ?? '';
}

/** '2026-12-20' → '12月20日 周日'; with `year`, '2026年12月20日 周日'; `weekday: false` drops the weekday. */
export function dateText(date: string, options: { year?: boolean; weekday?: boolean } = {}): string {
  const day = `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日${options.weekday === false ? '' : ` ${weekdayOf(date)}`}`;
  return options.year ? `${Number(date.slice(0, 4))}年${day}` : day;
}

/** '2026-12' → '2026年12月'. */
export const monthText = (month: string): string => `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;

/** '09:00' → '上午9:00', '14:30' → '下午2:30', '12:00' → '中午12:00', '19:00' → '晚上7:00'. */
export function timeText(hhmm: string): string {
  const h = Number(hhmm.slice(0, 2));
  const m = hhmm.slice(3, 5);
  if (h < 6) return `凌晨${h}:${m}`;
  if (h < 12) return `上午${h}:${m}`;
  if (h < 13) return `中午${h}:${m}`;
  if (h < 18) return `下午${h - 12}:${m}`;
  return `晚上${h - 12}:${m}`;
}

/** An ISO string with an offset ('2026-12-20T09:00:00+08:00') → '12月20日 周日 上午9:00', in the offset's wall clock. */
export const dateTimeText = (iso: string): string => `${dateText(iso.slice(0, 10))} ${timeText(iso.slice(11, 16))}`;

/** '+08:00' for a zone at an instant (Intl), or Beijing's when the engine has no zone data. */
export function offsetOf(timeZone: string, at: Date): string {
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
    const m = /GMT([+-]\d{2}):?(\d{2})?/.exec(name ?? '');
    if (name === 'GMT') return '+00:00';
    if (m) return `${m[1]}:${m[2] ?? '00'}`;
  } catch {
    // Falls through: an engine without the zone's data.
  }
  return '+08:00';
}

/** The community-local date and time of an instant: { date: '2026-12-20', time: '09:00' }. */
export function localParts(instant: Date, timeZone: string): { date: string; time: string } {
  const offset = offsetOf(timeZone, instant);
  const minutes = (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const d = new Date(instant.getTime() + minutes * 60_000);
  return { date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`, time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` };
}

/** A community-local date and time → ISO 8601 with the zone's offset on that day. */
export function isoAt(date: string, time: string, timeZone: string): string {
  const guess = new Date(`${date}T${time}:00Z`);
  return `${date}T${time}:00${offsetOf(timeZone, guess)}`;
}

/** An instant ('2026-12-20T01:00:00Z') → '12月20日 周日 上午9:00' on the community's wall clock. */
export function instantText(instant: string, timeZone = 'Asia/Shanghai'): string {
  const { date, time } = localParts(new Date(instant), timeZone);
  return `${dateText(date)} ${timeText(time)}`;
}

/** Today's community-local date ('2026-12-06'); every community so far lives on China's clock. */
export const todayIn = (timeZone = 'Asia/Shanghai'): string => localParts(new Date(), timeZone).date;

/** '2026-12-06' moved by whole calendar days. */
export function shiftDay(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
