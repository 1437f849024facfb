import { useState } from 'react';
import { View } from '@tarojs/components';
import type { Community } from '@contract/identity';
import { api } from '../../api/client';
import { tappable } from '../a11y';
import { Button } from '../button';
import { Card } from '../card';
import { Field } from '../field';
import { Async, Empty } from '../state';
import { useRequest } from '../../hooks/use-request';

/** Find a community by part of its name or street (a resident about to join, an admin about to help one): never by its id. */
export function FindCommunity({ onChoose, title = '查找社区', hint }: { onChoose: (community: Community) => void; title?: string; hint?: string }) {
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const found = useRequest(() => api('listCommunities', { query: { q, limit: 20 } }).then((p) => p.items), [q], Boolean(q));
  return (
    <Card title={title}>
      <Field label="社区名称或街道" value={typed} onInput={setTyped} placeholder="如 幸福里 或 西司门" hint={hint} maxlength={30} />
      <View style={{ marginTop: '10px' }}>
        <Button variant="secondary" block disabled={!typed.trim()} onClick={() => setQ(typed.trim())}>
          查找社区
        </Button>
      </View>
      {q ? (
        <Async state={found} isEmpty={(items) => items.length === 0} empty={<Empty title="未找到社区" text="换个名称或街道试试。" />}>
          {(items) => (
            <View className="stack" style={{ marginTop: '10px' }}>
              {items.map((c) => (
                <View key={c.id} className="card" {...tappable(() => onChoose(c))} onClick={() => onChoose(c)}>
                  <View className="h2">{c.name}</View>
                  <View className="muted">
                    {c.district} · {c.street}
                  </View>
                </View>
              ))}
            </View>
          )}
        </Async>
      ) : null}
    </Card>
  );
}
