/**
 * 推送: where the article is offered besides its own column — the portal's and other sites'
 * list columns (GET /syndication-targets) — and how each placement stands. Each push waits for
 * the target column's reviewers; the text stays the source's.
 */
import { ShareAltOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Form, List, Modal, Tag, TreeSelect, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { applyFieldErrors, errorText, notify } from '../../lib/notify';
import type { Syndication } from '../../types';

interface TargetColumn {
  id: number;
  parentId: number | null;
  name: string;
  selectable: boolean;
  reviewLevels: number;
}
interface TargetSite {
  siteId: number;
  siteName: string;
  columns: TargetColumn[];
}

const STATUS: Record<string, [string, string]> = {
  pending: ['待审核', '#1456c8'],
  approved: ['已通过，待源稿件发布', '#0b6e6e'],
  published: ['已发布', '#237804'],
  returned: ['已退回', '#c4161c'],
  withdrawn: ['已撤下', '#595959'],
};

interface Option {
  value: string;
  title: string;
  selectable?: boolean;
  disabled?: boolean;
  checkable?: boolean;
  disableCheckbox?: boolean;
  children: Option[];
}

function columnNodes(site: TargetSite, parentId: number | null, taken: Set<number>): Option[] {
  return site.columns
    .filter((c) => c.parentId === parentId)
    .map((c) => ({
      value: String(c.id),
      title: `${c.name}${c.selectable && c.reviewLevels ? `（${c.reviewLevels} 级审核）` : ''}${taken.has(c.id) ? ' · 已推送' : ''}`,
      disableCheckbox: !c.selectable || taken.has(c.id),
      children: columnNodes(site, c.id, taken),
    }));
}

export function SyndicationCard({ articleId, siteId, items, disabled, onChanged }: { articleId: number; siteId: number; items: Syndication[]; disabled: boolean; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Card
      title={<h2 style={{ fontSize: 16, margin: 0 }}>推送到其他网站</h2>}
      extra={
        <Button size="small" icon={<ShareAltOutlined />} onClick={() => setOpen(true)} disabled={disabled}>
          推送
        </Button>
      }
      style={{ marginBottom: 16 }}
    >
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: '尚未推送。可将稿件推送到门户或其他部门网站的栏目，由对方审核后发布。' }}
        renderItem={(s) => (
          <List.Item>
            <List.Item.Meta
              title={s.url ? <Typography.Link href={s.url} target="_blank" rel="noreferrer">{s.columnName ?? `栏目 ${s.columnId}`}</Typography.Link> : (s.columnName ?? `栏目 ${s.columnId}`)}
              description={<Tag color={STATUS[s.status]?.[1] ?? '#595959'}>{STATUS[s.status]?.[0] ?? s.status}{s.status === 'pending' ? `（第 ${s.reviewLevel} 级）` : ''}</Tag>}
            />
          </List.Item>
        )}
      />
      {open && <PushModal articleId={articleId} siteId={siteId} taken={new Set(items.filter((s) => s.status !== 'returned' && s.status !== 'withdrawn').map((s) => s.columnId))} onClose={() => setOpen(false)} onDone={() => (setOpen(false), onChanged())} />}
    </Card>
  );
}

function PushModal({ articleId, siteId, taken, onClose, onDone }: { articleId: number; siteId: number; taken: Set<number>; onClose: () => void; onDone: () => void }) {
  const targets = useQuery({ queryKey: ['syndication-targets', siteId], queryFn: () => api.get<{ sites: TargetSite[] }>('/syndication-targets', { siteId }), staleTime: 5 * 60_000 });
  const [form] = Form.useForm<{ columnIds: string[] }>();
  const [busy, setBusy] = useState(false);
  const tree: Option[] = (targets.data?.sites ?? []).map((s) => ({ value: `site-${s.siteId}`, title: s.siteName, disableCheckbox: true, children: columnNodes(s, null, taken) }));
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const r = await api.post<Syndication[]>(`/articles/${articleId}/syndications`, { columnIds: v.columnIds.map(Number) });
      notify.success(`已推送到 ${r.length} 个栏目，等待对方审核`);
      onDone();
    } catch (e) {
      if (!applyFieldErrors(form, e)) notify.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="推送到其他网站的栏目" open onCancel={onClose} onOk={() => void submit()} okText="推送" cancelText="取消" confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item label="目标栏目" name="columnIds" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个目标栏目' }]} extra="只能推送到列表栏目；推送后由目标栏目的审核员审核。">
          <TreeSelect treeData={tree} treeCheckable showCheckedStrategy={TreeSelect.SHOW_CHILD} treeDefaultExpandAll loading={targets.isPending} placeholder="选择栏目" showSearch={{ treeNodeFilterProp: 'title' }} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
