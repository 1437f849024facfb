import { dateText, localParts } from '../components/date-time-picker/format';

/** The zone a record's time is read in: every community Linli serves keeps Beijing time. */
const RECORD_TIME_ZONE = 'Asia/Shanghai';

/**
 * A recorded moment as people read it in a register (an audit entry, an approval): '2026年12月7日 04:22',
 * in Beijing time whatever the device's zone; '' for a missing or broken value.
 */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const { date, time } = localParts(d, RECORD_TIME_ZONE);
  return `${dateText(date, { year: true, weekday: false })} ${time}`;
}

/** A figure for people: thousands separated, at most one decimal. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  const [int, frac] = String(Math.abs(rounded)).split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${rounded < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}
