import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { PageShell } from '../../components/page-shell';
import { PosterCode } from '../../components/poster-code';
import { ErrorState, Loading } from '../../components/state';
import { StaffOnly } from '../../components/staff-only';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useQuery } from '../../nav';
import { canPrint, printPage, webLink } from '../../platform';
import { hoursText } from '../../queue/shared';
import { isStaff, useCurrentCommunity } from '../../store/community';
import '../../community/poster/index.css';

const dateText = (date: string): string => `${Number(date.slice(5, 7))}月${Number(date.slice(8))}日`;

/**
 * 大厅取号海报 (staff): the hall's walk-in QR with its categories, printable on one A4 sheet. The
 * hall token rotates every local day, so the poster says which day it is for.
 */
export default function HallPoster() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const poster = useRequest(
    async () => {
      const params = { cid: cid ?? '' };
      // The QR holds the take page with the day's hall token (a walk-in who has not joined may take a
      // number): its web link in a browser, the day's mini-program code in the mini-program.
      const [community, hall, qr] = await Promise.all([api('getCommunity', { params }), api('getHall', { params }), api('hallQr', { params })]);
      const link = webLink(qr.path);
      return { community, hall, qr, link, codeUrl: link ? undefined : (await api('hallCode', { params })).url };
    },
    [cid],
    Boolean(cid && allowed),
  );

  if (!cid || (user && !allowed)) {
    return <StaffOnly purpose="此页面用于打印服务大厅的取号二维码。" />;
  }
  if (poster.error !== undefined) return <PageShell><ErrorState error={poster.error} onRetry={poster.reload} /></PageShell>;
  if (!poster.data) return <PageShell><Loading /></PageShell>;
  const { community, hall, qr, link, codeUrl } = poster.data;

  return (
    <PageShell>
      <View className="poster">
        <View className="poster__title">扫码取号</View>
        <View className="poster__place">{community.name}服务大厅</View>
        <PosterCode link={link} codeUrl={codeUrl} label={`${community.name}服务大厅取号二维码`} />
        <View className="poster__steps">
          <View>一、{link ? '用微信或手机相机扫描上方二维码' : '用微信扫描上方小程序码'}</View>
          <View>二、选择要办理的业务：{hall.categories.map((c) => `${c.code} ${c.name}`).join('、')}</View>
          <View>三、留意叫号屏，听到号码请到对应窗口</View>
          {hall.hours.length ? <View>办理时间：{hoursText(hall.hours)}</View> : null}
          <View>本二维码限 {dateText(qr.date)} 当天使用</View>
        </View>
      </View>
      {canPrint ? (
        <View className="poster__actions">
          <Button block onClick={printPage}>
            打印海报（A4）
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}
