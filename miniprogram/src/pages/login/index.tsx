import { useState } from 'react';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { api, loginSilently, loginWithDevOpenid } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES } from '../../nav';
import { toast, usesDevLogin } from '../../platform';
import { saveUser } from '../../store/session';

/** Demo accounts of the local and test stages (see the seed data). */
const DEMO = [
  { openid: 'resident-li', label: '居民 李' },
  { openid: 'resident-zhang', label: '居民 张' },
  { openid: 'volunteer-chen', label: '志愿者 陈' },
  { openid: 'staff-wang', label: '工作人员 王' },
  { openid: 'admin', label: '平台管理员' },
];

async function afterLogin(): Promise<void> {
  saveUser(await api('me'));
  toast('登录成功', 'success');
  void Taro.switchTab({ url: PAGES.home });
}

/**
 * Login. weapp: WeChat login (normally silent; this page is the retry). h5: dev login with an
 * openid (local and test stages only).
 */
export default function Login() {
  const [openid, setOpenid] = useState('');
  const [nickname, setNickname] = useState('');
  const dev = useSubmit(async (_key, id: string, name?: string) => {
    await loginWithDevOpenid(id, name);
    await afterLogin();
  });
  const wechat = useSubmit(async () => {
    await loginSilently();
    await afterLogin();
  });
  const errors = fieldErrors(dev.error);

  if (!usesDevLogin) {
    return (
      <PageShell className="stack">
        <Card title="登录邻里">
          <View className="muted">使用微信身份登录，我们不会获取您的手机号。</View>
          <View style={{ marginTop: '12px' }}>
            <Button block loading={wechat.busy} loadingText="正在登录…" onClick={() => void wechat.run()}>
              微信一键登录
            </Button>
          </View>
        </Card>
      </PageShell>
    );
  }

  return (
    <PageShell className="stack">
      <Card title="开发登录">
        <View className="muted">仅用于本地和测试环境。选择一个演示账号，或输入 openid。</View>
      </Card>
      <Card title="演示账号">
        <View className="stack">
          {DEMO.map((d) => (
            <Button key={d.openid} variant="secondary" block disabled={dev.busy} onClick={() => void dev.run(d.openid)}>
              {`${d.label}（${d.openid}）`}
            </Button>
          ))}
        </View>
      </Card>
      <Card title="其他账号">
        <Field label="openid" value={openid} onInput={setOpenid} placeholder="字母、数字、- 或 _" error={errors.openid} maxlength={64} />
        <Field label="昵称" optional value={nickname} onInput={setNickname} placeholder="如 李阿姨" error={errors.nickname} maxlength={32} />
        <View style={{ marginTop: '14px' }}>
          <Button block loading={dev.busy} loadingText="正在登录…" disabled={!openid.trim()} onClick={() => void dev.run(openid.trim(), nickname.trim() || undefined)}>
            登录
          </Button>
        </View>
      </Card>
    </PageShell>
  );
}
