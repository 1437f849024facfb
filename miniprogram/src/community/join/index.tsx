import { useRef, useState } from 'react';
import { useDidHide, useDidShow, useUnload } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { errorMessage, fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { FindCommunity } from '../../components/find-community';
import { PageShell } from '../../components/page-shell';
import { Loading } from '../../components/state';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { back, useQuery } from '../../nav';
import { toast } from '../../platform';
import { chooseCommunity } from '../../store/community';
import { saveUser } from '../../store/session';

/**
 * 加入社区: the community comes from the join QR or link (`cid`, or `scene` from a mini-program
 * code); without one the person finds it by name or street. Then the household 门牌 and,
 * optionally, real name and phone for the staff who verify it. A refused or revoked request
 * shows why.
 */
export default function Join() {
  const query = useQuery();
  const [cid, setCid] = useState(query.cid ?? query.scene ?? '');
  const { user } = useMe();
  const community = useRequest(() => api('getCommunity', { params: { cid } }), [cid], Boolean(cid));
  const ended = user?.endedMemberships?.find((m) => m.communityId === cid);

  return (
    <PageShell className="stack">
      {cid ? (
        <Card title="加入社区">
          {community.loading ? (
            <Loading text="正在查找社区…" />
          ) : community.error !== undefined ? (
            <View className="field__error" role="alert">
              {(community.error as { code?: string }).code === 'NOT_FOUND' ? '未找到该社区，请重新扫码或按名称查找' : errorMessage(community.error)}
            </View>
          ) : community.data ? (
            <View>
              <View className="h2">{community.data.name}</View>
              <View className="muted">
                {community.data.district} · {community.data.street}
              </View>
            </View>
          ) : null}
          {query.cid || query.scene ? null : (
            <View style={{ marginTop: '10px' }}>
              <Button variant="secondary" block onClick={() => setCid('')}>
                换一个社区
              </Button>
            </View>
          )}
        </Card>
      ) : (
        <FindCommunity onChoose={(c) => setCid(c.id)} hint="也可扫描居委会张贴的加入二维码" />
      )}
      {ended ? (
        <View className="field__error" role="alert">
          {ended.status === 'refused' ? '您之前的加入申请未通过' : '您在本社区的成员身份已被撤销'}，原因：{ended.reason}。如有误，可更正门牌后重新申请。
        </View>
      ) : null}
      {cid && community.data ? <JoinForm cid={cid} /> : null}
    </PageShell>
  );
}

function JoinForm({ cid }: { cid: string }) {
  const [household, setHousehold] = useState('');
  const [realName, setRealName] = useState('');
  const [phone, setPhone] = useState('');
  const join = useSubmit(async (key) => {
    const member = await api('join', {
      params: { cid },
      body: {
        household: household.trim(),
        ...(realName.trim() ? { realName: realName.trim() } : {}),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
      },
      idempotencyKey: key,
    });
    chooseCommunity(cid);
    saveUser(await api('me'));
    return member;
  });
  const errors = fieldErrors(join.error);
  const onScreen = useRef(true);
  useDidShow(() => {
    onScreen.current = true;
  });
  useDidHide(() => {
    onScreen.current = false;
  });
  useUnload(() => {
    onScreen.current = false;
  });

  const submit = async () => {
    if (await join.run()) {
      toast('已提交，请等待工作人员核实', 'success');
      // Back once the toast has been read, unless the person has left meanwhile (it would pop the page they opened).
      setTimeout(() => {
        if (onScreen.current) back();
      }, 800);
    }
  };

  return (
    <>
      <Card title="填写住户信息">
        <Field label="门牌号" value={household} onInput={setHousehold} placeholder="如 3-2-501" hint="楼栋-单元-房号，如 3-2-501" error={errors.household} maxlength={20} />
        <Field label="真实姓名" optional value={realName} onInput={setRealName} placeholder="便于工作人员核实" error={errors.realName} maxlength={20} />
        <Field label="手机号" optional type="number" value={phone} onInput={setPhone} placeholder="11 位手机号" error={errors.phone} maxlength={11} />
        <View className="muted" style={{ marginTop: '10px' }}>
          姓名和手机号只给本社区工作人员核实身份用；其他居民看到的是脱敏信息（如 张*、138****1234）。
        </View>
      </Card>
      {join.error !== undefined && Object.keys(errors).length === 0 ? (
        <View className="field__error" role="alert">
          错误：{errorMessage(join.error)}
        </View>
      ) : null}
      <Button block loading={join.busy} loadingText="正在提交…" disabled={!household.trim()} onClick={() => void submit()}>
        提交申请
      </Button>
    </>
  );
}
