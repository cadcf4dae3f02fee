/**
 * 模板管理 (site administrators, i.e. designers): the site's templates — the theme's own and the
 * site's overrides — edited in a Liquid code editor with a live preview in the real theme and
 * the site's real content (POST /templates/preview), parse errors marked on their line, version
 * history with roll-back, and the theme as a zip (export, import).
 */
import { DownloadOutlined, HistoryOutlined, ReloadOutlined, SaveOutlined, UndoOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Drawer, Empty, List, Modal, Popconfirm, Row, Select, Space, Spin, Switch, Tag, Typography, Upload } from 'antd';
import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, api } from '../../api';
import { PageTitle } from '../../components/common';
import type { LiquidEditorHandle, TemplateError } from '../../components/LiquidEditor';
import { fmtSize, fmtTime } from '../../lib/format';
import { errorText, notify } from '../../lib/notify';
import { useSession } from '../../session';
import type { Page, TemplateDetail, TemplateList, TemplateSummary, TemplateVersion } from '../../types';

const LiquidEditor = lazy(() => import('../../components/LiquidEditor'));
const { Text, Paragraph } = Typography;

const PREVIEW_DELAY_MS = 700;
const SAMPLES = [
  { value: 'home', label: '首页' },
  { value: 'column', label: '栏目列表页' },
  { value: 'article', label: '文章页' },
  { value: 'page', label: '单页' },
  { value: 'notfound', label: '404 页' },
];
const isFragment = (name: string) => name.startsWith('partials/') || name.startsWith('layouts/');
const urlName = (name: string) => name.replaceAll('/', '__');

/** The line and column of a template error the API reported (`details.issues[0]`). */
function templateError(e: unknown): TemplateError | null {
  if (!(e instanceof ApiError)) return null;
  const issue = (e.details as { issues?: { line?: unknown; column?: unknown; message?: unknown }[] } | undefined)?.issues?.[0];
  if (!issue || typeof issue.line !== 'number') return null;
  return { line: issue.line, column: typeof issue.column === 'number' ? issue.column : 1, message: typeof issue.message === 'string' ? issue.message : e.message };
}

function StateTag({ t, compact }: { t: Pick<TemplateSummary, 'overridden' | 'inTheme' | 'version'>; compact?: boolean }) {
  if (t.overridden) return <Tag color="#1456c8">{compact ? `已改 · 第 ${t.version} 版` : `本站覆盖 · 第 ${t.version} 版`}</Tag>;
  if (!t.inTheme) return <Tag color="#ad4e00">仅历史版本</Tag>;
  return compact ? null : <Tag color="#595959">主题默认</Tag>;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(new Error('无法读取文件'));
    r.readAsDataURL(file);
  });
}

