/**
 * The console's screens. Each screen is its own chunk (`lazy`): the first load only brings the
 * frame and the screen asked for.
 */
import type { ComponentType } from 'react';
import { type RouteObject, createBrowserRouter } from 'react-router';
import { FullScreenSpin, RequireAbility, RequireSession } from './layout/guards';
import LoginPage from './pages/auth/Login';
import type { Ability } from './lib/access';

/** A route's crumb (breadcrumb text) and the ability it needs. */
export interface RouteHandle {
  crumb?: string;
}

type Loader = () => Promise<{ default: ComponentType }>;
const screen = (load: Loader) => async () => ({ Component: (await load()).default });

const guarded = (ability: Ability, children: RouteObject[]): RouteObject => ({ element: <RequireAbility ability={ability} />, children });

/** Where the console is served (vite.config.ts `base`, without its slash). */
export const BASENAME = '/admin';

export const routes: RouteObject[] = [
  // The first screen of every visit: in the main bundle, so it needs no second round trip.
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: <RequireSession />,
    // Shown while a screen's chunks load on the first visit (a reload inside the console).
    HydrateFallback: FullScreenSpin,
    children: [
      {
        // The frame comes after login: not part of the first screen's download.
        lazy: screen(() => import('./layout/Frame')),
        children: [
          { index: true, lazy: screen(() => import('./pages/Workbench')), handle: { crumb: '工作台' } },
          guarded('edit', [
            {
              path: 'articles',
              handle: { crumb: '稿件管理' },
              children: [
                { index: true, lazy: screen(() => import('./pages/articles/ArticleList')) },
                { path: 'new', lazy: screen(() => import('./pages/articles/ArticleEdit')), handle: { crumb: '新建稿件' } },
                { path: ':id', lazy: screen(() => import('./pages/articles/ArticleEdit')), handle: { crumb: '编辑稿件' } },
                { path: ':id/history', lazy: screen(() => import('./pages/articles/History')), handle: { crumb: '版本历史' } },
              ],
            },
          ]),
          guarded('review', [
            {
              path: 'review',
              handle: { crumb: '审核' },
              children: [
                { index: true, lazy: screen(() => import('./pages/review/ReviewQueue')) },
                { path: ':id', lazy: screen(() => import('./pages/review/ReviewItem')), handle: { crumb: '审核稿件' } },
              ],
            },
          ]),
          guarded('faq', [
            {
              path: 'faq',
              handle: { crumb: '问答知识库' },
              children: [
                { index: true, lazy: screen(() => import('./pages/faq/FaqList')) },
                guarded('faqEdit', [{ path: 'new', lazy: screen(() => import('./pages/faq/FaqEdit')), handle: { crumb: '新建条目' } }]),
                { path: ':id', lazy: screen(() => import('./pages/faq/FaqEdit')), handle: { crumb: '编辑条目' } },
                guarded('faqReview', [{ path: ':id/review', lazy: screen(() => import('./pages/faq/FaqReview')), handle: { crumb: '审核条目' } }]),
              ],
            },
          ]),
          guarded('faqEdit', [{ path: 'qa-questions', lazy: screen(() => import('./pages/faq/QaQueue')), handle: { crumb: '群众提问' } }]),
          guarded('manageSite', [
            { path: 'columns', lazy: screen(() => import('./pages/admin/Columns')), handle: { crumb: '栏目管理' } },
            { path: 'site-settings', lazy: screen(() => import('./pages/admin/SiteSettings')), handle: { crumb: '站点设置' } },
            { path: 'templates', lazy: screen(() => import('./pages/admin/Templates')), handle: { crumb: '模板管理' } },
          ]),
          guarded('sysadmin', [
            {
              path: 'cluster',
              handle: { crumb: '站点群' },
              children: [
                { path: 'organisations', lazy: screen(() => import('./pages/admin/Organisations')), handle: { crumb: '单位' } },
                { path: 'sites', lazy: screen(() => import('./pages/admin/Sites')), handle: { crumb: '站点' } },
              ],
            },
            { path: 'jobs', lazy: screen(() => import('./pages/admin/Jobs')), handle: { crumb: '后台任务' } },
          ]),
          guarded('secadmin', [
            { path: 'users', lazy: screen(() => import('./pages/admin/Users')), handle: { crumb: '用户与授权' } },
            { path: 'column-grants', lazy: screen(() => import('./pages/admin/ColumnGrants')), handle: { crumb: '栏目授权' } },
            { path: 'security-policy', lazy: screen(() => import('./pages/admin/SecurityPolicy')), handle: { crumb: '安全策略' } },
          ]),
          guarded('auditor', [{ path: 'audit', lazy: screen(() => import('./pages/admin/Audit')), handle: { crumb: '审计日志' } }]),
          { path: '*', lazy: async () => ({ Component: (await import('./layout/NotFound')).NotFound }), handle: { crumb: '页面不存在' } },
        ],
      },
    ],
  },
];

/**
 * The router, made once the session is known (main.tsx): a visitor without one is sent to the
 * login address before the first match, so the first screen does not wait for the chunks of
 * the frame and of the screen that was asked for.
 */
export const createRouter = () => createBrowserRouter(routes, { basename: BASENAME });
