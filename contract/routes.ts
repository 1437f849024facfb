import { appointmentRoutes } from './appointments';
import { consultationRoutes } from './consultations';
import { escortRoutes } from './escorts';
import { familyRoutes } from './family';
import { identityRoutes } from './identity';
import { noticeRoutes } from './notices';
import { notificationRoutes } from './notifications';
import { queueRoutes } from './queue';
import { regionRoutes } from './regions';
import { requestRoutes } from './requests';
import { statsRoutes } from './stats';
import { uploadRoutes } from './uploads';
import { volunteerRoutes } from './volunteers';

/** Every operation of the public API, by name. */
export const routes = {
  ...identityRoutes,
  ...appointmentRoutes,
  ...queueRoutes,
  ...volunteerRoutes,
  ...consultationRoutes,
  ...statsRoutes,
  ...notificationRoutes,
  ...noticeRoutes,
  ...familyRoutes,
  ...uploadRoutes,
  ...requestRoutes,
  ...regionRoutes,
  ...escortRoutes,
};
export type RouteName = keyof typeof routes;
