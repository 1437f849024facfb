import { volunteerRoutes } from '@contract/volunteers';
import { createHandler } from '../http/handler';
import * as volunteers from '../services/volunteers';

export const handler = createHandler('volunteers', volunteerRoutes, {
  register: async ({ user, params, body, now }) => volunteers.register(user, params.cid, body, now),
  listVolunteers: async ({ user, params, query }) => volunteers.listVolunteers(user, params.cid, query),
  approve: async ({ user, params, now }) => volunteers.decide(user, params.cid, params.uid, 'approved', now),
  decline: async ({ user, params, body, now }) => volunteers.decide(user, params.cid, params.uid, 'declined', now, body.reason),
  createActivity: async ({ user, params, body, now }) => volunteers.createActivity(user, params.cid, body, now),
  getActivity: async ({ user, params }) => volunteers.getActivity(user, params.id),
  updateActivity: async ({ user, params, body, now }) => volunteers.updateActivity(user, params.id, body, now),
  cancelActivity: async ({ user, params, now }) => volunteers.cancelActivity(user, params.id, now),
  listActivities: async ({ params, query, now }) => volunteers.listActivities(params.cid, query, now),
  signUp: async ({ user, params, now }) => volunteers.signUp(user, params.id, now),
  listSignups: async ({ user, params, query }) => volunteers.listSignups(user, params.id, query),
  cancelSignUp: async ({ user, params, now }) => volunteers.cancelSignUp(user, params.id, now),
  mySignups: async ({ user, query }) => volunteers.mySignups(user, query),
  checkinCode: async ({ user, params, now }) => volunteers.checkinCode(user, params.id, now),
  checkIn: async ({ user, params, body, now }) => volunteers.recordScan(user, params.id, 'check_in', body.code, now),
  checkOut: async ({ user, params, body, now }) => volunteers.recordScan(user, params.id, 'check_out', body.code, now),
  recordAttendance: async ({ user, params, body, now }) => volunteers.recordAttendance(user, params.id, params.uid, body, now),
  verifyHours: async ({ user, params, body, now }) => volunteers.verifyHours(user, params.id, params.uid, body.hours, now),
  correct: async ({ user, params, body, now }) => volunteers.correct(user, params.cid, params.uid, body, now),
  myVolunteer: async ({ user, query }) => volunteers.myVolunteer(user, query.communityId),
});
