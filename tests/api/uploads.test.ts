/**
 * Photos and attachments against the local S3 server (s3rver, started by the global setup) and
 * DynamoDB Local, through the real AWS SDK: presign → PUT → claim → signed read.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError, ERROR_MESSAGES } from '@contract/errors';
import { MAX_UPLOAD_BYTES, type UploadTicket } from '@contract/uploads';
import { statusOf } from '../../functions/http/status';
import { bucketName } from '../../functions/lib/config';
import { claimUpload, MAX_IMAGE_SIDE, rawObjectKey, signedReadUrl } from '../../functions/lib/storage';
import { login, type Actor } from '../support/actors';
import { restoreEnvAfterEach, setEnv } from '../support/env';
import { call } from '../support/stack';
import { gpsPhoto, TINY_PDF } from '../fixtures/gps-photo';

restoreEnvAfterEach();

/** The test's own view of the bucket, to look behind the API (raw uploads, stored bytes). */
const bucket = () =>
  new S3Client({
    region: 'cn-north-1',
    endpoint: process.env.S3_ENDPOINT,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });

async function objectExists(key: string): Promise<boolean> {
  try {
    await bucket().send(new GetObjectCommand({ Bucket: bucketName(), Key: key }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return false;
    throw error;
  }
}

type Purpose = 'request-photo' | 'notice-attachment';

async function ask(who: Actor, body: { purpose: Purpose; contentType: string; size: number }) {
  // Either the ticket or the contract's error body, by status.
  return call<UploadTicket & { error: { code: string; message: string; details: { path: string; message: string }[] } }>('POST', '/v1/uploads', { token: who.token, body });
}

/** Presigns and PUTs the bytes as the app does; answers the upload's id. */
async function upload(who: Actor, bytes: Buffer, contentType: string, purpose: Purpose = 'request-photo'): Promise<string> {
  const ticket = await ask(who, { purpose, contentType, size: bytes.length });
  expect(ticket.status).toBe(201);
  const put = await fetch(ticket.body.url, { method: 'PUT', headers: ticket.body.headers, body: new Uint8Array(bytes) });
  expect(put.status).toBe(200);
  return ticket.body.uploadId;
}

/** The AppError a claim was refused with. */
async function refusal(claim: Promise<unknown>): Promise<AppError> {
  const error = await claim.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('POST /v1/uploads', () => {
  it('answers a presigned PUT valid for 10 minutes, with the headers to send', async () => {
    // prepare
    const me = await login();
    const now = new Date();
    // act
    const reply = await ask(me, { purpose: 'request-photo', contentType: 'image/jpeg', size: 1234 });
    // assess
    expect(reply.status).toBe(201);
    expect(reply.body.method).toBe('PUT');
    expect(reply.body.headers).toEqual({ 'Content-Type': 'image/jpeg' });
    expect(new Date(reply.body.expiresAt).getTime() - now.getTime()).toBeGreaterThan(9 * 60_000);
    expect(new Date(reply.body.expiresAt).getTime() - now.getTime()).toBeLessThanOrEqual(10 * 60_000 + 5000);
    expect(new URL(reply.body.url).searchParams.get('X-Amz-Expires')).toBe('600');
    expect(new URL(reply.body.url).pathname).toContain(rawObjectKey(me.id, reply.body.uploadId));
    // The type and size are signed in; a checksum would be the empty body's, and S3 would refuse the file.
    expect(new URL(reply.body.url).searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host');
    expect(new URL(reply.body.url).searchParams.has('x-amz-checksum-crc32')).toBe(false);
  });

  it("signs the PUT by storage's clock, so it works on a request with a test clock (x-test-now)", async () => {
    // prepare
    const me = await login();
    const bytes = await gpsPhoto();
    // act
    const ticket = await call<UploadTicket>('POST', '/v1/uploads', {
      token: me.token,
      body: { purpose: 'request-photo', contentType: 'image/jpeg', size: bytes.length },
      now: '2026-11-16T09:00:00+08:00',
    });
    const put = await fetch(ticket.body.url, { method: 'PUT', headers: ticket.body.headers, body: new Uint8Array(bytes) });
    // assess
    expect(put.status).toBe(200);
    expect(new Date(ticket.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses a PDF as a 诉求 photo, and takes it as a notice attachment', async () => {
    // prepare
    const me = await login();
    // act
    const photo = await ask(me, { purpose: 'request-photo', contentType: 'application/pdf', size: 1000 });
    const attachment = await ask(me, { purpose: 'notice-attachment', contentType: 'application/pdf', size: 1000 });
    // assess
    expect(photo.status).toBe(400);
    expect(photo.body.error.details).toEqual([{ path: 'body.contentType', message: '照片只能是 JPEG、PNG 或 WebP 图片' }]);
    expect(attachment.status).toBe(201);
  });

  it('refuses a file declared over 10 MB, an empty one and an unknown type (400 in Chinese)', async () => {
    // prepare
    const me = await login();
    // act
    const replies = await Promise.all([
      ask(me, { purpose: 'request-photo', contentType: 'image/jpeg', size: MAX_UPLOAD_BYTES + 1 }),
      ask(me, { purpose: 'request-photo', contentType: 'image/jpeg', size: 0 }),
      ask(me, { purpose: 'notice-attachment', contentType: 'application/zip', size: 10 }),
    ]);
    // assess
    expect(replies.map((r) => r.status)).toEqual([400, 400, 400]);
    expect(replies[0]!.body.error.details).toEqual([{ path: 'body.size', message: '文件不能超过 10MB' }]);
    expect(replies[1]!.body.error.details).toEqual([{ path: 'body.size', message: '文件不能为空' }]);
    expect(replies[2]!.body.error.details[0]?.path).toBe('body.contentType');
  });

  it('answers a repeat with the same Idempotency-Key with the same upload', async () => {
    // prepare
    const me = await login();
    const body = { purpose: 'request-photo', contentType: 'image/png', size: 2048 };
    // act
    const first = await call('POST', '/v1/uploads', { token: me.token, body, idempotencyKey: 'photo-1' });
    const again = await call('POST', '/v1/uploads', { token: me.token, body, idempotencyKey: 'photo-1' });
    // assess
    expect(first.status).toBe(201);
    expect(again.body.uploadId).toBe(first.body.uploadId);
  });
});

describe('claiming an upload', () => {
  it('stores a phone photo re-encoded as a JPEG of at most 2048 px, without its EXIF GPS, and deletes the raw upload', async () => {
    // prepare
    const me = await login();
    const photo = await gpsPhoto(2400, 1600);
    const exif = (await sharp(photo).metadata()).exif;
    expect(exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // the photo carries a GPS IFD pointer
    const uploadId = await upload(me, photo, 'image/jpeg');
    // act
    const file = await claimUpload({ uploadId, userId: me.id, purpose: 'request-photo' });
    // assess
    expect(file).toMatchObject({ key: `files/${uploadId}.jpg`, contentType: 'image/jpeg', width: MAX_IMAGE_SIDE, height: 1365 });
    const stored = Buffer.from(await (await fetch(await signedReadUrl(file.key))).arrayBuffer());
    expect(stored.length).toBe(file.size);
    const meta = await sharp(stored).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 2048, height: 1365 });
    expect(meta.exif).toBeUndefined();
    expect(stored.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    expect(await objectExists(rawObjectKey(me.id, uploadId))).toBe(false);
  });

  it('turns a transparent PNG and a WebP into JPEGs on white', async () => {
    // prepare
    const me = await login();
    const clear = { width: 40, height: 30, channels: 4 as const, background: { r: 0, g: 0, b: 0, alpha: 0 } };
    const png = await sharp({ create: clear }).png().toBuffer();
    const webp = await sharp({ create: { ...clear, background: '#0b6b4b' } }).webp().toBuffer();
    const [pngId, webpId] = await Promise.all([upload(me, png, 'image/png'), upload(me, webp, 'image/webp')]);
    // act
    const files = await Promise.all([pngId, webpId].map((uploadId) => claimUpload({ uploadId, userId: me.id, purpose: 'request-photo' })));
    // assess
    expect(files.map((f) => [f.contentType, f.width, f.height])).toEqual([['image/jpeg', 40, 30], ['image/jpeg', 40, 30]]);
    const stored = Buffer.from(await (await fetch(await signedReadUrl(files[0]!.key))).arrayBuffer());
    const { data } = await sharp(stored).raw().toBuffer({ resolveWithObject: true });
    expect(Math.min(...data)).toBeGreaterThan(240); // transparent became white, not black
  });

  it('refuses a PDF sent as a JPEG photo (400 UPLOAD_INVALID) and ends the upload', async () => {
    // prepare
    const me = await login();
    const uploadId = await upload(me, TINY_PDF, 'image/jpeg');
    // act
    const error = await refusal(claimUpload({ uploadId, userId: me.id, purpose: 'request-photo' }));
    const again = await refusal(claimUpload({ uploadId, userId: me.id, purpose: 'request-photo' }));
    // assess
    expect([error.code, statusOf(error.code), error.message]).toEqual(['UPLOAD_INVALID', 400, '文件不是有效的图片']);
    expect(again.code).toBe('UPLOAD_CLAIMED');
    expect(await objectExists(rawObjectKey(me.id, uploadId))).toBe(false);
  });

  it('refuses bytes that only start like a JPEG (400 UPLOAD_INVALID)', async () => {
    // prepare
    const me = await login();
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 7)]);
    const uploadId = await upload(me, fake, 'image/jpeg');
    // act
    const error = await refusal(claimUpload({ uploadId, userId: me.id, purpose: 'request-photo' }));
    // assess
    expect(error.code).toBe('UPLOAD_INVALID');
  });

  it('keeps a PDF attachment as it was sent', async () => {
    // prepare
    const me = await login();
    const uploadId = await upload(me, TINY_PDF, 'application/pdf', 'notice-attachment');
    // act
    const file = await claimUpload({ uploadId, userId: me.id, purpose: 'notice-attachment' });
    // assess
    expect(file).toEqual({ key: `files/${uploadId}.pdf`, contentType: 'application/pdf', size: TINY_PDF.length });
    const stored = Buffer.from(await (await fetch(await signedReadUrl(file.key))).arrayBuffer());
    expect(stored.equals(TINY_PDF)).toBe(true);
  });

  it('lets exactly one of 20 simultaneous claims of one upload take it (409 UPLOAD_CLAIMED for the rest)', async () => {
    // prepare
    const me = await login();
    const uploadId = await upload(me, await gpsPhoto(), 'image/jpeg');
    // act
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => claimUpload({ uploadId, userId: me.id, purpose: 'request-photo' })),
    );
    // assess
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as AppError).code] : []));
    expect(refused).toEqual(Array(19).fill('UPLOAD_CLAIMED'));
    expect(statusOf('UPLOAD_CLAIMED')).toBe(409);
  });

  it("answers another person's upload as missing (404 UPLOAD_NOT_FOUND) and leaves it to its owner", async () => {
    // prepare
    const [owner, other] = await Promise.all([login(), login()]);
    const uploadId = await upload(owner, await gpsPhoto(), 'image/jpeg');
    // act
    const error = await refusal(claimUpload({ uploadId, userId: other.id, purpose: 'request-photo' }));
    const wrongPurpose = await refusal(claimUpload({ uploadId, userId: owner.id, purpose: 'notice-attachment' }));
    // assess
    expect([error.code, statusOf(error.code), error.message]).toEqual(['UPLOAD_NOT_FOUND', 404, ERROR_MESSAGES.UPLOAD_NOT_FOUND]);
    expect(wrongPurpose.code).toBe('UPLOAD_NOT_FOUND');
    await expect(claimUpload({ uploadId, userId: owner.id, purpose: 'request-photo' })).resolves.toMatchObject({ contentType: 'image/jpeg' });
  });

  it('answers an upload whose bytes never arrived, and an unknown id, as missing (404)', async () => {
    // prepare
    const me = await login();
    const ticket = await ask(me, { purpose: 'request-photo', contentType: 'image/jpeg', size: 1000 });
    // act
    const unsent = await refusal(claimUpload({ uploadId: ticket.body.uploadId, userId: me.id, purpose: 'request-photo' }));
    const unknown = await refusal(claimUpload({ uploadId: 'no-such-upload', userId: me.id, purpose: 'request-photo' }));
    // assess
    expect([unsent.code, unsent.message]).toEqual(['UPLOAD_NOT_FOUND', '文件尚未上传完成，请重新上传']);
    expect(unknown.code).toBe('UPLOAD_NOT_FOUND');
  });

  it('refuses at the claim more bytes than were declared (413 UPLOAD_TOO_LARGE)', async () => {
    // prepare
    const me = await login();
    const ticket = await ask(me, { purpose: 'request-photo', contentType: 'image/jpeg', size: 1000 });
    // S3 refuses a PUT whose length differs from the signed one; the local server does not check
    // signatures, so the bytes arrive as they would past any such gap, and meet the claim's own check.
    await bucket().send(new PutObjectCommand({ Bucket: bucketName(), Key: rawObjectKey(me.id, ticket.body.uploadId), Body: await gpsPhoto(), ContentType: 'image/jpeg' }));
    // act
    const error = await refusal(claimUpload({ uploadId: ticket.body.uploadId, userId: me.id, purpose: 'request-photo' }));
    // assess
    expect([error.code, statusOf(error.code), error.message]).toEqual(['UPLOAD_TOO_LARGE', 413, '文件不能超过 10MB']);
  });
});

