import { View } from '@tarojs/components';
import type { ApiResponse } from '../api/client';
import { Card } from '../components/card';
import { QrCode } from '../components/qr-code';
import { StatusTag, type Tone } from '../components/status-tag';
import './shared.css';

export type Appointment = ApiResponse<'getAppointment'>;

export const STATUS: Record<Appointment['status'], { text: string; tone: Tone }> = {
  booked: { text: '待办理', tone: 'info' },
  checked_in: { text: '已签到', tone: 'ok' },
  completed: { text: '已办结', tone: 'ok' },
  no_show: { text: '爽约', tone: 'danger' },
  cancelled: { text: '已取消', tone: 'pending' },
};

export const StatusOf = ({ status }: { status: Appointment['status'] }) => <StatusTag tone={STATUS[status].tone}>{STATUS[status].text}</StatusTag>;

const WEEKDAY: Record<string, string> = { mon: '周一', tue: '周二', wed: '周三', thu: '周四', fri: '周五', sat: '周六', sun: '周日' };
export const weekdayText = (w: string): string => WEEKDAY[w] ?? w;

/** The API's times carry the community's offset: the wall-clock part is what people read. */
export const hhmm = (iso: string): string => iso.slice(11, 16);
export const dayText = (iso: string): string => `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
export const slotText = (start: string, end?: string): string => `${dayText(start)} ${hhmm(start)}${end ? `–${hhmm(end)}` : ''}`;

/** The booking's QR (shown at the hall): one image, see components/qr-code. */
export const BookingQr = ({ text }: { text: string }) => <QrCode text={text} label="预约二维码" />;

/** 一次告知: everything to bring, numbered (the service page and the booking detail). */
export function MaterialsCard({ materials }: { materials: string[] }) {
  return (
    <Card title={<View className="h2">请带齐以下材料（一次告知）</View>}>
      {materials.length === 0 ? <View className="muted">无需携带材料</View> : null}
      <View className="appt-materials">
        {materials.map((m, i) => (
          <View key={m} className="appt-materials__item">
            <View className="appt-materials__no">{i + 1}.</View>
            <View>{m}</View>
          </View>
        ))}
      </View>
    </Card>
  );
}
