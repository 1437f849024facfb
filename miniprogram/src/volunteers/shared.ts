/**
 * What the volunteer pages share: page URLs, dates as the certificate prints them, and the certificate
 * download (a PDF, which the JSON client does not carry).
 */
import Taro from '@tarojs/taro';
import { AppError } from '@contract/errors';
import { errorFromResponse } from '../api/errors';
import { apiBase } from '../platform';
import { currentToken } from '../store/session';

export const VOLUNTEER_PAGES = {
  register: '/volunteers/register/index',
  activity: '/volunteers/activity/index',
  signups: '/volunteers/signups/index',
  hours: '/volunteers/hours/index',
  approvals: '/volunteers/approvals/index',
  editor: '/volunteers/editor/index',
  attendance: '/volunteers/attendance/index',
  qr: '/volunteers/qr/index',
  certificateCheck: '/volunteers/certificate-check/index',
} as const;

export const SKILLS = ['助老', '助残', '环境整治', '文体', '法律咨询', '医疗', '教育', '治安巡逻', '其他'] as const;

export const hoursText = (h: number): string => (Number.isInteger(h) ? String(h) : h.toFixed(1));

/** '2026-12-06' → '2026年12月6日', as the certificate prints it. */
export function cnDate(date: string | undefined): string {
  if (!date) return '';
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/**
 * Downloads the certificate PDF and opens it: weapp downloads to a temporary file and opens it
 * with the system viewer; h5 fetches it and opens a preview tab. Resolves with the certificate
 * code (from X-Certificate-Code).
 */
export async function downloadCertificate(communityId?: string): Promise<{ code: string; url?: string }> {
  const token = currentToken();
  if (!token) throw new AppError('UNAUTHENTICATED');
  const url = `${apiBase()}/v1/me/volunteer/certificate${communityId ? `?communityId=${encodeURIComponent(communityId)}` : ''}`;
  if (process.env.TARO_ENV === 'h5') {
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    } catch {
      throw new AppError('UNAVAILABLE', '网络连接失败，请检查网络后重试');
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as unknown;
      throw errorFromResponse(response.status, body, {});
    }
    const code = response.headers.get('x-certificate-code') ?? '';
    const blobUrl = URL.createObjectURL(await response.blob());
    return { code, url: blobUrl };
  }
  const result = await Taro.downloadFile({ url, header: { authorization: `Bearer ${token}` } });
  if (result.statusCode !== 200) throw new AppError('UNAVAILABLE', '证明下载失败，请稍后重试');
  const header = (result as unknown as { header?: Record<string, string> }).header ?? {};
  const code = header['x-certificate-code'] ?? header['X-Certificate-Code'] ?? '';
  await Taro.openDocument({ filePath: result.tempFilePath, fileType: 'pdf', showMenu: true });
  return { code };
}
