import { useEffect, useRef, useState } from 'react';
import { Image, View } from '@tarojs/components';
import { AppError } from '@contract/errors';
import type { UploadPurpose } from '@contract/upload-limits';
import { refusalOf, uploadFile } from '../../api/upload';
import { chooseFile, chooseImages, releaseLocalFile, type LocalFile } from '../../platform';
import { tappable } from '../a11y';
import { Button } from '../button';
import './index.css';

type ItemState = 'uploading' | 'done' | 'failed';

interface Item {
  key: number;
  file: LocalFile;
  state: ItemState;
  uploadId?: string;
  error?: string;
  /** A passing failure (the network): worth another try. */
  retryable?: boolean;
}

const STATE_TEXT: Record<ItemState, string> = { uploading: '上传中…', done: '已上传', failed: '上传失败' };

/**
 * Up to `max` photos (or, with `files`, PDFs and photos) for one act: each is uploaded as soon as
 * it is picked, shown as a thumbnail with its state in words, and can be removed or retried.
 * `onChange` receives the upload ids of the files that are up, in the order shown; `onBusyChange`
 * tells the page to hold its submit button while any is still on its way.
 */
export function PhotoPicker({
  purpose,
  max,
  label,
  hint,
  files = false,
  onChange,
  onBusyChange,
}: {
  purpose: UploadPurpose;
  max: number;
  label: string;
  hint?: string;
  /** A notice's attachments: one PDF or photo at a time, from a chat (weapp) or the device (h5). */
  files?: boolean;
  onChange: (uploadIds: string[]) => void;
  onBusyChange?: (busy: boolean) => void;
}) {
  const [items, setItems] = useState<Item[]>([]);
  /** Files refused before upload (type, size), said once under the list. */
  const [refused, setRefused] = useState('');
  const nextKey = useRef(1);
  const noun = files ? '附件' : '照片';

  const update = (key: number, change: Partial<Item>) =>
    setItems((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const send = (item: Item) => {
    update(item.key, { state: 'uploading', error: undefined });
    uploadFile(purpose, item.file).then(
      (uploadId) => update(item.key, { state: 'done', uploadId }),
      (error: unknown) =>
        update(item.key, {
          state: 'failed',
          error: error instanceof Error ? error.message : '上传失败，请重试',
          retryable: !(error instanceof AppError) || ['UNAVAILABLE', 'RATE_LIMITED'].includes(error.code),
        }),
    );
  };

  const add = async () => {
    const picked = (files ? await chooseFile() : await chooseImages(max - items.length)).slice(0, max - items.length);
    const refusals = picked.flatMap((file) => {
      const refusal = refusalOf(purpose, file);
      return refusal ? [`${file.name || noun}：${refusal.message}`] : [];
    });
    setRefused(refusals.join('；'));
    const added = picked
      .filter((file) => !refusalOf(purpose, file))
      .map((file) => ({ key: nextKey.current++, file, state: 'uploading' as const }));
    if (!added.length) return;
    setItems((current) => [...current, ...added]);
    added.forEach(send);
  };

  const remove = (item: Item) => {
    releaseLocalFile(item.file);
    setItems((current) => current.filter((other) => other.key !== item.key));
  };

  const uploadIds = items.flatMap((item) => (item.uploadId && item.state === 'done' ? [item.uploadId] : []));
  const busy = items.some((item) => item.state === 'uploading');
  const idsKey = uploadIds.join(',');
  // Told when the set of ids or the busy state changes, not on every render of the page's callbacks.
  useEffect(() => onChange(uploadIds), [idsKey]);
  useEffect(() => onBusyChange?.(busy), [busy]);

  const done = items.filter((item) => item.state === 'done').length;
  const failed = items.filter((item) => item.state === 'failed').length;
  const summary = !items.length
    ? `还没有添加${noun}，最多 ${max} ${files ? '个' : '张'}`
    : `已上传 ${done}/${items.length} ${files ? '个' : '张'}${busy ? '，正在上传…' : ''}${failed ? `，${failed} ${files ? '个' : '张'}失败` : ''}`;

  return (
    <View className="photo-picker">
      <View className="photo-picker__label">{label}</View>
      {hint ? <View className="photo-picker__hint">{hint}</View> : null}
      <View className="photo-picker__list" role="list">
        {items.map((item, index) => {
          const name = `第 ${index + 1} ${files ? '个附件' : '张照片'}`;
          const isImage = item.file.type.startsWith('image/');
          return (
            <View key={item.key} className={`photo-picker__item photo-picker__item--${item.state}`} role="listitem">
              {isImage ? (
                <Image className="photo-picker__thumb" src={item.file.path} mode="aspectFill" aria-label={name} nativeProps={{ alt: name }} />
              ) : (
                <View className="photo-picker__thumb photo-picker__file" aria-label={name}>
                  PDF
                  <View className="photo-picker__file-name">{item.file.name}</View>
                </View>
              )}
              <View className="photo-picker__state">{STATE_TEXT[item.state]}</View>
              {item.error ? <View className="photo-picker__error">错误：{item.error}</View> : null}
              <View className="photo-picker__actions">
                {item.state === 'failed' && item.retryable ? (
                  <View className="photo-picker__action" {...tappable(() => send(item), { label: `重试上传${name}` })} onClick={() => send(item)}>
                    重试
                  </View>
                ) : null}
                <View className="photo-picker__action photo-picker__action--remove" {...tappable(() => remove(item), { label: `删除${name}` })} onClick={() => remove(item)}>
                  删除
                </View>
              </View>
            </View>
          );
        })}
      </View>
      {items.length < max ? (
        <Button variant="secondary" small onClick={() => void add()}>
          {files ? '添加附件' : items.length ? '继续添加照片' : '添加照片'}
        </Button>
      ) : null}
      {refused ? (
        <View className="photo-picker__error" role="alert">
          未添加 {refused}
        </View>
      ) : null}
      <View className="photo-picker__summary" role="status" aria-live="polite">
        {summary}
      </View>
    </View>
  );
}