describe('reading a stored file', () => {
  it('serves the bytes by a signed URL that stops working when it expires', async () => {
    // prepare
    const me = await login();
    const uploadId = await upload(me, TINY_PDF, 'application/pdf', 'notice-attachment');
    const file = await claimUpload({ uploadId, userId: me.id, purpose: 'notice-attachment' });
    const url = await signedReadUrl(file.key, { expiresInSeconds: 1 });
    // act
    const fresh = await fetch(url);
    await new Promise((done) => setTimeout(done, 2100));
    const stale = await fetch(url);
    // assess
    expect(fresh.status).toBe(200);
    expect(Buffer.from(await fresh.arrayBuffer()).equals(TINY_PDF)).toBe(true);
    expect(stale.status).toBe(403);
  });

  it('never signs a read of a raw upload, which may still carry its EXIF', async () => {
    // prepare
    const me = await login();
    const uploadId = await upload(me, await gpsPhoto(), 'image/jpeg');
    // act
    const signing = signedReadUrl(rawObjectKey(me.id, uploadId));
    // assess
    await expect(signing).rejects.toThrow(/Not a stored file/);
  });

  it('refuses to run on a deployed stage without a bucket name', () => {
    // prepare
    setEnv({ STAGE: 'prod', BUCKET_NAME: undefined });
    // act
    const name = () => bucketName();
    // assess
    expect(name).toThrow(/BUCKET_NAME is not set/);
  });
});
