import { useState } from 'react';
import { View } from '@tarojs/components';
import type { RequestCategory } from '@contract/requests';
import { api } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { PhotoPicker } from '../../components/photo-picker';
import { Empty, Loading } from '../../components/state';
import { TextBox } from '../../consultations/shared';
import { useMe } from '../../hooks/use-me';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, redirect } from '../../nav';
import { platformName, toast } from '../../platform';
import { useSubscribe } from '../../platform/subscriptions';
import { useCurrentCommunity } from '../../store/community';
import { CategoryChips, clockText } from '../shared';
import '../shared.css';

const MAX_TEXT = 500;

/**
 * 反映诉求 (a verified resident): category, what happened (≤ 500 characters), up to 3 photos and
 * where. The category's clock is stated before filing (限时办结); the request goes to the
 * household's 网格员.
 */
export default function NewRequest() {
  const { user } = useMe();
  const { cid, membership } = useCurrentCommunity();
  const [category, setCategory] = useState<RequestCategory>();
  const [text, setText] = useState('');
  const [place, setPlace] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [missing, setMissing] = useState<{ category?: string; text?: string }>({});
  // Each step of the request (受理, 一次告知, 办结…) is told by message, one per acceptance.
  const askUpdates = useSubscribe(['requestUpdate']);
  const file = useSubmit(async (key, chosen: RequestCategory) => {
    await askUpdates();
    return api('fileRequest', {
      params: { cid: cid ?? '' },
      body: { category: chosen, text, ...(photos.length ? { photos } : {}), ...(place.trim() ? { place: place.trim() } : {}) },
      idempotencyKey: key,
    });
  });
  const errors = fieldErrors(file.error);

  if (!user) return <PageShell><Loading /></PageShell>;
  if (!cid || !membership?.verified) {
    return (
      <PageShell>
        <Empty
          title="核实门牌后可反映诉求"
          text="诉求会交给您家所在网格的网格员办理，所以需要先加入社区并由工作人员核实门牌。"
          action={{ text: membership ? '查看我的社区' : '加入社区', onClick: () => go(membership ? PAGES.me : PAGES.join) }}
        />
      </PageShell>
    );
  }

  const submit = async () => {
    const problems = { category: category ? undefined : '请选择诉求类别', text: text.trim() ? undefined : '请写下遇到的问题' };
    setMissing(problems);
    if (!category || problems.text) return;
    const filed = await file.run(category);
    if (!filed) return;
    toast(`诉求已提交，编号 ${filed.number}`, 'success');
    redirect(PAGES.requestDetail, { id: filed.id });
  };

  return (
    <PageShell className="stack desk-column">
      <Card title={<View className="h2">诉求类别</View>}>
        <CategoryChips value={category} onChange={setCategory} />
        {missing.category ? <View className="field__error" role="alert">错误：{missing.category}</View> : null}
        {category ? (
          <View className="req-clock req-below" role="status">
            <View className="req-clock__title">限时办结</View>
            <View>{clockText(category)}。</View>
          </View>
        ) : null}
      </Card>
      <Card title={<View className="h2">遇到的问题</View>}>
        <TextBox
          label="请说清楚什么事、在哪里、持续多久"
          value={text}
          onInput={setText}
          maxlength={MAX_TEXT}
          placeholder="例如：3 号楼东侧路灯坏了一周，晚上出行不便"
          error={missing.text ?? errors.text}
        />
        {/* WeChat's keyboard turns speech into text in any input; the browser offers nothing comparable. */}
        {platformName === 'weapp' ? <View className="muted">不方便打字？点输入法键盘上的话筒，说话即可转成文字。</View> : null}
        <PhotoPicker purpose="request-photo" max={3} label="现场照片（选填）" hint="可拍照或从相册选择，最多 3 张；照片里的位置信息会被去除。" onChange={setPhotos} onBusyChange={setUploading} />
        <Field label="地点" optional value={place} onInput={setPlace} maxlength={60} placeholder="如 3 号楼东侧、小区北门" error={errors.place} />
      </Card>
      <Button block disabled={uploading} loading={file.busy} loadingText="正在提交…" onClick={() => void submit()}>
        提交诉求
      </Button>
      {uploading ? <View className="muted">照片上传完成后即可提交。</View> : null}
      <View className="muted">提交后由您所在网格的网格员受理（首问负责）；办理过程和结果会在“我的诉求”里告诉您。</View>
    </PageShell>
  );
}
