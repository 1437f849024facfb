import type { MemberStatus, StaffRole } from '@contract/identity';

/** Member states as the 成员管理 tabs name them. */
export const MEMBER_STATUS_LABEL: Record<MemberStatus, string> = {
  pending: '待核实',
  verified: '已核实',
  refused: '已拒绝',
  revoked: '已撤销',
};

export const STAFF_ROLE_LABEL: Record<StaffRole, string> = { director: '主任', worker: '工作人员' };

/** A name as lists show it: the family name and the last character, 张*三 (one character: 张*). */
export function maskedName(name: string | undefined): string {
  if (!name) return '未留姓名';
  const chars = [...name];
  if (chars.length === 1) return `${chars[0]}*`;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

/** 138****1234 */
export const maskedPhone = (phone: string | undefined): string => (phone ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '未填写');
