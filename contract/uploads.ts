import { IsoDateTime } from './common';
import { route } from './route';
import * as z from './schema';
import { MAX_UPLOAD_BYTES, PURPOSE_TYPES, UPLOAD_CONTENT_TYPES, UPLOAD_PURPOSES } from './upload-limits';

export * from './upload-limits';

/**
 * Photos and attachments (诉求 photos, notice attachments). The client asks for a presigned PUT,
 * sends the bytes straight to storage, and then names the upload's id in the act that uses it
 * (filing a request, posting a notice); that act claims it (functions/lib/storage.ts), which checks
 * the bytes and re-encodes images without their EXIF (no location leaves the phone's photo).
 */

export const UploadContentType = z.enum(UPLOAD_CONTENT_TYPES);
export type UploadContentType = z.infer<typeof UploadContentType>;
export const UploadPurpose = z.enum(UPLOAD_PURPOSES);
export type UploadPurpose = z.infer<typeof UploadPurpose>;

export const CreateUpload = z
  .object({
    purpose: UploadPurpose,
    contentType: UploadContentType,
    size: z.number().int().min(1, '文件不能为空').max(MAX_UPLOAD_BYTES, '文件不能超过 10MB'),
  })
  .refine((body) => PURPOSE_TYPES[body.purpose].includes(body.contentType), {
    path: ['contentType'],
    message: '照片只能是 JPEG、PNG 或 WebP 图片',
  });
export type CreateUpload = z.infer<typeof CreateUpload>;

/** A presigned PUT: send exactly these headers with the bytes, before `expiresAt`. */
export const UploadTicket = z.object({
  uploadId: z.string(),
  url: z.string(),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()),
  expiresAt: IsoDateTime,
});
export type UploadTicket = z.infer<typeof UploadTicket>;

export const uploadRoutes = {
  createUpload: route({
    method: 'POST', path: '/v1/uploads', fn: 'uploads', auth: 'user', status: 201,
    summary: '申请上传照片或附件（返回有效期 10 分钟的上传地址）', body: CreateUpload, response: UploadTicket,
  }),
};
