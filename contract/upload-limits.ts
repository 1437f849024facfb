/**
 * What may be uploaded, for what, and how big. No schema library here: the app's upload helper
 * checks a file before sending it without pulling zod into its bundle; uploads.ts builds its
 * enums from the same lists and re-exports everything.
 */

/** The largest file a person may upload. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Minutes a presigned PUT stays valid. */
export const UPLOAD_URL_MINUTES = 10;

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const UPLOAD_CONTENT_TYPES = [...IMAGE_TYPES, 'application/pdf'] as const;
export type UploadContentType = (typeof UPLOAD_CONTENT_TYPES)[number];

/** What the file is for: which act may claim it, and which types it accepts. */
export const UPLOAD_PURPOSES = ['request-photo', 'notice-attachment'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];

/** The types each purpose accepts: a 诉求 photo is an image; a notice may also attach a PDF. */
export const PURPOSE_TYPES: Record<UploadPurpose, readonly UploadContentType[]> = {
  'request-photo': IMAGE_TYPES,
  'notice-attachment': UPLOAD_CONTENT_TYPES,
};
