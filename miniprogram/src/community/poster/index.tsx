import { View } from '@tarojs/components';
import { Button } from '../../components/button';
import { PageShell } from '../../components/page-shell';
import { PosterCode } from '../../components/poster-code';
import { ErrorState, Loading } from '../../components/state';
import { StaffOnly } from '../../components/staff-only';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { PAGES, pageUrl, useQuery } from '../../nav';
import { api } from '../../api/client';
import { canPrint, printPage, webLink } from '../../platform';
import { isStaff, useCurrentCommunity } from '../../store/community';
import './index.css';

/**
 * 加入社区海报 (staff): the community's join QR with its name, printable on one A4 sheet. In a
 * browser the QR holds the join page's link; in the mini-program it is the community's
 * mini-program code (WeChat's scanner opens the join page with the community as its `scene`).
 */
export default function JoinPoster() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const link = cid ? webLink(pageUrl(PAGES.join, { cid })) : undefined;
  const poster = useRequest(
    async () => {
      const params = { cid: cid ?? '' };
      const [community, code] = await Promise.all([api('getCommunity', { params }), link ? undefined : api('joinCode', { params })]);
      return { community, codeUrl: code?.url };
    },
    [cid],
    Boolean(cid && allowed),
  );

  if (!cid || (user && !allowed)) {
    return <StaffOnly purpose="此页面用于打印本社区的加入二维码。" />;
  }
  if (poster.error !== undefined) return <PageShell><ErrorState error={poster.error} onRetry={poster.reload} /></PageShell>;
  if (!poster.data) return <PageShell><Loading /></PageShell>;
  const { community, codeUrl } = poster.data;
  const label = `加入${community.name}的二维码`;

  return (
    <PageShell>
      <View className="poster">
        <View className="poster__title">扫码加入{community.name}</View>
        <View className="poster__place">
          {community.district} · {community.street}
        </View>
        <PosterCode link={link} codeUrl={codeUrl} label={label} />
        <View className="poster__steps">
          <View>一、{link ? '用微信或手机相机扫描上方二维码' : '用微信扫描上方小程序码'}</View>
          <View>二、填写您家的门牌号（如 3-2-501）</View>
          <View>三、等待居委会工作人员核实</View>
        </View>
      </View>
      {canPrint ? (
        <View className="poster__actions">
          <Button block onClick={printPage}>
            打印海报（A4）
          </Button>
        </View>
      ) : (
        <View className="poster__actions muted">长按小程序码可保存或转发，打印后张贴在小区出入口和公告栏。</View>
      )}
    </PageShell>
  );
}