export default function Templates() {
  const { siteId, site } = useSession();
  const qc = useQueryClient();
  const { modal } = App.useApp();
  const [params, setParams] = useSearchParams();
  const selected = params.get('t');
  const list = useQuery({ queryKey: ['templates', siteId], enabled: !!siteId, queryFn: () => api.get<TemplateList>(`/sites/${siteId}/templates`) });
  const dirtyRef = useRef(false);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);

  const choose = (name: string) => {
    const go = () => {
      dirtyRef.current = false;
      setParams({ t: name });
    };
    if (name === selected) return;
    if (!dirtyRef.current) return go();
    modal.confirm({ title: '放弃未保存的修改？', content: '当前模板的修改尚未保存，切换后将丢失。', okText: '放弃修改', cancelText: '留在此处', okButtonProps: { danger: true }, onOk: go });
  };

  const exportTheme = async () => {
    setExporting(true);
    try {
      const f = await api.download(`/sites/${siteId}/theme/export`, undefined, `theme-${site?.code ?? siteId}.zip`);
      notify.success(`已导出主题：${f.filename}（${fmtSize(f.size)}）`);
    } catch (e) {
      notify.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };

  const importTheme = async (file: File) => {
    if (!/\.zip$/i.test(file.name)) return notify.error('请选择 zip 格式的主题包');
    if (file.size > 5 * 1024 * 1024) return notify.error('主题包过大（zip 最大 5 MB）');
    setImporting(true);
    try {
      const r = await api.post<{ imported: { name: string; version: number }[]; unchanged: string[]; ignored: string[] }>(`/sites/${siteId}/theme/import`, { zipBase64: await readBase64(file) });
      void qc.invalidateQueries({ queryKey: ['templates', siteId] });
      void qc.invalidateQueries({ queryKey: ['template', siteId] });
      modal.success({
        title: r.imported.length ? `已导入 ${r.imported.length} 个模板` : '主题包与本站当前模板相同，没有需要导入的内容',
        content: (
          <>
            {r.imported.length > 0 && <Paragraph>导入：{r.imported.map((i) => `${i.name}（第 ${i.version} 版）`).join('、')}</Paragraph>}
            {r.unchanged.length > 0 && <Paragraph type="secondary">未变化：{r.unchanged.length} 个模板</Paragraph>}
            {r.ignored.length > 0 && <Paragraph type="secondary">未导入（静态资源等随主题目录提供）：{r.ignored.length} 个文件</Paragraph>}
          </>
        ),
      });
    } catch (e) {
      modal.error({ title: '主题导入失败，没有保存任何内容', content: errorText(e) });
    } finally {
      setImporting(false);
    }
  };

  if (!siteId) return <Spin aria-label="正在加载站点" />;
  const items = list.data?.items ?? [];
  const current = items.find((i) => i.name === selected) ?? null;

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            <Button icon={<DownloadOutlined />} onClick={() => void exportTheme()} loading={exporting}>
              导出主题
            </Button>
            <Upload accept=".zip,application/zip" showUploadList={false} beforeUpload={(f) => (void importTheme(f), false)}>
              <Button icon={<UploadOutlined />} loading={importing}>
                导入主题
              </Button>
            </Upload>
          </Space>
        }
      >
        模板管理{site ? ` · ${site.name}` : ''}
      </PageTitle>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={6}>
          <Card title={<h2 className="card-title">模板{list.data ? `（主题 ${list.data.theme}）` : ''}</h2>} styles={{ body: { padding: 0 } }}>
            <nav aria-label="模板列表">
              <List
                loading={list.isPending}
                dataSource={items}
                className="template-list"
                renderItem={(t) => (
                  <List.Item className={t.name === selected ? 'is-selected' : undefined}>
                    <button type="button" className="template-item" aria-current={t.name === selected ? 'true' : undefined} onClick={() => choose(t.name)}>
                      <span className="mono">{t.name}</span>
                      <StateTag t={t} compact />
                    </button>
                  </List.Item>
                )}
              />
            </nav>
          </Card>
        </Col>
        <Col xs={24} lg={18}>
          {current ? (
            <TemplateEditor key={`${siteId}:${current.name}`} siteId={siteId} summary={current} onDirty={(d) => (dirtyRef.current = d)} />
          ) : (
            <Card>
              <Empty description={selected ? `模板 ${selected} 不存在` : '请在左侧选择要编辑的模板'} />
              <Paragraph type="secondary" style={{ marginTop: 16 }}>
                保存即成为本站对主题模板的覆盖（每次保存一个新版本，可回滚）；“恢复主题默认”取消覆盖。模板使用 Liquid 语法，只能读取页面数据，不能执行代码。
              </Paragraph>
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}

function TemplateEditor({ siteId, summary, onDirty }: { siteId: number; summary: TemplateSummary; onDirty: (dirty: boolean) => void }) {
  const qc = useQueryClient();
  const name = summary.name;
  const path = `/sites/${siteId}/templates/${urlName(name)}`;
  const detail = useQuery({ queryKey: ['template', siteId, name], queryFn: () => api.get<TemplateDetail>(path), staleTime: 0 });
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<TemplateError | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | 'remove' | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const editor = useRef<LiquidEditorHandle>(null);

  const source = draft ?? detail.data?.source ?? '';
  const dirty = draft !== null && draft !== detail.data?.source;
  useEffect(() => {
    onDirty(dirty);
  }, [dirty, onDirty]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const reload = async () => {
    const fresh = await detail.refetch();
    if (fresh.data) setDraft(fresh.data.source);
    setConflict(null);
    void qc.invalidateQueries({ queryKey: ['templates', siteId] });
  };

  const save = async () => {
    if (!detail.data) return;
    setBusy('save');
    try {
      const r = await api.put<{ version: number; changed: boolean }>(path, { source, baseVersion: detail.data.version });
      setError(null);
      setConflict(null);
      notify.success(r.changed ? `模板已保存（第 ${r.version} 版），相关页面将重新生成` : '内容与当前版本相同，无需保存');
      await reload();
    } catch (e) {
      const te = templateError(e);
      if (te) {
        setError(te);
        editor.current?.goToLine(te.line, te.column);
      }
      if (e instanceof ApiError && e.status === 409) setConflict(e.message);
      notify.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const removeOverride = async () => {
    setBusy('remove');
    try {
      await api.del(path);
      notify.success('已恢复为主题自带模板（历史版本仍保留，可回滚）');
      setDraft(null);
      await reload();
    } catch (e) {
      notify.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  if (detail.isPending) return <Spin aria-label="正在加载模板" />;
  if (detail.error || !detail.data) return <Alert type="error" showIcon title="模板加载失败" description={errorText(detail.error)} action={<Button onClick={() => void detail.refetch()}>重试</Button>} />;
  const d = detail.data;

  return (
    <>
      <Card
        title={
          <Space wrap>
            <h2 className="card-title mono">{name}</h2>
            <StateTag t={d} />
            {dirty && <Tag color="#ad4e00">有未保存的修改</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            <Button icon={<HistoryOutlined />} onClick={() => setHistoryOpen(true)}>
              历史版本
            </Button>
            {d.overridden && d.inTheme && (
              <Popconfirm title="恢复为主题自带模板？" description="本站的覆盖将取消，历史版本仍保留。" okText="恢复默认" cancelText="取消" onConfirm={() => void removeOverride()}>
                <Button icon={<UndoOutlined />} loading={busy === 'remove'}>
                  恢复主题默认
                </Button>
              </Popconfirm>
            )}
            <Button type="primary" icon={<SaveOutlined />} onClick={() => void save()} loading={busy === 'save'} disabled={!dirty}>
              保存
            </Button>
          </Space>
        }
        style={{ marginBottom: 16 }}
      >
        {conflict && (
          <Alert
            className="form-alert"
            type="error"
            showIcon
            role="alert"
            title="保存冲突：本次修改没有保存"
            description={conflict}
            action={
              <Button size="small" onClick={() => void reload()}>
                载入最新版本
              </Button>
            }
          />
        )}
        <Suspense fallback={<Spin aria-label="正在加载代码编辑器" />}>
          <LiquidEditor ref={editor} value={source} onChange={setDraft} error={error} label={`模板 ${name} 的源代码`} height={460} />
        </Suspense>
        <div role="status" aria-live="polite" className="template-status">
          {error ? (
            <Alert
              type="error"
              showIcon
              title={`第 ${error.line} 行第 ${error.column} 列：${error.message}`}
              action={
                <Button size="small" onClick={() => editor.current?.goToLine(error.line, error.column)}>
                  转到第 {error.line} 行
                </Button>
              }
            />
          ) : (
            <Text type="secondary">
              {d.overridden ? `第 ${d.version} 版 · ${fmtTime(d.updatedAt)} 保存` : '主题自带的模板：保存后成为本站的覆盖'} · 语法正确 · {source.length} 个字符
            </Text>
          )}
        </div>
      </Card>
      <PreviewPane siteId={siteId} name={name} source={source} onError={setError} />
      <HistoryDrawer
        open={historyOpen}
        onClose={() => setHistoryOpen(false)}
        siteId={siteId}
        name={name}
        path={path}
        onRolledBack={async () => {
          setDraft(null);
          setError(null);
          await reload();
        }}
      />
    </>
  );
}

/** The template rendered in the site's real theme with real content, as the designer types. */
function PreviewPane({ siteId, name, source, onError }: { siteId: number; name: string; source: string; onError: (e: TemplateError | null) => void }) {
  const [sample, setSample] = useState(isFragment(name) ? 'home' : undefined);
  const [live, setLive] = useState(true);
  const [html, setHtml] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  const run = useCallback(
    async (text: string) => {
      const mine = ++seq.current;
      setLoading(true);
      try {
        const r = await api.post<{ html: string; template: string; sample: string }>('/templates/preview', { siteId, name, source: text, ...(sample ? { sample } : {}) });
        if (mine !== seq.current) return;
        setHtml(r.html);
        setFailure(null);
        onErrorRef.current(null);
      } catch (e) {
        if (mine !== seq.current) return;
        setFailure(errorText(e));
        onErrorRef.current(templateError(e));
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    },
    [siteId, name, sample],
  );

  const first = useRef(true);
  useEffect(() => {
    if (!live && !first.current) return;
    const delay = first.current ? 0 : PREVIEW_DELAY_MS;
    first.current = false;
    const timer = setTimeout(() => void run(source), delay);
    return () => clearTimeout(timer);
  }, [source, live, run]);

  return (
    <Card
      title={<h2 className="card-title">预览</h2>}
      extra={
        <Space wrap>
          {isFragment(name) && (
            <Select aria-label="预览页面" value={sample} onChange={setSample} options={SAMPLES} style={{ width: 130 }} />
          )}
          <Space>
            <Switch checked={live} onChange={setLive} aria-label="实时预览" id="live-preview" />
            <label htmlFor="live-preview">实时预览</label>
          </Space>
          <Button icon={<ReloadOutlined />} onClick={() => void run(source)} loading={loading}>
            刷新预览
          </Button>
        </Space>
      }
    >
      <Paragraph type="secondary" style={{ marginTop: -4 }}>
        用本站的真实内容按当前（未保存的）模板渲染，不会发布。{isFragment(name) ? '公共片段和布局显示在所选页面中。' : ''}
      </Paragraph>
      {failure && <Alert className="form-alert" type="error" showIcon title="预览失败" description={failure} />}
      {html !== null ? (
        <iframe title={`模板 ${name} 的预览`} className="template-preview" sandbox="allow-same-origin" srcDoc={html} style={{ opacity: loading ? 0.6 : 1 }} />
      ) : (
        !failure && <Spin aria-label="正在生成预览" />
      )}
    </Card>
  );
}

function HistoryDrawer({ open, onClose, siteId, name, path, onRolledBack }: { open: boolean; onClose: () => void; siteId: number; name: string; path: string; onRolledBack: () => Promise<void> }) {
  const versions = useQuery({ queryKey: ['template-versions', siteId, name], enabled: open, queryFn: () => api.get<Page<TemplateVersion>>(`${path}/versions`, { pageSize: 50 }), staleTime: 0 });
  const [viewing, setViewing] = useState<{ version: number; source: string } | null>(null);
  const [busy, setBusy] = useState<number | null>(null);

  const view = async (version: number) => {
    try {
      const v = await api.get<{ version: number; source: string }>(`${path}/versions/${version}`);
      setViewing(v);
    } catch (e) {
      notify.error(errorText(e));
    }
  };
  const rollback = async (version: number) => {
    setBusy(version);
    try {
      const r = await api.post<{ changed: boolean }>(`${path}/rollback`, { version });
      notify.success(r.changed ? `已回滚到第 ${version} 版，相关页面将重新生成` : `第 ${version} 版已是当前版本`);
      await versions.refetch();
      await onRolledBack();
    } catch (e) {
      notify.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Drawer title={`历史版本 · ${name}`} open={open} onClose={onClose} size={520} destroyOnHidden>
      {versions.isPending ? (
        <Spin aria-label="正在加载历史版本" />
      ) : (versions.data?.items.length ?? 0) === 0 ? (
        <Empty description="本站尚未修改过这个模板，使用的是主题自带的版本" />
      ) : (
        <List
          dataSource={versions.data?.items ?? []}
          renderItem={(v) => (
            <List.Item
              actions={[
                <Button key="view" size="small" onClick={() => void view(v.version)}>
                  查看
                </Button>,
                v.active ? (
                  <Tag key="cur" color="#237804">
                    当前版本
                  </Tag>
                ) : (
                  <Popconfirm key="rb" title={`回滚到第 ${v.version} 版？`} description="该版本将成为本站使用的模板。" okText="回滚" cancelText="取消" onConfirm={() => void rollback(v.version)}>
                    <Button size="small" loading={busy === v.version}>
                      回滚到此版本
                    </Button>
                  </Popconfirm>
                ),
              ]}
            >
              <List.Item.Meta title={`第 ${v.version} 版`} description={`${fmtTime(v.createdAt)} · ${v.createdBy?.username ?? '系统'} · ${v.size} 个字符`} />
            </List.Item>
          )}
        />
      )}
      <Modal title={viewing ? `${name} · 第 ${viewing.version} 版` : ''} open={!!viewing} onCancel={() => setViewing(null)} footer={null} width={860} destroyOnHidden>
        {viewing && (
          <Suspense fallback={<Spin aria-label="正在加载代码编辑器" />}>
            <LiquidEditor value={viewing.source} readOnly label={`第 ${viewing.version} 版的源代码（只读）`} height={480} />
          </Suspense>
        )}
      </Modal>
    </Drawer>
  );
}
