import { View } from '@tarojs/components';
import { Button } from '../../components/button';
import { PageShell } from '../../components/page-shell';
import { QrCode } from '../../components/qr-code';
import { Empty, ErrorState, Loading } from '../../components/state';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { PAGES, useQuery } from '../../nav';
import { api } from '../../api/client';
import { isStaff, useCurrentCommunity } from '../../store/community';
import './index.css';

/**
 * The link the join QR holds. On h5 the join page of this very site. On weapp, for now, the
 * same page path with the community (a mini-program code with `scene` = cid, from
 * wxacode.getUnlimited on the server, is what scanning with WeChat needs; the join page already
 * reads `scene`).
 */
function joinLink(cid: string): string {
  const path = `${PAGES.join}?cid=${encodeURIComponent(cid)}`;
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') return `${window.location.origin}${window.location.pathname}#${path}`;
  return path;
}

/** 加入社区海报 (staff): the community's join QR with its name, printable on one A4 sheet. */
export default function JoinPoster() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const community = useRequest(() => api('getCommunity', { params: { cid: cid ?? '' } }), [cid], Boolean(cid && allowed));

  if (!cid || (user && !allowed)) {
    return (
      <PageShell>
        <Empty title="仅社区工作人员可用" text="此页面用于打印本社区的加入二维码。" />
      </PageShell>
    );
  }
  if (community.error !== undefined) return <PageShell><ErrorState error={community.error} onRetry={community.reload} /></PageShell>;
  if (!community.data) return <PageShell><Loading /></PageShell>;

  return (
    <PageShell>
      <View className="poster">
        <View className="poster__title">扫码加入{community.data.name}</View>
        <View className="poster__place">
          {community.data.district} · {community.data.street}
        </View>
        <QrCode text={joinLink(cid)} size={280} label={`加入${community.data.name}的二维码`} />
        <View className="poster__steps">
          <View>一、用微信或手机相机扫描上方二维码</View>
          <View>二、填写您家的门牌号（如 3-2-501）</View>
          <View>三、等待居委会工作人员核实</View>
        </View>
      </View>
      {process.env.TARO_ENV === 'h5' ? (
        <View className="poster__actions">
          <Button block onClick={() => window.print()}>
            打印海报（A4）
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}
