/**
 * Sends one picked file to storage and answers its upload id, which the page then names in the
 * act that uses it (a 诉求's photos, a notice's attachments): the server checks and re-encodes it
 * when that act claims it.
 *
 *   api('createUpload') ─▶ a presigned PUT (10 minutes) ─▶ PUT the bytes straight to storage
 *
 * Taro.uploadFile cannot PUT (it sends multipart POST), so the bytes go as an ArrayBuffer:
 * wx.request with method PUT on weapp; on h5, fetch. This request goes to storage, not to the
 * API, with the presigned headers only (no token), so it does not go through api/client.ts.
 */
import Taro from '@tarojs/taro';
import { AppError } from '@contract/errors';
import { MAX_UPLOAD_BYTES, PURPOSE_TYPES, type UploadContentType, type UploadPurpose } from '@contract/upload-limits';
import { readLocalFile, type LocalFile } from '../platform';
import { api } from './client';

const isAccepted = (purpose: UploadPurpose, type: string): type is UploadContentType =>
  (PURPOSE_TYPES[purpose] as readonly string[]).includes(type);

/**
 * Why a picked file cannot be sent for `purpose` (the server's own limits, checked before any
 * byte leaves the phone), or undefined when it can.
 */
export function refusalOf(purpose: UploadPurpose, file: LocalFile): AppError | undefined {
  if (!isAccepted(purpose, file.type)) {
    return new AppError('UPLOAD_INVALID', purpose === 'request-photo' ? '照片只能是 JPEG、PNG 或 WebP 图片' : '只能上传 PDF 或 JPEG、PNG、WebP 图片');
  }
  if (file.size > MAX_UPLOAD_BYTES) return new AppError('UPLOAD_TOO_LARGE');
  if (file.size < 1) return new AppError('UPLOAD_INVALID', '文件是空的，请重新选择');
  return undefined;
}

async function put(url: string, headers: Record<string, string>, bytes: ArrayBuffer): Promise<number> {
  if (process.env.TARO_ENV === 'h5') {
    const res = await fetch(url, { method: 'PUT', headers, body: bytes });
    return res.status;
  }
  const res = await Taro.request({ url, method: 'PUT', header: headers, data: bytes, responseType: 'text', timeout: 60_000 });
  return res.statusCode;
}

/** Uploads one file for `purpose`; rejects with an AppError whose message the page can show. */
export async function uploadFile(purpose: UploadPurpose, file: LocalFile): Promise<string> {
  const refused = refusalOf(purpose, file);
  if (refused) throw refused;
  const bytes = await readLocalFile(file);
  const ticket = await api('createUpload', { body: { purpose, contentType: file.type as UploadContentType, size: bytes.byteLength } });
  let status: number;
  try {
    status = await put(ticket.url, ticket.headers, bytes);
  } catch {
    throw new AppError('UNAVAILABLE', '网络不稳定，文件没有传上去，请重试');
  }
  if (status < 200 || status >= 300) throw new AppError('UNAVAILABLE', '文件没有传上去，请重试');
  return ticket.uploadId;
}
