/** Family proxy (亲情代办) in the table: link codes, and the links with the elder's count of active ones. */
export { getLinkCode, putLinkCode } from './codes';
export {
  actingGuard,
  claimLinkCode,
  confirmLink,
  counterLink,
  endLink,
  getLink,
  listElders,
  listProxies,
  type ActingGuard,
  type FamilyLinkRecord,
  type LinkPart,
} from './links';
