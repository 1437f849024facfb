import { View } from '@tarojs/components';
import QRCode from 'qrcode';
import type { ApiResponse } from '../api/client';
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

/** A QR code drawn with views (works in the mini-program and on h5): runs of dark modules per row. */
export function QrCode({ text, size = 220 }: { text: string; size?: number }) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + quiet * 2);
  const rows: { x: number; w: number }[][] = [];
  for (let y = 0; y < n; y++) {
    const runs: { x: number; w: number }[] = [];
    let x = 0;
    while (x < n) {
      if (qr.modules.get(y, x)) {
        const from = x;
        while (x < n && qr.modules.get(y, x)) x++;
        runs.push({ x: from, w: x - from });
      } else x++;
    }
    rows.push(runs);
  }
  return (
    <View className="appt-qr" style={{ width: `${size}px`, height: `${size}px` }} aria-label="预约二维码">
      {rows.map((runs, y) =>
        runs.map((r) => (
          <View
            key={`${y}-${r.x}`}
            className="appt-qr__dark"
            style={{ left: `${(r.x + quiet) * cell}px`, top: `${(y + quiet) * cell}px`, width: `${r.w * cell + 0.5}px`, height: `${cell + 0.5}px` }}
          />
        )),
      )}
    </View>
  );
}
