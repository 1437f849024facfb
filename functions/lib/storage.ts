/**
 * Photos and attachments in S3 (a local S3 server in development and tests, scripts/local/s3.ts).
 * Services call this module; nothing else talks to the bucket.
 *
 *   createUpload ─▶ upload item (pending, TTL a day) + presigned PUT of uploads/<uid>/<id> (10 min)
 *   client PUTs the bytes straight to the bucket
 *   claimUpload  ─▶ item pending → claimed (conditional: one claim wins)
 *                ─▶ read the raw bytes: size, magic bytes of the declared type
 *                ─▶ image: decoded, turned upright, at most 2048 px, re-encoded as JPEG without
 *                   any metadata (EXIF, GPS) ─▶ files/<id>.jpg; PDF: files/<id>.pdf
 *                ─▶ raw bytes deleted; the item records the file, awaiting its use
 *   the act's transaction ─▶ uploadsUsed (store/uploads.ts): the file is the act's, for good; an
 *                   act refused before it leaves the file to its owner's next try (claimUpload
 *                   answers it again without a second check)
 *
 * Nobody but the uploader can read `uploads/` (no read URL is ever signed for it), so a photo's
 * location never reaches another person.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AppError } from '@contract/errors';
import { MAX_UPLOAD_BYTES, UPLOAD_URL_MINUTES, type CreateUpload, type UploadContentType, type UploadPurpose, type UploadTicket } from '@contract/uploads';
import { isConditionFailed, type TransactItem } from '../store/transaction';
import { claimPending, getUpload, putUpload, recordClaimedFile, releaseClaim, uploadsUsed, type UploadRecord } from '../store/uploads';
import { bucketName, config } from './config';
import { newId } from './ids';

/** Where the bytes a client sent wait for their claim (the bucket deletes `uploads/` after a day). */
export const rawObjectKey = (userId: string, id: string) => `uploads/${userId}/${id}`;
/** Where a claimed file lives: only the checked, re-encoded bytes are ever read from here. */
const fileObjectKey = (id: string, extension: 'jpg' | 'pdf') => `files/${id}.${extension}`;
const FILE_PREFIX = 'files/';
/** A community's mini-program join code, made once by WeChat and kept (it never changes). */
export const joinCodeObjectKey = (communityId: string) => `files/join-codes/${communityId}.png`;

/** A file that passed its checks and now lives under its final key. */
export interface ClaimedFile {
  key: string;
  contentType: string;
  size: number;
  width?: number;
  height?: number;
}

/** The long side of a stored photo: sharp enough to read a meter or a crack, small on a phone. */
export const MAX_IMAGE_SIDE = 2048;
const JPEG_QUALITY = 82;
/** Refuses decompression bombs: a 10 MB file may not claim more pixels than a 50-megapixel photo. */
const MAX_INPUT_PIXELS = 50_000_000;
/** An unclaimed upload (its item; the bucket's lifecycle rule removes its bytes) lasts a day. */
const UNCLAIMED_SECONDS = 24 * 3600;
const DEFAULT_READ_SECONDS = 600;

let client: S3Client | undefined;

function s3(): S3Client {
  if (client) return client;
  const { s3Endpoint, region } = config();
  client = new S3Client({
    region,
    endpoint: s3Endpoint,
    // The local server answers on one host and port: bucket in the path, its own fixed keys.
    ...(s3Endpoint ? { forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } } : {}),
    // Otherwise a presigned PUT carries the CRC32 of an empty body, and S3 refuses every real file.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 10_000 },
  });
  return client;
}

