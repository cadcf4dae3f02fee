/**
 * 栏目管理 (site administrators): the current site's columns as a tree — dragged into a new
 * order or under another parent (POST /sites/:id/columns/reorder, /columns/:id/move), or moved
 * with the buttons for keyboard users — each column's settings (PATCH /columns/:id), new and
 * deleted columns, and who works in the column (grants, read-only here: the security
 * administrator grants).
 */
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EyeOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, AutoComplete, Button, Card, Col, Empty, Form, Input, InputNumber, Modal, Popconfirm, Row, Select, Space, Spin, Tabs, Tag, Tree, TreeSelect, Typography } from 'antd';
import type { TreeDataNode, TreeProps } from 'antd';
import { type Key, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import { GrantsPanel, useSiteGrants } from '../../components/GrantsPanel';
import { applyFieldErrors, errorText, notify } from '../../lib/notify';
import { findColumn, useColumnTree } from '../../lib/queries';
import { useSession } from '../../session';
import type { Column, TemplateList } from '../../types';

const { Text } = Typography;

export const COLUMN_KINDS: Record<string, string> = { list: '列表', page: '单页', link: '外链', disclosure: '信息公开', service: '办事服务', interaction: '互动交流' };
const KIND_OPTIONS = Object.entries(COLUMN_KINDS).map(([value, label]) => ({ value, label }));
const LEVEL_OPTIONS = [0, 1, 2, 3].map((n) => ({ value: n, label: n ? `${n} 级审核` : '无需审核（送审即发布）' }));

/** The siblings under a parent (null: the top level), in their order. */
function siblingsOf(tree: Column[], parentId: number | null): Column[] {
  if (parentId === null) return tree;
  return findColumn(tree, parentId)?.children ?? [];
}

/** Where a drop puts the dragged column: its new parent and its place among the new siblings. */
export function dropTarget(tree: Column[], dragId: number, dropId: number, dropToGap: boolean, relative: -1 | 0 | 1): { parentId: number | null; index: number } {
  if (!dropToGap) return { parentId: dropId, index: 0 };
  const target = findColumn(tree, dropId)!;
  const sibs = siblingsOf(tree, target.parentId).filter((c) => c.id !== dragId);
  const at = sibs.findIndex((c) => c.id === dropId);
  return { parentId: target.parentId, index: relative === -1 ? at : at + 1 };
}

function toNodes(cols: Column[]): TreeDataNode[] {
  return cols.map((c) => ({
    key: c.id,
    title: (
      <span className="column-node">
        <span>{c.name}</span>
        {(c.kind !== 'list' || c.status !== 'active') && (
          <span className="column-node-meta">
            {[c.kind !== 'list' ? (COLUMN_KINDS[c.kind] ?? c.kind) : '', c.status !== 'active' ? '隐藏' : ''].filter(Boolean).join(' · ')}
          </span>
        )}
      </span>
    ),
    children: c.children?.length ? toNodes(c.children) : undefined,
  }));
}

export default function Columns() {
  const { siteId, site } = useSession();
  const qc = useQueryClient();
  const tree = useColumnTree(siteId);
  const [params, setParams] = useSearchParams();
  const selectedId = Number(params.get('c')) || null;
  const cols = useMemo(() => tree.data ?? [], [tree.data]);
  const selected = findColumn(cols, selectedId) ?? null;
  const [creating, setCreating] = useState<{ parentId: number | null } | null>(null);
  const [moving, setMoving] = useState(false);
  const nodes = useMemo(() => toNodes(cols), [cols]);
  const allKeys = useMemo(() => {
    const out: number[] = [];
    const walk = (cs: Column[]) => cs.forEach((c) => (out.push(c.id), walk(c.children ?? [])));
    walk(cols);
    return out;
  }, [cols]);
  const [expanded, setExpanded] = useState<Key[] | null>(null);

  const refresh = () => qc.invalidateQueries({ queryKey: ['columns', siteId] });

  /** Same parent: the reorder API with the whole sibling list; another parent: move. */
  const place = async (dragId: number, parentId: number | null, index: number) => {
    const dragged = findColumn(cols, dragId);
    if (!dragged) return;
    setMoving(true);
    try {
      if (parentId === dragged.parentId) {
        const ids = siblingsOf(cols, parentId)
          .map((c) => c.id)
          .filter((id) => id !== dragId);
        ids.splice(index, 0, dragId);
        await api.post(`/sites/${siteId}/columns/reorder`, { parentId, ids });
        notify.success(`已调整“${dragged.name}”的顺序`);
      } else {
        await api.post(`/columns/${dragId}/move`, { parentId, position: index });
        const parent = parentId === null ? null : findColumn(cols, parentId);
        notify.success(`已将“${dragged.name}”移到${parent ? `“${parent.name}”下` : '顶级'}（栏目地址随之改变，旧地址自动跳转）`);
      }
      await refresh();
    } catch (e) {
      notify.error(errorText(e));
      await refresh();
    } finally {
      setMoving(false);
    }
  };

  const onDrop: TreeProps['onDrop'] = (info) => {
    const pos = info.node.pos.split('-');
    const relative = (info.dropPosition - Number(pos[pos.length - 1])) as -1 | 0 | 1;
    const { parentId, index } = dropTarget(cols, Number(info.dragNode.key), Number(info.node.key), info.dropToGap, relative);
    void place(Number(info.dragNode.key), parentId, index);
  };

  const step = (c: Column, delta: -1 | 1) => {
    const sibs = siblingsOf(cols, c.parentId);
    const at = sibs.findIndex((s) => s.id === c.id);
    const to = at + delta;
    if (to < 0 || to >= sibs.length) return;
    void place(c.id, c.parentId, to);
  };

  if (!siteId) return <Spin aria-label="正在加载站点" />;
  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating({ parentId: null })}>
            新建顶级栏目
          </Button>
        }
      >
        栏目管理{site ? ` · ${site.name}` : ''}
      </PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9}>
          <Card title={<h2 className="card-title">栏目结构</h2>} extra={<Text type="secondary">拖动调整顺序和层级</Text>}>
            {tree.isPending ? (
              <Spin aria-label="正在加载栏目" />
            ) : cols.length === 0 ? (
              <Empty description="本站还没有栏目" />
            ) : (
              <Spin spinning={moving} aria-label="正在保存">
                <Tree
                  className="column-tree"
                  treeData={nodes}
                  draggable={{ icon: <HolderOutlined aria-hidden /> }}
                  blockNode
                  showLine
                  expandedKeys={expanded ?? allKeys}
                  onExpand={(keys) => setExpanded(keys)}
                  selectedKeys={selectedId ? [selectedId] : []}
                  onSelect={(keys) => keys[0] !== undefined && setParams({ c: String(keys[0]) })}
                  onDrop={onDrop}
                  aria-label="栏目结构"
                />
              </Spin>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          {selected ? (
            <Card
              title={
                <Space wrap>
                  <h2 className="card-title">{selected.name}</h2>
                  <Tag>{COLUMN_KINDS[selected.kind] ?? selected.kind}</Tag>
                  {selected.status !== 'active' && <Tag color="#595959">隐藏</Tag>}
                </Space>
              }
              extra={
                <Space wrap>
                  <Button size="small" icon={<ArrowUpOutlined />} onClick={() => step(selected, -1)} disabled={moving || siblingsOf(cols, selected.parentId)[0]?.id === selected.id}>
                    上移
                  </Button>
                  <Button size="small" icon={<ArrowDownOutlined />} onClick={() => step(selected, 1)} disabled={moving || siblingsOf(cols, selected.parentId).at(-1)?.id === selected.id}>
                    下移
                  </Button>
                  <Button size="small" icon={<PlusOutlined />} onClick={() => setCreating({ parentId: selected.id })}>
                    新建下级栏目
                  </Button>
                  <Typography.Link href={`/api/v1/columns/${selected.id}/preview`} target="_blank" rel="noreferrer">
                    <EyeOutlined aria-hidden /> 预览
                  </Typography.Link>
                </Space>
              }
            >
              <Tabs
                items={[
                  { key: 'settings', label: '栏目设置', children: <ColumnSettings key={`${selected.id}:${selected.updatedAt ?? ''}`} column={selected} tree={cols} onMoved={(parentId) => void place(selected.id, parentId, siblingsOf(cols, parentId).length)} onDeleted={() => setParams({})} /> },
                  { key: 'grants', label: '栏目授权', children: <ColumnGrantsTab siteId={siteId} column={selected} /> },
                ]}
              />
            </Card>
          ) : (
            <Card>
              <Empty description="请在左侧选择栏目，查看和修改它的设置与授权" />
            </Card>
          )}
        </Col>
      </Row>
      <CreateColumnModal siteId={siteId} tree={cols} state={creating} onClose={() => setCreating(null)} onCreated={(id) => (setCreating(null), setParams({ c: String(id) }))} />
    </>
  );
}

