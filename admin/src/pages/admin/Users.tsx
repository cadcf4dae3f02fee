/** 用户与授权: accounts and their role grants (read-only list in this version). */
import { Input, Space, Tag } from 'antd';
import { useSearchParams } from 'react-router';
import { PageTitle } from '../../components/common';
import { PagedTable } from '../../components/PagedTable';
import { fmtTime } from '../../lib/format';

interface User {
  id: number;
  username: string;
  displayName: string;
  status: 'active' | 'disabled';
  totpEnabled: boolean;
  locked: boolean;
  lastLoginAt: string | null;
  grants?: { id: number; roleName: string; siteName: string | null; columnName: string | null; reviewLevel: number | null }[];
}

export default function Users() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? undefined;
  return (
    <>
      <PageTitle extra={<Input.Search aria-label="搜索用户" placeholder="用户名或姓名" allowClear defaultValue={q} onSearch={(v) => setParams(v.trim() ? { q: v.trim() } : {})} enterButton="搜索" />}>用户与授权</PageTitle>
      <PagedTable<User>
        path="/users"
        query={{ q }}
        rowKey="id"
        columns={[
          { title: '用户名', dataIndex: 'username', width: 140 },
          { title: '姓名', dataIndex: 'displayName', width: 120 },
          {
            title: '角色授权',
            key: 'grants',
            render: (_v, u) => (
              <Space wrap size={4}>
                {(u.grants ?? []).map((g) => (
                  <Tag key={g.id}>
                    {g.roleName}
                    {g.siteName ? ` · ${g.siteName}` : ''}
                    {g.columnName ? ` · ${g.columnName}` : ''}
                    {g.reviewLevel ? ` · 第 ${g.reviewLevel} 级` : ''}
                  </Tag>
                ))}
              </Space>
            ),
          },
          { title: '状态', key: 's', width: 120, render: (_v, u) => (u.status !== 'active' ? '已停用' : u.locked ? '已锁定' : '正常') + (u.totpEnabled ? ' · 动态口令' : '') },
          { title: '最近登录', dataIndex: 'lastLoginAt', width: 160, render: (v: string | null) => fmtTime(v) },
        ]}
      />
    </>
  );
}