/** Records an upload for the user and presigns its PUT: the declared type and size are signed in. */
export async function createUpload(request: CreateUpload & { userId: string }, now: Date): Promise<UploadTicket> {
  const id = newId(now);
  const rawKey = rawObjectKey(request.userId, id);
  await putUpload({
    id,
    userId: request.userId,
    purpose: request.purpose,
    contentType: request.contentType,
    size: request.size,
    rawKey,
    status: 'pending',
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + UNCLAIMED_SECONDS,
  });
  const expiresIn = UPLOAD_URL_MINUTES * 60;
  // Storage checks the signature against its own clock, not the request's (a test's x-test-now).
  const signedAt = new Date();
  const url = await getSignedUrl(
    s3(),
    new PutObjectCommand({ Bucket: bucketName(), Key: rawKey, ContentType: request.contentType, ContentLength: request.size }),
    { expiresIn, signingDate: signedAt, signableHeaders: new Set(['content-type', 'content-length']) },
  );
  return {
    uploadId: id,
    url,
    method: 'PUT',
    headers: { 'Content-Type': request.contentType },
    expiresAt: new Date(signedAt.getTime() + expiresIn * 1000).toISOString(),
  };
}

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) => prefix.every((byte, i) => bytes[at + i] === byte);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** What the first bytes say the file is, whatever the client declared. */
export function sniffType(bytes: Uint8Array): UploadContentType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
  return undefined;
}

const invalid = (contentType: UploadContentType) =>
  new AppError('UPLOAD_INVALID', contentType === 'application/pdf' ? '文件不是有效的 PDF' : undefined);

/** The raw bytes of an upload, refused when absent or larger than declared (or than the limit). */
async function readRaw(rawKey: string, declaredSize: number): Promise<Uint8Array> {
  let object;
  try {
    object = await s3().send(new GetObjectCommand({ Bucket: bucketName(), Key: rawKey }));
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') throw new AppError('UPLOAD_NOT_FOUND', '文件尚未上传完成，请重新上传');
    throw error;
  }
  const length = object.ContentLength ?? 0;
  if (length > declaredSize || length > MAX_UPLOAD_BYTES) {
    object.Body?.transformToWebStream().cancel().catch(() => undefined);
    throw new AppError('UPLOAD_TOO_LARGE');
  }
  const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
  if (bytes.length > declaredSize) throw new AppError('UPLOAD_TOO_LARGE');
  return bytes;
}

/**
 * A photo as others will see it: decoded (a file that only looks like an image fails here),
 * turned upright by its EXIF orientation, at most MAX_IMAGE_SIDE on its long side, transparency
 * on white, re-encoded as JPEG. sharp writes no metadata unless asked, so EXIF, GPS, XMP and the
 * camera's ICC notes are all gone.
 */
