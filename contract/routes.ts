import { appointmentRoutes } from './appointments';
import { consultationRoutes } from './consultations';
import { identityRoutes } from './identity';
import { noticeRoutes } from './notices';
import { notificationRoutes } from './notifications';
import { queueRoutes } from './queue';
import { statsRoutes } from './stats';
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
};
export type RouteName = keyof typeof routes;
