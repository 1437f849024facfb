const pad = (n: number) => String(n).padStart(2, '0');

/** '2025-11-22 14:05' in the device's time zone; '' for a missing or broken value. */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A figure for people: thousands separated, at most one decimal. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  const [int, frac] = String(Math.abs(rounded)).split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${rounded < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}
