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
import { ChoiceRow } from '../../consultations/shared';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { isStaff, useCurrentCommunity } from '../../store/community';
import { Line } from '../shared';
import '../shared.css';

/** '1、2，3 5' → ['1', '2', '3', '5']: people list buildings with whatever separator comes to hand. */
const parseBuildings = (text: string): string[] => text.split(/[\s,，、;；]+/).filter(Boolean);

/**
 * 网格管理 (community staff): the community's grids (包片联户: about 300 households each, by
 * building), each with its 网格员 from the staff roll; a household in no grid goes to the duty desk.
 */
export default function Grids() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const grids = useRequest(() => api('listGrids', { params: { cid: cid ?? '' } }), [cid], Boolean(cid && allowed));
  const roll = useRequest(() => api('listStaff', { params: { cid: cid ?? '' } }), [cid], Boolean(cid && allowed));
  const [name, setName] = useState('');
  const [buildings, setBuildings] = useState('');
  const [workerId, setWorkerId] = useState<string>();
  const [missing, setMissing] = useState<string>();
  const create = useSubmit((key, worker: string) =>
    api('createGrid', { params: { cid: cid ?? '' }, body: { name: name.trim(), buildings: parseBuildings(buildings), workerId: worker }, idempotencyKey: key }),
  );
  const errors = fieldErrors(create.error);

  if (!cid || (user && !allowed)) return <StaffOnly purpose="此页面用于社区工作人员划分网格。" />;

  const staffName = (uid: string) => roll.data?.items.find((s) => s.userId === uid)?.name ?? '工作人员';
  const submit = async () => {
    const problem = !name.trim() ? '请填写网格名称' : parseBuildings(buildings).length === 0 ? '请填写网格包含的楼栋' : !workerId ? '请选择网格员' : undefined;
    setMissing(problem);
    if (problem || !workerId) return;
    const sure = await confirm(
      '划分这个网格？',
      `${parseBuildings(buildings).join('、')} 号楼的住户今后反映的诉求，将交给网格员${staffName(workerId)}受理。`,
      '确认划分',
    );
    if (!sure) return;
    if (await create.run(workerId)) {
      toast('网格已划分', 'success');
      setName('');
      setBuildings('');
      setWorkerId(undefined);
      void grids.reload();
    }
  };

  return (
    <PageShell className="stack desk-column">
      <Async state={grids} isEmpty={(data) => data.items.length === 0} empty={<Empty title="还没有划分网格" text="未划入网格的住户，诉求交社区值班台受理。" />}>
        {(data) => (
          <View className="req-grid">
            {data.items.map((grid) => (
              <Card key={grid.id} title={<View className="h2">{grid.name}</View>}>
                <Line label="网格员">{grid.workerName ?? staffName(grid.workerId)}</Line>
                <Line label="楼栋">{grid.buildings.map((b) => `${b} 号楼`).join('、')}</Line>
                <Line label="核实户数">{grid.households} 户</Line>
              </Card>
            ))}
          </View>
        )}
      </Async>
      <Card title={<View className="h2">划分新网格</View>}>
        <View className="muted">一般以 300 户左右为一个网格，按楼栋划分；一栋楼只能属于一个网格。</View>
        <Field label="网格名称" value={name} onInput={setName} maxlength={30} placeholder="如 第一网格" error={errors.name} />
        <Field label="包含的楼栋" value={buildings} onInput={setBuildings} maxlength={200} placeholder="楼栋号，用顿号或空格隔开，如 1、2、3" error={errors.buildings ?? errors['buildings.0']} />
        <View className="field__label req-below">网格员</View>
        <Async state={roll} isEmpty={(data) => data.items.length === 0} empty={<Empty title="还没有工作人员" text="请先在“工作人员”页任命。" />}>
          {(data) => (
            <>
              {data.items.map((s) => (
                <ChoiceRow key={s.userId} label={s.name ?? '未填写姓名的工作人员'} selected={workerId === s.userId} multiple={false} onTap={() => setWorkerId(s.userId)} />
              ))}
            </>
          )}
        </Async>
        {errors.workerId ? <View className="field__error" role="alert">错误：{errors.workerId}</View> : null}
        {missing ? <View className="field__error" role="alert">错误：{missing}</View> : null}
        <Button block loading={create.busy} loadingText="正在保存…" onClick={() => void submit()}>
          划分网格
        </Button>
      </Card>
    </PageShell>
  );
}
