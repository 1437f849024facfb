/**
 * An upload: one item per presigned PUT, written when it is asked for and claimed once by the act
 * that uses the file. Unclaimed ones expire (TTL), as their raw bytes do in the bucket.
 */
export const uploadKey = (id: string) => ({ pk: `UPLOAD#${id}`, sk: 'UPLOAD' });

/**
 * The bucket's object keys (uploads, files, join codes) live with the bucket, in lib/storage.ts;
 * this one stays until the queue's service takes it from there too.
 * A hall's walk-in code of one local day (its scene holds that day's hall token). */
export const hallCodeObjectKey = (communityId: string, date: string) => `files/hall-codes/${communityId}/${date}.png`;
