/**
 * 居务公开's categories, their words and their subscription messages. No schema library here:
 * the pages import these without pulling zod into their bundle; notices.ts builds its enum from
 * the same list and re-exports everything.
 */
import type { TemplateKey } from './notifications';

export const NOTICE_CATEGORIES = ['affairs', 'finance', 'party', 'notice', 'activity'] as const;
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number];

/** The words residents read for each category: the one place they are named. */
export const NOTICE_CATEGORY_LABEL: Record<NoticeCategory, string> = {
  affairs: '居务公开',
  finance: '财务公开',
  party: '党务公开',
  notice: '通知',
  activity: '活动',
};

/** Each category's subscription message: residents subscribe to the categories they care about. */
export const NOTICE_TEMPLATE: Record<NoticeCategory, TemplateKey> = {
  affairs: 'noticeAffairs',
  finance: 'noticeFinance',
  party: 'noticeParty',
  notice: 'noticeGeneral',
  activity: 'noticeActivity',
};