function ColumnGrantsTab({ siteId, column }: { siteId: number; column: Column }) {
  const grants = useSiteGrants(siteId);
  if (grants.isPending) return <Spin aria-label="正在加载授权" />;
  return <GrantsPanel siteId={siteId} column={column} data={grants.data} canManage={false} />;
}

interface SettingsValues {
  name: string;
  slug: string;
  kind: string;
  reviewLevels: number;
  updateIntervalDays: number | null;
  linkUrl: string;
  description: string;
  keywords: string;
  status: string;
  tplList: string;
  tplArticle: string;
  tplPage: string;
  parentId: number | null;
}

const settingsOf = (c: Column): SettingsValues => ({
  name: c.name,
  slug: c.slug,
  kind: c.kind,
  reviewLevels: c.reviewLevels,
  updateIntervalDays: c.updateIntervalDays,
  linkUrl: c.linkUrl ?? '',
  description: c.description ?? '',
  keywords: c.keywords ?? '',
  status: c.status,
  tplList: c.templates?.list ?? '',
  tplArticle: c.templates?.article ?? '',
  tplPage: c.templates?.page ?? '',
  parentId: c.parentId,
});

/** Column options for choosing a parent: the column itself and its subtree cannot be chosen. */
function parentOptions(cols: Column[], exclude?: Column): { value: number; title: string; disabled?: boolean; children: ReturnType<typeof parentOptions> }[] {
  return cols.map((c) => ({ value: c.id, title: c.name, disabled: !!exclude && (c.id === exclude.id || c.idPath.startsWith(exclude.idPath)), children: parentOptions(c.children ?? [], exclude) }));
}

