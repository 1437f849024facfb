import { useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { errorMessage, fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Loading } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { back, useQuery } from '../../nav';
import { toast } from '../../platform';
import { chooseCommunity } from '../../store/community';
import { saveUser } from '../../store/session';

/** The community people join when they do not say which (the demo community of the seed). */
const DEFAULT_COMMUNITY = 'demo';

/**
 * 加入社区: choose the community by its id (a later version lists them by street), give the
 * household 门牌 and, optionally, real name and phone for the staff who verify it.
 */
export default function Join() {
  const query = useQuery();
  const [cidInput, setCidInput] = useState(query.cid ?? DEFAULT_COMMUNITY);
  const [cid, setCid] = useState(cidInput);
  const [household, setHousehold] = useState('');
  const [realName, setRealName] = useState('');
  const [phone, setPhone] = useState('');

  const community = useRequest(() => api('getCommunity', { params: { cid } }), [cid], Boolean(cid));

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

  const submit = async () => {
    if (await join.run()) {
      toast('已提交，请等待工作人员核实', 'success');
      setTimeout(back, 800);
    }
  };

  return (
    <PageShell className="stack">
      <Card title="选择社区">
        <Field label="社区编号" value={cidInput} onInput={setCidInput} placeholder="如 demo" hint="可向居委会工作人员询问社区编号" maxlength={64} />
        <View style={{ marginTop: '10px' }}>
          <Button variant="secondary" block disabled={!cidInput.trim() || cidInput.trim() === cid} onClick={() => setCid(cidInput.trim())}>
            查找社区
          </Button>
        </View>
        <View style={{ marginTop: '10px' }}>
          {community.loading ? (
            <Loading text="正在查找社区…" />
          ) : community.error !== undefined ? (
            <View className="field__error" role="alert">
              {(community.error as { code?: string }).code === 'NOT_FOUND' ? '未找到该社区，请检查社区编号' : errorMessage(community.error)}
            </View>
          ) : community.data ? (
            <View>
              <View className="h2">{community.data.name}</View>
              <View className="muted">
                {community.data.district} · {community.data.street}
              </View>
            </View>
          ) : null}
        </View>
      </Card>

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
      <Button block loading={join.busy} loadingText="正在提交…" disabled={!community.data || !household.trim()} onClick={() => void submit()}>
        提交申请
      </Button>
    </PageShell>
  );
}
