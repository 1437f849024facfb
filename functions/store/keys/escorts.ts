/**
 * 志愿陪同 (volunteer escort). An escort is a volunteer activity (ACTIVITY#<id> / META, keys/volunteers.ts)
 * that carries `escort` (the appointment, the elder, the need and the note); it is listed apart
 * from the community's public activities, so no anonymous list ever shows it:
 *
 * | item                     | pk                             | sk            | gsi2                                        |
 * |--------------------------|--------------------------------|---------------|---------------------------------------------|
 * | escort activity          | ACTIVITY#<id>                  | META          | COMMUNITY#<cid>#ESCORTS / <startUtc>#<id>   |
 * | unclaimed check (TTL)    | REMIND#ESCORT#<10-min bucket>  | <activity id> |                                             |
 *
 * The unclaimed check is filed at booking in the bucket of 18:00 (community time) the evening
 * before; the `escortUnclaimed` schedule reads the recent buckets (never a Scan).
 */
export const escortIndexes = (cid: string, id: string, startUtc: string) => ({
  gsi2pk: `COMMUNITY#${cid}#ESCORTS`,
  gsi2sk: `${startUtc}#${id}`,
});
export const communityEscortsQuery = (cid: string, fromUtc: string) => ({
  gsi2pk: `COMMUNITY#${cid}#ESCORTS`,
  gsi2skFrom: fromUtc,
  // '~' sorts after every instant and id.
  gsi2skTo: '9999~',
});

export const escortCheckKey = (bucket: string, activityId: string) => ({ pk: `REMIND#ESCORT#${bucket}`, sk: activityId });
export const escortCheckBucketQuery = (bucket: string) => ({ pk: `REMIND#ESCORT#${bucket}` });
