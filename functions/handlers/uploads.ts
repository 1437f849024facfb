import { uploadRoutes } from '@contract/uploads';
import { createHandler } from '../http/handler';
import { createUpload } from '../services/uploads';

export const handler = createHandler('uploads', uploadRoutes, {
  createUpload: async ({ user, body, now }) => createUpload(user, body, now),
});
