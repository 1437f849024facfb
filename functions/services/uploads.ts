/**
 * Uploads: a signed-in person asks to send a photo or an attachment and gets a presigned PUT.
 * The file is checked and re-encoded only when an act claims it (functions/lib/storage.ts).
 */
import type { CreateUpload, UploadTicket } from '@contract/uploads';
import { createUpload as presignUpload } from '../lib/storage';
import type { AuthUser } from '../lib/tokens';

export async function createUpload(user: AuthUser, request: CreateUpload, now: Date): Promise<UploadTicket> {
  return presignUpload({ userId: user.id, ...request }, now);
}
