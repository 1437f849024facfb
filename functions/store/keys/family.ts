/**
 * Family proxy (亲情代办). Access patterns:
 *  - a link code by its code (GetItem FAMCODE#code, TTL): deleted by the claim, so it is used once
 *  - a link by elder + proxy (GetItem USER#elder / PROXY#proxy): the acting-as ConditionCheck reads
 *    exactly this item, so a link ended mid-act cancels the act; the elder's family is a Query of
 *    the same partition (begins_with PROXY#), the proxy's elders a Query of gsi1 USER#proxy, ELDER#
 *  - the elder's count of active proxies (USER#elder / PROXIES), a quota counter
 */
export const linkCodeKey = (code: string) => ({ pk: `FAMCODE#${code}`, sk: 'FAMCODE' });
export const familyLinkKey = (elderId: string, proxyId: string) => ({ pk: `USER#${elderId}`, sk: `PROXY#${proxyId}` });
export const familyLinkIndexes = (elderId: string, proxyId: string) => ({ gsi1pk: `USER#${proxyId}`, gsi1sk: `ELDER#${elderId}` });
export const eldersProxiesQuery = (elderId: string) => ({ pk: `USER#${elderId}`, skPrefix: 'PROXY#' });
export const proxysEldersQuery = (proxyId: string) => ({ gsi1pk: `USER#${proxyId}`, gsi1skPrefix: 'ELDER#' });
export const proxyCountKey = (elderId: string) => ({ pk: `USER#${elderId}`, sk: 'PROXIES' });
