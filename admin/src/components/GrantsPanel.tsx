/**
 * 栏目授权: who may write, review or handle in a column — grants on the whole site and on the
 * columns above reach it, grants below it are listed too (GET /sites/:id/grants). Only the
 * security administrator grants and revokes (三员分立); a site administrator sees the same list
 * read-only and is told whom to ask.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { applyFieldErrors, errorText, notify } from '../lib/notify';
import type { Page, Role, SiteGrant, SiteGrants } from '../types';

const SCOPED_ROLES: { value: Role; label: string }[] = [
  { value: 'editor', label: '编辑（撰写、送审）' },
  { value: 'reviewer', label: '审核员（审核、发布）' },
  { value: 'handler', label: '办理人（信件、申请）' },
  { value: 'site_admin', label: '站点管理员（仅整站）' },
];

export const siteGrantsKey = (siteId: number) => ['site-grants', siteId] as const;

export function useSiteGrants(siteId: number | null | undefined) {
  return useQuery({ queryKey: siteGrantsKey(siteId ?? 0), enabled: !!siteId, queryFn: () => api.get<SiteGrants>(`/sites/${siteId}/grants`) });
}

type Reach = 'site' | 'above' | 'here' | 'below';
const REACH: Record<Reach, [string, string]> = {
  site: ['整站', '#595959'],
  above: ['上级栏目', '#0b6e6e'],
  here: ['本栏目', '#1456c8'],
  below: ['下级栏目', '#ad4e00'],
};

/** How a grant relates to the column (by id paths "/3/17/"); null when it does not touch it. */
export function reachOf(g: Pick<SiteGrant, 'columnIdPath'>, idPath: string): Reach | null {
  if (g.columnIdPath === null) return 'site';
  if (g.columnIdPath === idPath) return 'here';
  if (idPath.startsWith(g.columnIdPath)) return 'above';
  if (g.columnIdPath.startsWith(idPath)) return 'below';
  return null;
}

interface UserOption {
  id: number;
  username: string;
  displayName: string;
  status: string;
}

export function GrantsPanel({ siteId, column, data, canManage }: { siteId: number; column: { id: number; idPath: string; name: string }; data: SiteGrants | undefined; canManage: boolean }) {
  const qc = useQueryClient();
  const [adding, setAdding] = useState(false);
  const rows = (data?.grants ?? [])
    .map((g) => ({ ...g, reach: reachOf(g, column.idPath) }))
    .filter((g): g is SiteGrant & { reach: Reach } => g.reach !== null)
    .sort((a, b) => ['site', 'above', 'here', 'below'].indexOf(a.reach) - ['site', 'above', 'here', 'below'].indexOf(b.reach) || a.id - b.id);

  const revoke = async (g: SiteGrant) => {
    try {
      await api.del(`/grants/${g.id}`);
      notify.success(`已撤销 ${g.displayName} 的${g.roleName}授权`);
      void qc.invalidateQueries({ queryKey: siteGrantsKey(siteId) });
    } catch (e) {
      notify.error(errorText(e));
    }
  };

  return (
    <>
      {canManage ? (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            授权
          </Button>
          <Typography.Text type="secondary">授权在用户下一次操作时生效。</Typography.Text>
        </Space>
      ) : (
        <Alert className="form-alert" type="info" showIcon title="栏目授权由安全管理员办理（三员分立）" description="如需增加或撤销本栏目的编辑、审核人员，请联系安全管理员，在“栏目授权”中办理。" />
      )}
      <Table<SiteGrant & { reach: Reach }>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: '本栏目还没有任何授权' }}
        columns={[
          { title: '人员', key: 'u', render: (_v, g) => `${g.displayName}（${g.username}）${g.userStatus === 'active' ? '' : ' · 已停用'}` },
          { title: '角色', key: 'r', width: 140, render: (_v, g) => `${g.roleName}${g.reviewLevel ? ` · 第 ${g.reviewLevel} 级` : ''}` },
          {
            title: '范围',
            key: 's',
            render: (_v, g) => (
              <Space size={4} wrap>
                <Tag color={REACH[g.reach][1]}>{REACH[g.reach][0]}</Tag>
                {g.columnName && g.reach !== 'here' ? g.columnName : ''}
              </Space>
            ),
          },
          ...(canManage
            ? [
                {
                  title: '操作',
                  key: 'op',
                  width: 90,
                  render: (_v: unknown, g: SiteGrant) => (
                    <Popconfirm title={`撤销 ${g.displayName} 的${g.roleName}授权？`} okText="撤销" cancelText="取消" okButtonProps={{ danger: true }} onConfirm={() => void revoke(g)}>
                      <Button size="small" danger icon={<DeleteOutlined />} aria-label={`撤销 ${g.displayName} 的${g.roleName}授权`}>
                        撤销
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      {canManage && <AddGrantModal open={adding} onClose={() => setAdding(false)} siteId={siteId} column={column} />}
    </>
  );
}

function AddGrantModal({ open, onClose, siteId, column }: { open: boolean; onClose: () => void; siteId: number; column: { id: number; name: string } }) {
  const qc = useQueryClient();
  const [form] = Form.useForm<{ userId: number; role: Role; scope: 'column' | 'site'; reviewLevel?: number | null }>();
  const [q, setQ] = useState('');
  const [busy, setBusy] = useState(false);
  const users = useQuery({ queryKey: ['users', 'pick', q], enabled: open, queryFn: () => api.get<Page<UserOption>>('/users', { q: q || undefined, status: 'active', pageSize: 20 }) });
  const role = Form.useWatch('role', form);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const siteWide = v.scope === 'site' || v.role === 'site_admin';
      await api.post('/grants', { userId: v.userId, role: v.role, siteId, columnId: siteWide ? null : column.id, reviewLevel: v.role === 'reviewer' ? (v.reviewLevel ?? null) : null });
      notify.success('已授权');
      void qc.invalidateQueries({ queryKey: siteGrantsKey(siteId) });
      form.resetFields();
      onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e, { columnId: 'scope', siteId: 'scope' })) notify.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={`授权 · ${column.name}`} open={open} onCancel={onClose} onOk={() => void submit()} okText="授权" cancelText="取消" confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ role: 'editor', scope: 'column', reviewLevel: null }} preserve={false}>
        <Form.Item label="人员" name="userId" rules={[{ required: true, message: '请选择人员' }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: setQ }}
            placeholder="输入用户名或姓名搜索"
            loading={users.isFetching}
            options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
            notFoundContent={users.isFetching ? '正在搜索…' : '没有找到用户'}
          />
        </Form.Item>
        <Form.Item label="角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
          <Select options={SCOPED_ROLES} />
        </Form.Item>
        {role === 'reviewer' && (
          <Form.Item label="审核级别" name="reviewLevel" extra="不指定则可审核各级">
            <Select allowClear placeholder="各级" options={[1, 2, 3].map((n) => ({ value: n, label: `第 ${n} 级` }))} />
          </Form.Item>
        )}
        <Form.Item label="范围" name="scope">
          <Radio.Group disabled={role === 'site_admin'}>
            <Radio value="column">本栏目及其下级栏目</Radio>
            <Radio value="site">整个站点</Radio>
          </Radio.Group>
        </Form.Item>
      </Form>
    </Modal>
  );
}
