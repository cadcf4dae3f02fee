/**
 * The two warnings of an editor that never loses typing (articles, FAQ entries): a copy kept in
 * this browser that the server does not have, and a save refused because someone saved first;
 * and the line that says where the typing is (SaveState).
 */
import { CloudUploadOutlined } from '@ant-design/icons';
import { Alert, Button, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { fmtTime } from '../lib/format';
import type { LocalDraft } from '../lib/localDraft';

/** A copy in localStorage, offered back (恢复) or thrown away (丢弃). */
export function DraftOffer<V>({ offer, serverVersion, onRestore, onDiscard }: { offer: LocalDraft<V>; serverVersion: number | null; onRestore(): void; onDiscard(): void }) {
  return (
    <Alert
      type="warning"
      showIcon
      className="form-alert"
      title={`发现 ${fmtTime(offer.savedAt)} 自动保存在本机、尚未保存到服务器的内容。`}
      description={
        serverVersion !== null && offer.baseVersion !== null && offer.baseVersion !== serverVersion
          ? `注意：这份草稿基于第 ${offer.baseVersion} 版，服务器上现在是第 ${serverVersion} 版；恢复后保存时会提示冲突，请核对后再保存。`
          : '恢复后请核对内容，然后保存。'
      }
      action={
        <Space orientation="vertical">
          <Button size="small" type="primary" onClick={onRestore}>
            恢复草稿
          </Button>
          <Button size="small" onClick={onDiscard}>
            丢弃
          </Button>
        </Space>
      }
    />
  );
}

/** A 409 on save: nothing was saved; load the latest version or save on top of it deliberately. */
export function SaveConflict({ message, onLoadLatest, onOverwrite, extra }: { message: string; onLoadLatest(): void; onOverwrite(): void; extra?: ReactNode }) {
  return (
    <Alert
      type="error"
      showIcon
      className="form-alert"
      role="alert"
      title="保存冲突：本次修改没有保存"
      description={
        <>
          <Typography.Paragraph style={{ marginBottom: 8 }}>{message}</Typography.Paragraph>
          <Typography.Paragraph style={{ marginBottom: 0 }}>您的内容已保存在本机，不会丢失。</Typography.Paragraph>
        </>
      }
      action={
        <Space orientation="vertical">
          <Button size="small" type="primary" onClick={onLoadLatest}>
            载入最新版本
          </Button>
          <Button size="small" danger onClick={onOverwrite}>
            仍以我的内容保存
          </Button>
          {extra}
        </Space>
      }
    />
  );
}

/** Where the typing is: unsaved (and copied to this browser at …), saved as version n, or not yet saved. */
export function SaveState({ dirty, localSavedAt, saved }: { dirty: boolean; localSavedAt: string | null; saved: { version: number; updatedAt: string } | null }) {
  let text: string;
  if (dirty) text = localSavedAt ? `有未保存的修改 · 已自动暂存到本机 ${dayjs(localSavedAt).format('HH:mm:ss')}` : '有未保存的修改';
  else if (saved) text = `已保存 · 第 ${saved.version} 版 · ${fmtTime(saved.updatedAt)}`;
  else text = '尚未保存';
  return (
    <Typography.Text type={dirty ? 'warning' : 'secondary'} className="save-state" role="status" aria-live="polite" style={{ display: 'block' }}>
      <CloudUploadOutlined aria-hidden /> {text}
    </Typography.Text>
  );
}
