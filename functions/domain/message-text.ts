/** The text of a WeChat subscription message's fields: short, and times as people read them. Pure. */
import { isoWithOffset } from './time';

/** At most `max` characters (a template's `thing` field holds 20), an ellipsis where cut. */
export const clip = (text: string, max: number): string => (Array.from(text).length > max ? `${Array.from(text).slice(0, max - 1).join('')}…` : text);

/** 2026年3月2日 10:00, in the community's time zone. */
export function wechatTime(instant: Date, timeZone: string): string {
  const iso = isoWithOffset(instant, timeZone);
  return `${iso.slice(0, 4)}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日 ${iso.slice(11, 16)}`;
}
