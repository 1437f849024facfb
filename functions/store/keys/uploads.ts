/**
 * An upload: one item per presigned PUT, written when it is asked for and claimed once by the act
 * that uses the file. Unclaimed ones expire (TTL), as their raw bytes do in the bucket.
 */
export const uploadKey = (id: string) => ({ pk: `UPLOAD#${id}`, sk: 'UPLOAD' });

/** Where the bytes a client sent wait for their claim (the bucket deletes `uploads/` after a day). */
export const rawObjectKey = (userId: string, id: string) => `uploads/${userId}/${id}`;
/** Where a claimed file lives: only the checked, re-encoded bytes are ever read from here. */
export const fileObjectKey = (id: string, extension: 'jpg' | 'pdf') => `files/${id}.${extension}`;
export const FILE_PREFIX = 'files/';
/** A community's mini-program join code, made once by WeChat and kept (it never changes). */
export const joinCodeObjectKey = (communityId: string) => `files/join-codes/${communityId}.png`;
/** A hall's walk-in code of one local day (its scene holds that day's hall token). */
export const hallCodeObjectKey = (communityId: string, date: string) => `files/hall-codes/${communityId}/${date}.png`;