export async function reencodeImage(bytes: Uint8Array): Promise<{ bytes: Buffer; width: number; height: number }> {
  // Loaded here: functions that never claim a photo do not pay for libvips at start.
  const { default: sharp } = await import('sharp');
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize({ width: MAX_IMAGE_SIDE, height: MAX_IMAGE_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: JPEG_QUALITY, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch {
    throw new AppError('UPLOAD_INVALID');
  }
}

/** Checks the bytes against the declared type and turns them into the file that is kept. */
async function finalFile(id: string, contentType: UploadContentType, bytes: Uint8Array): Promise<{ file: ClaimedFile; body: Uint8Array }> {
  if (sniffType(bytes) !== contentType) throw invalid(contentType);
  if (contentType === 'application/pdf') {
    return { file: { key: fileObjectKey(id, 'pdf'), contentType, size: bytes.length }, body: bytes };
  }
  const image = await reencodeImage(bytes);
  return {
    file: { key: fileObjectKey(id, 'jpg'), contentType: 'image/jpeg', size: image.bytes.length, width: image.width, height: image.height },
    body: image.bytes,
  };
}

/**
 * Takes an upload for one act: it must be the user's, for that purpose, and not yet claimed (one
 * claim wins, under any concurrency); its bytes must be what was declared. Another person's upload
 * answers as a missing one.
 */
export async function claimUpload(request: { uploadId: string; userId: string; purpose: UploadPurpose }, now: Date = new Date()): Promise<ClaimedFile> {
  const record = await getUpload(request.uploadId);
  if (!record || record.userId !== request.userId || record.purpose !== request.purpose) throw new AppError('UPLOAD_NOT_FOUND');
  if (record.expiresAt <= Math.floor(now.getTime() / 1000)) throw new AppError('UPLOAD_NOT_FOUND');
  const waiting = waitingFile(record);
  if (waiting) return waiting;
  if (record.status !== 'pending') throw uploadTaken();
  await claimPending(record.id, request.userId, request.purpose, now).catch((error: unknown) => {
    // Another act took it first.
    throw isConditionFailed(error) ? uploadTaken() : error;
  });
  let result: { file: ClaimedFile; body: Uint8Array };
  try {
    result = await finalFile(record.id, record.contentType, await readRaw(record.rawKey, record.size));
    await s3().send(new PutObjectCommand({ Bucket: bucketName(), Key: result.file.key, Body: result.body, ContentType: result.file.contentType }));
  } catch (error) {
    // Unusable bytes end the upload; a passing failure (storage unreachable) leaves it claimable.
    const unusable = error instanceof AppError;
    await releaseClaim(record.id, unusable ? 'rejected' : 'pending');
    if (!unusable) throw new AppError('UNAVAILABLE', undefined, { retryAfter: 5 });
    await deleteQuietly(record.rawKey);
    throw error;
  }
  await recordClaimedFile(record.id, result.file);
  await deleteQuietly(record.rawKey);
  return result.file;
}

/** What it means when an act's use of its files fails (store/uploads.ts uploadsUsed): another act has taken one. */
export const uploadTaken = (): AppError => new AppError('UPLOAD_CLAIMED');

/** A file checked for an act that was then refused: its owner's next act may use it as it is. */
function waitingFile(record: UploadRecord): ClaimedFile | undefined {
  if (record.status !== 'claimed' || !record.awaitingUse || !record.fileKey || !record.fileType || record.fileSize === undefined) return undefined;
  return {
    key: record.fileKey,
    contentType: record.fileType,
    size: record.fileSize,
    ...(record.width ? { width: record.width } : {}),
    ...(record.height ? { height: record.height } : {}),
  };
}

/** An act's checked files, and their use: the part of the act's own transaction that makes them its own. */
export interface ClaimedUploads {
  files: ClaimedFile[];
  /** Items for the act's transaction (store/uploads.ts uploadsUsed): without them the files stay their owner's to name again. */
  use: (usedBy: string) => TransactItem[];
}

/**
 * Claims every upload an act names, all checked before any failure is answered (no claim still
 * at work once the request has its answer); the first refusal, in the order named, is the answer.
 */
export async function claimUploads(uploadIds: readonly string[], owner: { userId: string; purpose: UploadPurpose }, now: Date): Promise<ClaimedUploads> {
  const claims = await Promise.allSettled(uploadIds.map((uploadId) => claimUpload({ uploadId, ...owner }, now)));
  const refused = claims.find((claim) => claim.status === 'rejected');
  if (refused) throw refused.reason;
  return {
    files: claims.map((claim) => (claim as PromiseFulfilledResult<ClaimedFile>).value),
    use: (usedBy) => uploadsUsed(uploadIds, owner, usedBy, now),
  };
}

/** The raw bytes are no longer needed; the lifecycle rule removes whatever a failed delete leaves. */
async function deleteQuietly(key: string): Promise<void> {
  await s3().send(new DeleteObjectCommand({ Bucket: bucketName(), Key: key })).catch(() => undefined);
}

/** A URL that reads a claimed file for a limited time (10 minutes unless told). */
export async function signedReadUrl(key: string, options: { expiresInSeconds?: number } = {}): Promise<string> {
  // Only checked files are ever shown: never a raw upload, which may still carry its EXIF.
  if (!key.startsWith(FILE_PREFIX)) throw new Error(`Not a stored file: ${key}`);
  return getSignedUrl(s3(), new GetObjectCommand({ Bucket: bucketName(), Key: key }), {
    expiresIn: options.expiresInSeconds ?? DEFAULT_READ_SECONDS,
  });
}

/**
 * A file the product made itself (not a person's upload), kept under `files/` once made: the
 * signed read link of the file at `key`, made by `make` only if it is not stored yet.
 */
export async function madeFileUrl(key: string, contentType: string, make: () => Promise<Uint8Array>, options: { expiresInSeconds?: number } = {}): Promise<string> {
  const stored = await s3()
    .send(new HeadObjectCommand({ Bucket: bucketName(), Key: key }))
    .then(() => true)
    .catch((error: { name?: string }) => {
      if (error.name === 'NotFound' || error.name === 'NoSuchKey') return false;
      throw error;
    });
  if (!stored) await s3().send(new PutObjectCommand({ Bucket: bucketName(), Key: key, Body: await make(), ContentType: contentType }));
  return signedReadUrl(key, options);
}