function useTemplateNames(siteId: number) {
  const q = useQuery({ queryKey: ['templates', siteId], queryFn: () => api.get<TemplateList>(`/sites/${siteId}/templates`), staleTime: 60_000, meta: { silent: true } });
  return (q.data?.items ?? []).filter((t) => !t.name.startsWith('partials/') && !t.name.startsWith('layouts/')).map((t) => ({ value: t.name }));
}

function ColumnSettings({ column, tree, onMoved, onDeleted }: { column: Column; tree: Column[]; onMoved: (parentId: number | null) => void; onDeleted: () => void }) {
  const qc = useQueryClient();
  const [form] = Form.useForm<SettingsValues>();
  const [busy, setBusy] = useState<'save' | 'delete' | null>(null);
  const kind = Form.useWatch('kind', form);
  const templates = useTemplateNames(column.siteId);
  useEffect(() => form.setFieldsValue(settingsOf(column)), [column, form]);

  const save = async () => {
    const v = await form.validateFields();
    const tpl: Record<string, string> = { ...(column.templates ?? {}) };
    for (const [use, value] of [
      ['list', v.tplList],
      ['article', v.tplArticle],
      ['page', v.tplPage],
    ] as const) {
      if (value?.trim()) tpl[use] = value.trim();
      else delete tpl[use];
    }
    setBusy('save');
    try {
      await api.patch(`/columns/${column.id}`, {
        name: v.name,
        slug: v.slug,
        kind: v.kind,
        reviewLevels: v.reviewLevels,
        updateIntervalDays: v.updateIntervalDays ?? null,
        linkUrl: v.kind === 'link' ? v.linkUrl.trim() || null : null,
        description: v.description ?? '',
        keywords: v.keywords ?? '',
        status: v.status,
        templates: tpl,
      });
      notify.success('栏目设置已保存');
      void qc.invalidateQueries({ queryKey: ['columns', column.siteId] });
      if (v.parentId !== column.parentId) onMoved(v.parentId ?? null);
    } catch (e) {
      applyFieldErrors(form, e, { templates: 'tplList' });
      notify.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    setBusy('delete');
    try {
      await api.del(`/columns/${column.id}`);
      notify.success(`已删除栏目“${column.name}”`);
      onDeleted();
      void qc.invalidateQueries({ queryKey: ['columns', column.siteId] });
    } catch (e) {
      notify.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Form<SettingsValues> form={form} layout="vertical" initialValues={settingsOf(column)} requiredMark>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item label="栏目名称" name="name" rules={[{ required: true, whitespace: true, message: '请填写栏目名称' }, { max: 60, message: '栏目名称不能超过 60 个字符' }]}>
            <Input maxLength={60} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="别名（地址中的一段）" name="slug" extra={`地址：${column.url}`} rules={[{ required: true, message: '请填写别名' }, { pattern: /^[a-z0-9][a-z0-9_-]{0,39}$/, message: '只能包含小写字母、数字、下划线和连字符，以字母或数字开头' }]}>
            <Input maxLength={40} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="栏目类型" name="kind">
            <Select options={KIND_OPTIONS} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="上级栏目" name="parentId" extra="改变上级栏目会改变栏目地址，旧地址自动跳转">
            <TreeSelect treeData={parentOptions(tree, column)} allowClear placeholder="顶级栏目" treeDefaultExpandAll />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="审核流程" name="reviewLevels">
            <Select options={LEVEL_OPTIONS} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="更新周期（天）" name="updateIntervalDays" extra="超过周期未发布新信息，工作台会提醒；留空则不要求">
            <InputNumber min={1} max={365} precision={0} style={{ width: '100%' }} placeholder="不要求" />
          </Form.Item>
        </Col>
        {kind === 'link' && (
          <Col span={24}>
            <Form.Item label="链接地址" name="linkUrl" rules={[{ required: true, whitespace: true, message: '链接类栏目必须填写链接地址' }]}>
              <Input placeholder="https://… 或以 / 开头的本站路径" />
            </Form.Item>
          </Col>
        )}
        <Col xs={24} md={12}>
          <Form.Item label="显示状态" name="status">
            <Select
              options={[
                { value: 'active', label: '显示' },
                { value: 'hidden', label: '隐藏（不出现在导航中）' },
              ]}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="关键词" name="keywords">
            <Input maxLength={200} />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item label="栏目描述" name="description">
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={500} showCount />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item label="列表页模板" name="tplList" extra="留空用主题默认">
            <AutoComplete options={templates} placeholder="column" allowClear />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item label="文章页模板" name="tplArticle">
            <AutoComplete options={templates} placeholder="article" allowClear />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item label="单页模板" name="tplPage">
            <AutoComplete options={templates} placeholder="page" allowClear />
          </Form.Item>
        </Col>
      </Row>
      <Space wrap>
        <Button type="primary" onClick={() => void save()} loading={busy === 'save'}>
          保存设置
        </Button>
        <Popconfirm title={`删除栏目“${column.name}”？`} description="有下级栏目或信息的栏目不能删除。" okText="删除" cancelText="取消" okButtonProps={{ danger: true }} onConfirm={() => void remove()}>
          <Button danger icon={<DeleteOutlined />} loading={busy === 'delete'}>
            删除栏目
          </Button>
        </Popconfirm>
      </Space>
    </Form>
  );
}

function CreateColumnModal({ siteId, tree, state, onClose, onCreated }: { siteId: number; tree: Column[]; state: { parentId: number | null } | null; onClose: () => void; onCreated: (id: number) => void }) {
  const qc = useQueryClient();
  const [form] = Form.useForm<{ name: string; slug: string; kind: string; reviewLevels: number; updateIntervalDays: number | null; parentId: number | null; linkUrl?: string }>();
  const [busy, setBusy] = useState(false);
  const kind = Form.useWatch('kind', form);
  useEffect(() => {
    if (state) form.setFieldsValue({ parentId: state.parentId });
  }, [state, form]);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const c = await api.post<Column>('/columns', {
        siteId,
        parentId: v.parentId ?? null,
        name: v.name,
        slug: v.slug,
        kind: v.kind,
        reviewLevels: v.reviewLevels,
        updateIntervalDays: v.updateIntervalDays ?? null,
        linkUrl: v.kind === 'link' ? (v.linkUrl ?? '').trim() || null : null,
      });
      notify.success(`已新建栏目“${c.name}”`);
      await qc.invalidateQueries({ queryKey: ['columns', siteId] });
      form.resetFields();
      onCreated(c.id);
    } catch (e) {
      if (!applyFieldErrors(form, e)) notify.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="新建栏目" open={!!state} onCancel={onClose} onOk={() => void submit()} okText="新建" cancelText="取消" confirmLoading={busy} destroyOnHidden forceRender>
      <Form form={form} layout="vertical" initialValues={{ kind: 'list', reviewLevels: 1, updateIntervalDays: null }}>
        <Form.Item label="上级栏目" name="parentId">
          <TreeSelect treeData={parentOptions(tree)} allowClear placeholder="顶级栏目" treeDefaultExpandAll />
        </Form.Item>
        <Form.Item label="栏目名称" name="name" rules={[{ required: true, whitespace: true, message: '请填写栏目名称' }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item label="别名（地址中的一段）" name="slug" extra="如 tzgg：小写字母、数字、下划线和连字符" rules={[{ required: true, message: '请填写别名' }, { pattern: /^[a-z0-9][a-z0-9_-]{0,39}$/, message: '只能包含小写字母、数字、下划线和连字符，以字母或数字开头' }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item label="栏目类型" name="kind">
          <Select options={KIND_OPTIONS} />
        </Form.Item>
        {kind === 'link' && (
          <Form.Item label="链接地址" name="linkUrl" rules={[{ required: true, whitespace: true, message: '链接类栏目必须填写链接地址' }]}>
            <Input />
          </Form.Item>
        )}
        <Form.Item label="审核流程" name="reviewLevels">
          <Select options={LEVEL_OPTIONS} />
        </Form.Item>
        <Form.Item label="更新周期（天）" name="updateIntervalDays">
          <InputNumber min={1} max={365} precision={0} style={{ width: '100%' }} placeholder="不要求" />
        </Form.Item>
      </Form>
      {state && state.parentId !== null && <Alert type="info" showIcon title={`将新建在“${findColumn(tree, state.parentId)?.name ?? ''}”下`} />}
    </Modal>
  );
}
