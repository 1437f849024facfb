/**
 * What the volunteer pages share: skills, dates as the certificate prints them, and the certificate
 * download.
 */
import { apiFile } from '../api/client';
import { openPdf } from '../platform';

export const SKILLS = ['助老', '助残', '环境整治', '文体', '法律咨询', '医疗', '教育', '治安巡逻', '其他'] as const;

export const hoursText = (h: number): string => (Number.isInteger(h) ? String(h) : h.toFixed(1));

/** '2026-12-06' → '2026年12月6日', as the certificate prints it. */
export function cnDate(date: string | undefined): string {
  if (!date) return '';
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/**
 * Downloads the certificate PDF and shows it (platform openPdf: WeChat's viewer on weapp, a blob
 * URL for the page's preview link on h5). Resolves with the certificate code (X-Certificate-Code).
 */
export async function downloadCertificate(communityId?: string): Promise<{ code: string; url?: string }> {
  const file = await apiFile('certificate', { query: { communityId } });
  return { code: file.header['x-certificate-code'] ?? '', url: await openPdf(file.path) };
}
