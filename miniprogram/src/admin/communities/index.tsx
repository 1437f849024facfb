import { useState } from 'react';
import { View } from '@tarojs/components';
import type { Community } from '@contract/identity';
import { api } from '../../api/client';
import { errorMessage, fieldErrors } from '../../api/errors';
import { tappable } from '../../components/a11y';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go } from '../../nav';
import { confirm, toast } from '../../platform';
import { formatNumber } from '../../utils/format';
import './index.css';

interface Draft {
  name: string;
  district: string;
  street: string;
  residents: string;
  households: string;
}
const EMPTY: Draft = { name: '', district: '', street: '', residents: '', households: '' };
const draftOf = (c: Community): Draft => ({ name: c.name, district: c.district, street: c.street, residents: String(c.residents), households: String(c.households) });
/** As typed; the contract's schema on the server judges it (必填, 应为整数). */
const numberOf = (text: string): number => (text.trim() ? Number(text) : Number.NaN);

/**
 * 社区管理 (platform admin): communities found by name, 区 and 街道; create one, edit it, and
 * appoint its first director (主任) from its members: the director-to-be joins through the
 * community's join QR (shown here), then the admin picks them. Side by side at a desk.
 */
export default function CommunitiesAdmin() {
  const { user } = useMe();
  const [search, setSearch] = useState({ q: '', district: '', street: '' });
  const [typed, setTyped] = useState(search);
  const [chosen, setChosen] = useState<Community | 'new' | undefined>(undefined);
  const list = useRequest(
    () => api('listCommunities', { query: { ...search, limit: 50 } }).then((p) => p.items),
    [search.q, search.district, search.street],
    Boolean(user?.admin),
  );

  if (user && !user.admin) {
    return (
      <PageShell>
        <Empty title="仅平台管理员可用" text="此页面用于创建和管理社区。" />
      </PageShell>
    );
  }

  return (
    <PageShell className="stack">
      <View className="adm-panes">
        <Card title="社区列表" extra={<Button small onClick={() => setChosen('new')}>新建社区</Button>}>
          <View className="adm-search">
            <Field label="名称或街道" value={typed.q} onInput={(q) => setTyped((t) => ({ ...t, q }))} maxlength={30} />
            <Field label="区" value={typed.district} onInput={(district) => setTyped((t) => ({ ...t, district }))} placeholder="如 鼓楼区" maxlength={30} />
            <Field label="街道" value={typed.street} onInput={(street) => setTyped((t) => ({ ...t, street }))} placeholder="如 西司门街道" maxlength={30} />
            <Button variant="secondary" onClick={() => setSearch({ q: typed.q.trim(), district: typed.district.trim(), street: typed.street.trim() })}>
              查找
            </Button>
          </View>
          <Async state={list} isEmpty={(items) => items.length === 0} empty={<Empty title="没有符合条件的社区" />}>
            {(items) => (
              <View>
                {items.map((c) => {
                  const on = chosen !== 'new' && chosen?.id === c.id;
                  return (
                    <View
                      key={c.id}
                      className={`adm-row ${on ? 'adm-row--on' : ''}`}
                      {...tappable(() => setChosen(c))}
                      onClick={() => setChosen(c)}
                    >
                      <View className="adm-row__name">{c.name}</View>
                      <View>{c.district}</View>
                      <View>{c.street}</View>
                      <View className="muted">
                        {formatNumber(c.households)} 户 · {formatNumber(c.residents)} 人
                      </View>
                    </View>
                  );
                })}
              </View>
            )}
          </Async>
        </Card>
        {chosen ? (
          <View className="stack">
            <CommunityForm
              key={chosen === 'new' ? 'new' : chosen.id}
              community={chosen === 'new' ? undefined : chosen}
              onSaved={(c) => {
                setChosen(c);
                void list.reload();
              }}
            />
            {chosen === 'new' ? null : <Director community={chosen} />}
          </View>
        ) : (
          <Card>
            <View className="muted">选择左侧的社区进行修改、任命主任，或新建社区。</View>
          </Card>
        )}
      </View>
    </PageShell>
  );
}

