import type { Membership } from '@contract/identity';
import { View } from '@tarojs/components';
import { StatusTag } from '../status-tag';

/**
 * A membership's state in words: 工作人员, and 已核实 / 待核实 for a household. Staff appointed
 * without a household of their own show only 工作人员.
 */
export function MembershipTag({ membership }: { membership: Membership }) {
  const staff = membership.role === 'staff';
  return (
    <View className="row">
      {staff ? <StatusTag tone="info">工作人员</StatusTag> : null}
      {staff && !membership.household ? null : membership.verified ? (
        <StatusTag tone="ok">已核实</StatusTag>
      ) : (
        <StatusTag tone="pending">待核实</StatusTag>
      )}
    </View>
  );
}

/** Whether the membership still waits for staff to verify a household. */
export const awaitsVerification = (membership: Membership): boolean =>
  !membership.verified && !(membership.role === 'staff' && !membership.household);
