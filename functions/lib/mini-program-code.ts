/**
 * Mini-program codes for posters: made once by WeChat (wxacode.getUnlimited), kept in the bucket
 * under `key`, read by a signed link for an hour. Only the first poster of a code waits on WeChat.
 */
import { AppError } from '@contract/errors';
import { madeFileUrl } from './storage';
import { getUnlimitedCode, WechatUnavailable, type UnlimitedCode } from './wechat';

export async function miniProgramCodeUrl(key: string, code: UnlimitedCode): Promise<{ url: string }> {
  try {
    return { url: await madeFileUrl(key, 'image/png', () => getUnlimitedCode(code), { expiresInSeconds: 3600 }) };
  } catch (error) {
    if (error instanceof WechatUnavailable) throw new AppError('UNAVAILABLE', '暂时无法生成小程序码，请稍后重试', { retryAfter: 5 });
    throw error;
  }
}