function CommunityForm({ community, onSaved }: { community: Community | undefined; onSaved: (c: Community) => void }) {
  const [draft, setDraft] = useState<Draft>(community ? draftOf(community) : EMPTY);
  const set = (key: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const save = useSubmit((key) => {
    const body = {
      name: draft.name.trim(),
      district: draft.district.trim(),
      street: draft.street.trim(),
      residents: numberOf(draft.residents),
      households: numberOf(draft.households),
    };
    return community
      ? api('updateCommunity', { params: { cid: community.id }, body, idempotencyKey: key })
      : api('createCommunity', { body, idempotencyKey: key });
  });
  const errors = fieldErrors(save.error);
  return (
    <Card title={community ? `修改 ${community.name}` : '新建社区'}>
      <Field label="社区名称" value={draft.name} onInput={set('name')} placeholder="如 幸福里社区" error={errors.name} maxlength={60} />
      <Field label="所属区" value={draft.district} onInput={set('district')} placeholder="如 鼓楼区" error={errors.district} maxlength={30} />
      <Field label="所属街道" value={draft.street} onInput={set('street')} placeholder="如 西司门街道" error={errors.street} maxlength={30} />
      <Field label="常住人口（官方数）" type="number" value={draft.residents} onInput={set('residents')} error={errors.residents} maxlength={7} />
      <Field label="户数（官方数）" type="number" value={draft.households} onInput={set('households')} error={errors.households} maxlength={7} />
      {save.error !== undefined && Object.keys(errors).length === 0 ? (
        <View className="field__error" role="alert">
          错误：{errorMessage(save.error)}
        </View>
      ) : null}
      <View className="adm-actions">
        <Button
          block
          loading={save.busy}
          loadingText="正在保存…"
          onClick={async () => {
            const saved = await save.run();
            if (saved) {
              toast(community ? '已保存' : '已创建社区', 'success');
              onSaved(saved);
            }
          }}
        >
          {community ? '保存修改' : '创建社区'}
        </Button>
      </View>
    </Card>
  );
}

/** The community's staff, and its members to appoint a director from. */
function Director({ community }: { community: Community }) {
  const cid = community.id;
  const staff = useRequest(() => api('listStaff', { params: { cid } }).then((r) => r.items), [cid]);
  const members = useRequest(() => api('listMembers', { params: { cid }, query: { limit: 50 } }).then((p) => p.items), [cid]);
  const appoint = useSubmit((key, uid: string) => api('appointStaff', { params: { cid, uid }, body: { role: 'director' }, idempotencyKey: key }));
  const directors = (staff.data ?? []).filter((s) => s.staffRole === 'director');
  return (
    <Card title="任命主任">
      {directors.length ? (
        <View>现任主任：{directors.map((d) => d.name ?? '未留姓名').join('、')}</View>
      ) : (
        <View className="muted">本社区尚无主任。请主任本人先扫描本社区的加入二维码申请加入，再在下方选择。</View>
      )}
      <View className="adm-actions">
        <Button variant="secondary" onClick={() => go(PAGES.joinPoster, { cid })}>
          显示加入二维码
        </Button>
      </View>
      <Async state={members} isEmpty={(items) => items.length === 0} empty={<Empty title="暂无成员申请加入" />}>
        {(items) => (
          <View>
            {items.map((m) => {
              const name = m.realName ?? m.nickname ?? '未留姓名';
              return (
                <View key={m.userId} className="adm-row adm-row--member">
                  <View className="adm-row__name">{name}</View>
                  <View>{m.household}</View>
                  <View>
                    <StatusTag tone={m.verified ? 'ok' : 'pending'}>{m.verified ? '已核实' : '待核实'}</StatusTag>
                  </View>
                  <Button
                    small
                    loading={appoint.busy}
                    loadingText="正在任命…"
                    onClick={async () => {
                      const sure = await confirm(`任命 ${name} 为主任？`, `${name}（${m.household}）将成为${community.name}的主任，可任免工作人员、核实成员。`, '任命');
                      if (sure && (await appoint.run(m.userId))) {
                        toast('已任命为主任', 'success');
                        void staff.reload();
                      }
                    }}
                  >
                    {`任命 ${name} 为主任`}
                  </Button>
                </View>
              );
            })}
          </View>
        )}
      </Async>
    </Card>
  );
}
