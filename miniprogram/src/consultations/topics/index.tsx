import { useState } from 'react';
import { View } from '@tarojs/components';
import { api, type ApiResponse } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag, type Tone } from '../../components/status-tag';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, useQuery } from '../../nav';
import { toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { instantText } from '../../components/date-time-picker';
import { TextBox } from '../shared';

type Topic = ApiResponse<'supportTopic'>;

const STATUS: Record<Topic['status'], { text: string; tone: Tone }> = {
  open: { text: '征集中', tone: 'ok' },
  closed: { text: '已答复', tone: 'info' },
  adopted: { text: '已转为协商', tone: 'info' },
};

/** 议题征集 (征): propose a topic, second others; staff triage them by support. */
export default function Topics() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const staff = current.staff;
  const topics = useRequest(() => api('listTopics', { params: { cid: cid ?? '' }, query: { limit: 50 } }), [cid], Boolean(cid));
  const [proposing, setProposing] = useState(false);

  if (!cid) return <PageShell><Empty title="加入社区后可以提出议题" /></PageShell>;
  return (
    <PageShell className="stack">
      <View className="muted">
        一征三议两公开：居民提出议题、邻居附议；工作人员按附议数梳理议题，转为协商投票或答复。
      </View>
      {user && !proposing ? (
        <Button block onClick={() => setProposing(true)}>
          提出议题
        </Button>
      ) : null}
      {proposing ? (
        <ProposeForm
          cid={cid}
          onCancel={() => setProposing(false)}
          onDone={() => {
            setProposing(false);
            void topics.reload();
          }}
        />
      ) : null}
      {staff ? <View className="h2">议题梳理（按附议数排序）</View> : <View className="h2">全部议题</View>}
      <Async state={topics} isEmpty={(page) => page.items.length === 0} empty={<Empty title="还没有议题" text="您关心的小区事务，都可以在这里提出。" />}>
        {(page) => (
          <>
            {page.items.map((topic) => (
              <TopicCard key={topic.id} topic={topic} staff={staff} signedIn={Boolean(user)} onChange={() => void topics.reload()} />
            ))}
          </>
        )}
      </Async>
    </PageShell>
  );
}

function ProposeForm({ cid, onDone, onCancel }: { cid: string; onDone: () => void; onCancel: () => void }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const propose = useSubmit((key) => api('proposeTopic', { params: { cid }, body: { title, body }, idempotencyKey: key }));
  const errors = fieldErrors(propose.error);
  return (
    <Card title="提出议题">
      <Field label="议题标题" value={title} onInput={setTitle} maxlength={60} error={errors.title} placeholder="例如：加装电梯" />
      <TextBox label="具体情况和建议" value={body} onInput={setBody} maxlength={2000} error={errors.body} />
      <View className="row">
        <Button
          disabled={!title.trim() || !body.trim()}
          loading={propose.busy}
          loadingText="正在提交…"
          onClick={async () => {
            if (await propose.run()) {
              toast('议题已提交', 'success');
              onDone();
            }
          }}
        >
          提交议题
        </Button>
        <Button variant="plain" onClick={onCancel}>
          取消
        </Button>
      </View>
    </Card>
  );
}

function TopicCard({ topic, staff, signedIn, onChange }: { topic: Topic; staff: boolean; signedIn: boolean; onChange: () => void }) {
  const [support, setSupport] = useState(topic.support);
  const [replying, setReplying] = useState(false);
  const [reply, setReply] = useState('');
  const second = useSubmit((key) => api('supportTopic', { params: { id: topic.id }, idempotencyKey: key }));
  const close = useSubmit((key) => api('closeTopic', { params: { id: topic.id }, body: { reply }, idempotencyKey: key }));
  const status = STATUS[topic.status];
  return (
    <Card title={<View className="h2">{topic.title}</View>} extra={<StatusTag tone={status.tone}>{status.text}</StatusTag>}>
      <View className="detail__body">{topic.body}</View>
      <View className="muted gap-top">
        {topic.author} 提出 · {instantText(topic.createdAt)} · <View style={{ display: 'inline', fontWeight: 700 }}>{support} 人附议</View>
      </View>
      {topic.reply ? <View className="gap-top">社区答复：{topic.reply}</View> : null}
      {topic.status === 'adopted' && topic.consultationId ? (
        <Button variant="plain" small onClick={() => go(PAGES.consultationDetail, { id: topic.consultationId })}>
          查看协商投票
        </Button>
      ) : null}
      {topic.status === 'open' && signedIn ? (
        <View className="row gap-top">
          <Button
            variant="secondary"
            small
            loading={second.busy}
            onClick={async () => {
              const updated = await second.run();
              if (updated) {
                setSupport(updated.support);
                toast('已附议', 'success');
              }
            }}
          >
            {`附议（${support}）`}
          </Button>
          {staff ? (
            <>
              <Button small onClick={() => go(PAGES.consultationEditor, { topicId: topic.id, title: topic.title })}>
                转为协商
              </Button>
              <Button small variant="plain" onClick={() => setReplying(true)}>
                答复并关闭
              </Button>
            </>
          ) : null}
        </View>
      ) : null}
      {replying ? (
        <View>
          <TextBox label="答复内容（居民可见）" value={reply} onInput={setReply} maxlength={1000} error={fieldErrors(close.error).reply} />
          <Button
            block
            disabled={!reply.trim()}
            loading={close.busy}
            onClick={async () => {
              if (await close.run()) {
                setReplying(false);
                onChange();
              }
            }}
          >
            确认答复并关闭
          </Button>
        </View>
      ) : null}
    </Card>
  );
}
