/** Pieces the FAQ screens share: the status tag, the topics of a site, withdrawing an entry, the review-level setting. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Card, Form, Input, Modal, Select, Spin, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { fmtTime } from '../../lib/format';
import { applyFieldErrors, errorText, notify } from '../../lib/notify';
import { STATUS_COLORS } from '../../theme';
import { FAQ_STATUS_NAMES, type Faq, type FaqSettings, type FaqStatus, type FaqTopic } from '../../types';

export const FAQ_PAGE_SIZE = 20;

export function FaqStatusTag({ status, level }: { status: FaqStatus; level?: number }) {
  return (
    <Tag color={STATUS_COLORS[status] ?? '#595959'} variant="solid">
      {FAQ_STATUS_NAMES[status] ?? status}
      {status === 'submitted' && level ? `（第 ${level} 级）` : ''}
    </Tag>
  );
}

/** The topics in use on a site, for the list's filter and the editor's suggestions. */
export function useFaqTopics(siteId: number | null | undefined, enabled = true) {
  return useQuery({
    queryKey: ['faq', 'topics', siteId],
    enabled: !!siteId && enabled,
    queryFn: () => api.get<{ items: FaqTopic[] }>('/faq/topics', { siteId: siteId ?? undefined }).then((r) => r.items),
    staleTime: 60_000,
  });
}

/**
 * 撤下 (a live entry goes offline: publishers) or 撤回 (an entry in review back to a draft:
 * its editors), with the reason the server requires.
 */
export function WithdrawFaqModal({ entry, onClose, onDone }: { entry: Pick<Faq, 'id' | 'question' | 'isLive'> | null; onClose: () => void; onDone: (f: Faq) => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const live = !!entry?.isLive;
  const submit = async () => {
    if (!entry) return;
    let reason: string;
    try {
      reason = (await form.validateFields()).reason.trim();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const f = await api.post<Faq>(`/faq/${entry.id}/withdraw`, { reason });
      notify.success(live ? '已撤下，公众不再看到该条目' : '已撤回为草稿');
      onDone(f);
    } catch (e) {
      if (!applyFieldErrors(form, e)) notify.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title={live ? '撤下问答条目' : '撤回问答条目'}
      open={!!entry}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={live ? '撤下' : '撤回'}
      okButtonProps={{ danger: live }}
      confirmLoading={busy}
      destroyOnHidden
    >
      {entry && (
        <Typography.Paragraph>
          {live ? '撤下后该条目从问答页面、智能问答和站内搜索中移除。' : '撤回后条目退为草稿，修改后可重新送审。'}
          <br />
          条目：{entry.question}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item label={live ? '撤下原因' : '撤回原因'} name="reason" rules={[{ required: true, whitespace: true, message: '请填写原因' }, { max: 500, message: '原因不能超过 500 个字符' }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const LEVEL_OPTIONS = [
  { value: 0, label: '无需审核（送审即发布）' },
  { value: 1, label: '1 级审核' },
  { value: 2, label: '2 级审核' },
  { value: 3, label: '3 级审核' },
];

/** 审核设置: how many review levels a site's FAQ entries pass (site administrator). */
export function FaqSettingsModal({ siteId, siteName, open, onClose }: { siteId: number; siteName: string; open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const [form] = Form.useForm<{ reviewLevels: number }>();
  const [busy, setBusy] = useState(false);
  const settings = useQuery({ queryKey: ['faq', 'settings', siteId], enabled: open, queryFn: () => api.get<FaqSettings>('/faq/settings', { siteId }) });
  useEffect(() => {
    if (open && settings.data) form.setFieldsValue({ reviewLevels: settings.data.reviewLevels });
  }, [open, settings.data, form]);
  const submit = async () => {
    let v: { reviewLevels: number };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const saved = await api.put<FaqSettings>('/faq/settings', { siteId, reviewLevels: v.reviewLevels });
      qc.setQueryData(['faq', 'settings', siteId], saved);
      notify.success(saved.reviewLevels ? `已设置为 ${saved.reviewLevels} 级审核` : '已设置为无需审核');
      onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e)) notify.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="问答条目审核设置" open={open} onCancel={onClose} onOk={() => void submit()} okText="保存" confirmLoading={busy} okButtonProps={{ disabled: !settings.data }}>
      {settings.isPending ? (
        <Spin aria-label="正在加载设置" />
      ) : settings.error ? (
        <Typography.Text type="danger">{errorText(settings.error)}</Typography.Text>
      ) : (
        <Form form={form} layout="vertical">
          <Typography.Paragraph type="secondary">{siteName}的问答条目送审后需经过的审核级数。正在审核中的条目按原级数继续。</Typography.Paragraph>
          <Form.Item label="审核级数" name="reviewLevels" rules={[{ required: true, message: '请选择审核级数' }]}>
            <Select options={LEVEL_OPTIONS} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

/** 审核记录: every decision on the entry, oldest first. */
export function FaqReviews({ entry }: { entry: Faq }) {
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>审核记录</h2>}>
      <Timeline
        items={entry.reviews.map((r) => ({
          key: r.id,
          color: r.decision === 'approve' ? 'green' : 'red',
          content: (
            <>
              <Typography.Text strong>{r.decision === 'approve' ? '通过' : '退回'}</Typography.Text>（第 {r.level} 级 · 第 {r.version} 版{r.reviewerName ? ` · ${r.reviewerName}` : ''}）
              <br />
              <Typography.Text type="secondary">{fmtTime(r.createdAt)}</Typography.Text>
              {r.comment && <Typography.Paragraph style={{ margin: '4px 0 0' }}>{r.comment}</Typography.Paragraph>}
            </>
          ),
        }))}
      />
    </Card>
  );
}
