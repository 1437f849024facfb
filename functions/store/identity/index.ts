/**
 * Identity in the store, one module per record kind: users, communities, memberships (with the
 * ended ones and the names staff know people by), households and staff roles. Other capabilities
 * import from here.
 */
export { createUser, getUser, getUserByOpenid, type UserRecord } from './users';
export { getCommunity, listCommunities, putCommunity, updateCommunity, type CommunityRecord } from './communities';
export {
  countPendingMembers,
  displayNames,
  getMembership,
  listEndedMemberships,
  listMembers,
  listUserEndedMemberships,
  listUserMemberships,
  moveMembership,
  requestMembership,
  revokeMembership,
  staffMembershipCheck,
  verifyMembership,
  type EndedMembershipRecord,
  type JoinPart,
  type MembershipRecord,
  type VerifyPart,
} from './memberships';
export { listStaff, removeStaff, setStaff, type StaffRollRecord } from './staff';
