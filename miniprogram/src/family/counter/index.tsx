import { useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StaffOnly } from '../../components/staff-only';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { confirm, toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { LinkCodeMaker } from '../link-code';
import '../family.css';

interface Elder {
  id: string;
  name: string;
  household: string;
}

/**
 * 窗口代办登记 (staff, at the service hall's counter): for an elder without a phone (made a 户内成员
 * here) or a resident whose phone is not at hand, staff make a 代办码; the family member standing at
 * the counter enters or scans it on their own phone, and the link is active at once: staff saw both.
 */
export default function FamilyCounter() {
  const { cid, staff } = useCurrentCommunity();
  const [phoneless, setPhoneless] = useState(true);
  const [elder, setElder] = useState<Elder | undefined>(undefined);

  if (!cid || !staff) return <StaffOnly purpose="此页面用于在社区窗口为老人登记代办家人。" />;
  return (
    <PageShell className="stack desk-column">
      <Card title="第一步：老人">
        <View className="row" role="group" aria-label="老人的情况">
          {[true, false].map((value) => (
            <Button
              key={String(value)}
              small
              variant={phoneless === value ? 'primary' : 'secondary'}
              onClick={() => {
                setPhoneless(value);
                setElder(undefined);
              }}
            >
              {`${phoneless === value ? '✓ ' : ''}${value ? '没有手机的老人' : '本社区已核实的居民'}`}
            </Button>
          ))}
        </View>
        {elder ? (
          <View className="family-row">
            <View>
              <View className="h2">{elder.name}</View>
              <View className="family-muted">门牌 {elder.household}</View>
            </View>
            <Button small variant="secondary" onClick={() => setElder(undefined)}>重新选择</Button>
          </View>
        ) : phoneless ? (
          <HeldMemberForm cid={cid} onCreated={setElder} />
        ) : (
          <ResidentPicker cid={cid} onPicked={setElder} />
        )}
      </Card>
      {elder ? (
        <Card title="第二步：家人扫码">
          <View className="family-muted">请家人用自己的微信打开邻里，进入“我的 → 亲情代办 → 我帮助的家人 → 输入代办码”，输入或扫描下面的代办码，提交后立即生效，可为老人预约、取号和查看志愿时长。</View>
          <LinkCodeMaker key={elder.id} make={(key) => api('createLinkCode', { body: { communityId: cid, elderId: elder.id }, idempotencyKey: key })} />
        </Card>
      ) : null}
    </PageShell>
  );
}

/** A 户内成员 for an elder with no phone: name and 门牌, verified here at the counter. */
function HeldMemberForm({ cid, onCreated }: { cid: string; onCreated: (elder: Elder) => void }) {
  const [name, setName] = useState('');
  const [household, setHousehold] = useState('');
  const create = useSubmit((key) => api('createHeldMember', { params: { cid }, body: { realName: name.trim(), household: household.trim() }, idempotencyKey: key }));
  const errors = fieldErrors(create.error);
  return (
    <View className="stack">
      <View className="family-muted">请核对老人的身份证件和门牌，为老人建立户内成员记录（视为已核实）。</View>
      <Field label="老人姓名" value={name} onInput={setName} maxlength={20} error={errors.realName} />
      <Field label="门牌" value={household} onInput={setHousehold} placeholder="如 3-2-501" maxlength={20} error={errors.household} />
      <Button
        block
        disabled={!name.trim() || !household.trim()}
        loading={create.busy}
        onClick={async () => {
          if (!(await confirm('建立记录', `为 ${name.trim()}（${household.trim()}）建立户内成员记录，并视为已核实门牌？`, '建立'))) return;
          const held = await create.run();
          if (!held) return;
          toast('已建立户内成员记录', 'success');
          onCreated({ id: held.userId, name: held.realName, household: held.household });
        }}
      >
        建立户内成员记录
      </Button>
    </View>
  );
}

/** A verified resident found by 门牌 or name. */
function ResidentPicker({ cid, onPicked }: { cid: string; onPicked: (elder: Elder) => void }) {
  const [q, setQ] = useState('');
  const found = useRequest(() => api('listMembers', { params: { cid }, query: { verified: 'true', q: q.trim(), limit: 10 } }), [cid, q], q.trim().length > 0);
  return (
    <View className="stack">
      <Field label="按门牌或姓名查找" value={q} onInput={setQ} placeholder="如 3-2-501 或 李" maxlength={20} />
      {q.trim() ? (
        <Async state={found} isEmpty={(p) => p.items.length === 0} empty={<Empty title="没有找到已核实的居民" />}>
          {(p) => (
            <View>
              {p.items.map((m) => {
                const elder = { id: m.userId, name: m.realName ?? m.nickname ?? '居民', household: m.household };
                return (
                  <View key={m.userId} className="family-row">
                    <View>
                      <View>{elder.name}</View>
                      <View className="family-muted">门牌 {m.household}</View>
                    </View>
                    <Button small onClick={() => onPicked(elder)}>选择</Button>
                  </View>
                );
              })}
            </View>
          )}
        </Async>
      ) : null}
    </View>
  );
}
