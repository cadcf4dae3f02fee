/**
 * The frame every screen lives in: header (platform name, site switcher, the user and logout),
 * the menu the user's grants allow, breadcrumbs, and the screen.
 */
import { DownOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Dropdown, Layout, Menu, Modal, Select, Space } from 'antd';
import type { MenuProps } from 'antd';
import { useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useMatches, useNavigate, useNavigation } from 'react-router';
import { type MenuEntry, homePath, menuFor } from '../lib/access';
import { notify } from '../lib/notify';
import { ChangePassword } from '../pages/auth/ChangePassword';
import type { RouteHandle } from '../router';
import { useLogout, useSession } from '../session';

const { Header, Sider, Content } = Layout;

function toItems(entries: MenuEntry[]): MenuProps['items'] {
  return entries.map((e) =>
    e.children ? { key: e.key, label: e.label, children: toItems(e.children) } : { key: e.path ?? e.key, label: <Link to={e.path ?? '/'}>{e.label}</Link> },
  );
}

/** The menu key of the current address: the longest menu path that prefixes it. */
function selectedKey(entries: MenuEntry[], pathname: string): string | undefined {
  const paths = entries.flatMap((e) => (e.children ? e.children : [e])).map((e) => e.path ?? '');
  return paths.filter((p) => (p === '/' ? pathname === '/' : pathname === p || pathname.startsWith(`${p}/`))).sort((a, b) => b.length - a.length)[0];
}

export default function Frame() {
  const { me, can, sites, siteId, setSiteId } = useSession();
  const location = useLocation();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const logout = useLogout();
  const [pwOpen, setPwOpen] = useState(false);
  const menu = useMemo(() => menuFor(can), [can]);
  const selected = selectedKey(menu, location.pathname);
  const openKeys = menu.filter((e) => e.children?.some((c) => c.path === selected)).map((e) => e.key);

  const crumbs = useMatches()
    .filter((m) => (m.handle as RouteHandle | undefined)?.crumb)
    .map((m, i, all) => {
      const text = (m.handle as RouteHandle).crumb!;
      const last = i === all.length - 1;
      return { key: m.id, title: last ? <span aria-current="page">{text}</span> : <Link to={m.pathname}>{text}</Link> };
    });
  const home = homePath(can);
  const crumbItems = [{ key: 'home', title: <Link to={home}>首页</Link> }, ...crumbs.filter((c, i) => !(i === 0 && home === '/' && location.pathname === '/'))];

  const roles = [...new Set(me.grants.map((g) => g.roleName))].join('、');
  const userMenu: MenuProps['items'] = [
    { key: 'roles', label: <span>角色：{roles || '无'}</span>, disabled: true },
    { type: 'divider' },
    { key: 'password', label: '修改密码' },
    { key: 'logout', label: '退出登录', icon: <LogoutOutlined /> },
  ];
  const onUserMenu: MenuProps['onClick'] = async ({ key }) => {
    if (key === 'password') setPwOpen(true);
    if (key === 'logout') {
      await logout();
      navigate('/login', { replace: true });
    }
  };

  return (
    <Layout className="frame">
      <a className="skip-link" href="#main">
        跳到主要内容
      </a>
      {navigation.state === 'loading' && <div className="frame-progress" role="progressbar" aria-label="正在打开页面" />}
      <Header className="frame-header">
        <p className="frame-brand">
          <Link to={home}>集约 · 管理后台</Link>
        </p>
        <div className="frame-spacer" />
        {sites.length > 0 && (
          <Space>
            <label htmlFor="site-switcher" className="frame-user">
              当前站点
            </label>
            <Select
              id="site-switcher"
              className="frame-site"
              value={siteId ?? undefined}
              onChange={(v) => setSiteId(v)}
              options={sites.map((s) => ({ value: s.id, label: s.name }))}
              showSearch={{ optionFilterProp: 'label' }}
              aria-label="当前站点"
              popupMatchSelectWidth={false}
            />
          </Space>
        )}
        <Dropdown menu={{ items: userMenu, onClick: onUserMenu }} trigger={['click']}>
          <Button type="text" className="frame-user" icon={<UserOutlined />} aria-label={`用户菜单：${me.displayName}`}>
            {me.displayName}
            <DownOutlined />
          </Button>
        </Dropdown>
      </Header>
      <Layout>
        <Sider width={200} className="frame-sider" breakpoint="lg" collapsedWidth={0} theme="light">
          <nav aria-label="主菜单">
            <Menu mode="inline" selectedKeys={selected ? [selected] : []} defaultOpenKeys={openKeys} items={toItems(menu)} style={{ borderInlineEnd: 0 }} />
          </nav>
        </Sider>
        <Content className="frame-content">
          <nav aria-label="面包屑导航">
            <Breadcrumb className="frame-crumbs" items={crumbItems} />
          </nav>
          <main id="main" tabIndex={-1}>
            <Outlet />
          </main>
        </Content>
      </Layout>
      <Modal title="修改密码" open={pwOpen} onCancel={() => setPwOpen(false)} footer={null} destroyOnHidden>
        <ChangePassword
          onDone={() => {
            setPwOpen(false);
            notify.success('密码已修改');
          }}
        />
      </Modal>
    </Layout>
  );
}
