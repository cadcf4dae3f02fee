/**
 * 稿件编辑: write or revise an article, save it (optimistic lock: PATCH with baseVersion, a 409
 * is shown as a conflict with ways out), submit it for review. What is typed is copied to this
 * browser every few seconds, and offered back when the page is opened again.
 */
import { DeleteOutlined, EyeOutlined, FileOutlined, HistoryOutlined, PaperClipOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Form, Input, List, Modal, Row, Select, Space, Spin, Timeline, TreeSelect, Typography, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, api } from '../../api';
import { DraftOffer, SaveConflict, SaveState } from '../../components/DraftAlerts';
import { PageTitle, StatusTag } from '../../components/common';
import { LoadFailed, NotFound } from '../../layout/NotFound';
import { fmtSize, fmtTime } from '../../lib/format';
import { type LocalDraft, draftKey, useDraftCopy } from '../../lib/localDraft';
import { applyFieldErrors, errorText, notify } from '../../lib/notify';
import { columnOptions, findColumn, useColumnTree } from '../../lib/queries';
import { useSession } from '../../session';
import type { Article, Attachment, Media } from '../../types';
import { PreviewDrawer } from './PreviewDrawer';
import { RichEditor } from './RichEditor';
import { SyndicationCard } from './Syndications';

const { Text, Paragraph } = Typography;

interface FormValues {
  title: string;
  subtitle: string;
  summary: string;
  source: string;
  author: string;
  columnId: number | undefined;
  publishAt: Dayjs | null;
  expiresAt: Dayjs | null;
  tags: string[];
  body: string;
}

/** What a local draft stores: the form with dates as text, and the attachments. */
interface DraftValues extends Omit<FormValues, 'publishAt' | 'expiresAt'> {
  publishAt: string | null;
  expiresAt: string | null;
  attachments: Attachment[];
}

const EMPTY: FormValues = { title: '', subtitle: '', summary: '', source: '', author: '', columnId: undefined, publishAt: null, expiresAt: null, tags: [], body: '' };

function fromArticle(a: Article): FormValues {
  return {
    title: a.title,
    subtitle: a.subtitle,
    summary: a.summary,
    source: a.source,
    author: a.author,
    columnId: a.columnId,
    publishAt: a.publishAt ? dayjs(a.publishAt) : null,
    expiresAt: a.expiresAt ? dayjs(a.expiresAt) : null,
    tags: a.tags,
    body: a.body,
  };
}

const toDraft = (v: FormValues, attachments: Attachment[]): DraftValues => ({
  ...v,
  publishAt: v.publishAt ? v.publishAt.toISOString() : null,
  expiresAt: v.expiresAt ? v.expiresAt.toISOString() : null,
  attachments,
});
const fromDraft = (d: DraftValues): FormValues => ({ ...EMPTY, ...d, publishAt: d.publishAt ? dayjs(d.publishAt) : null, expiresAt: d.expiresAt ? dayjs(d.expiresAt) : null });

function payloadOf(v: FormValues, attachments: Attachment[]) {
  return {
    title: v.title,
    subtitle: v.subtitle ?? '',
    summary: v.summary ?? '',
    source: v.source ?? '',
    author: v.author ?? '',
    publishAt: v.publishAt ? v.publishAt.toISOString() : null,
    expiresAt: v.expiresAt ? v.expiresAt.toISOString() : null,
    tags: v.tags ?? [],
    body: v.body ?? '',
    attachmentIds: attachments.map((a) => a.id),
  };
}

export default function ArticleEditPage() {
  const { id } = useParams();
  const { siteId } = useSession();
  const articleId = id === undefined ? null : Number(id);
  const valid = articleId === null || (Number.isInteger(articleId) && articleId > 0);
  const article = useQuery({
    queryKey: ['article', articleId],
    enabled: valid && articleId !== null,
    queryFn: () => api.get<Article>(`/articles/${articleId}`),
    meta: { silent: true },
    staleTime: 0,
  });
  if (!valid) return <NotFound />;
  if (articleId !== null) {
    if (article.isPending) return <Spin aria-label="正在加载稿件" />;
    if (article.error) return <LoadFailed error={article.error} what="稿件" onRetry={() => void article.refetch()} />;
  }
  // A new article belongs to the current site: wait until it is known (its draft is kept per site).
  if (articleId === null && siteId === null) return <Spin aria-label="正在加载站点" />;
  return <ArticleEditor key={articleId ?? `new-${siteId}`} article={article.data ?? null} />;
}

function ArticleEditor({ article }: { article: Article | null }) {
  const { me, siteId: currentSite, site } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const siteId = article?.siteId ?? currentSite;
  const columns = useColumnTree(siteId);
  const [form] = Form.useForm<FormValues>();
  const key = draftKey(me.id, article?.id ?? null, siteId);

  const [server, setServer] = useState<Article | null>(article);
  const [baseVersion, setBaseVersion] = useState<number | null>(article?.version ?? null);
  const [attachments, setAttachments] = useState<Attachment[]>(article?.attachments ?? []);
  const [editorKey, setEditorKey] = useState(0);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [withdrawOpen, setWithdrawOpen] = useState(false);
  const [previewOpen, setPreviewOpen] = useState(false);
  const attachmentsRef = useRef(attachments);
  attachmentsRef.current = attachments;
  const baseRef = useRef(baseVersion);
  baseRef.current = baseVersion;

  const status = server?.status ?? 'draft';
  const readOnly = status === 'submitted';
  const initial = article ? fromArticle(article) : { ...EMPTY, columnId: Number(params.get('columnId')) || undefined };

  const draft = useDraftCopy<DraftValues>(key, () => ({ baseVersion: baseRef.current, values: toDraft(form.getFieldsValue(true) as FormValues, attachmentsRef.current) }));
  const { dirty, localSavedAt, offer, markDirty, saveLocal } = draft;

  const markClean = (a: Article | null) => {
    draft.markClean();
    if (a) {
      setServer(a);
      setBaseVersion(a.version);
      setAttachments(a.attachments);
      qc.setQueryData(['article', a.id], a);
    }
  };

  const restore = (d: LocalDraft<DraftValues>) => {
    form.setFieldsValue(fromDraft(d.values));
    setAttachments(d.values.attachments ?? []);
    setBaseVersion(d.baseVersion ?? baseVersion);
    setEditorKey((k) => k + 1);
    draft.restored();
    notify.success('已恢复本机草稿');
  };

  /** Saves to the server; returns the saved article or null (the problem is shown). */
  const save = async (goToCreated = true): Promise<Article | null> => {
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      notify.error('请检查标红的项目');
      return null;
    }
    saveLocal();
    try {
      const body = payloadOf(v, attachments);
      if (!server) {
        const created = await api.post<Article>('/articles', { columnId: v.columnId, ...body });
        markClean(created);
        if (goToCreated) navigate(`/articles/${created.id}`, { replace: true });
        return created;
      }
      let saved = await api.patch<Article>(`/articles/${server.id}`, { baseVersion: baseRef.current, ...body });
      if (v.columnId && v.columnId !== saved.columnId) saved = await api.post<Article>(`/articles/${server.id}/move`, { columnId: v.columnId });
      setConflict(null);
      markClean(saved);
      void qc.invalidateQueries({ queryKey: ['articles'] });
      return saved;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.code === 'conflict') {
        setConflict(e);
        window.scrollTo({ top: 0, behavior: 'smooth' });
      } else {
        applyFieldErrors(form, e);
        notify.error(errorText(e));
      }
      return null;
    }
  };

  const onSave = async () => {
    setBusy('save');
    const a = await save();
    setBusy(null);
    if (a) notify.success(`已保存（第 ${a.version} 版）`);
  };

  const onSubmit = async () => {
    setBusy('submit');
    let created: Article | null = null;
    try {
      const a = dirty || !server ? await save(false) : server;
      if (!a) return;
      if (!server) created = a;
      const submitted = await api.post<Article>(`/articles/${a.id}/submit`);
      markClean(submitted);
      if (created) navigate(`/articles/${submitted.id}`, { replace: true });
      void qc.invalidateQueries({ queryKey: ['articles'] });
      void qc.invalidateQueries({ queryKey: ['review-queue'] });
      notify.success(submitted.status === 'submitted' ? '已送审，等待第 1 级审核' : submitted.isLive ? '栏目无需审核，已发布' : '栏目无需审核，已通过');
    } catch (e) {
      notify.error(errorText(e));
      if (created) navigate(`/articles/${created.id}`, { replace: true });
    } finally {
      setBusy(null);
    }
  };

  const loadLatest = async () => {
    if (!server) return;
    saveLocal();
    const latest = await api.get<Article>(`/articles/${server.id}`);
    setServer(latest);
    setBaseVersion(latest.version);
    setAttachments(latest.attachments);
    form.setFieldsValue(fromArticle(latest));
    setEditorKey((k) => k + 1);
    setConflict(null);
    // The user's own text stays in this browser, offered back for merging.
    draft.replacedByLatest();
  };

  const overwrite = async () => {
    const current = (conflict?.details as { currentVersion?: number } | undefined)?.currentVersion;
    if (!current) return;
    setBaseVersion(current);
    baseRef.current = current;
    setConflict(null);
    setBusy('save');
    const a = await save();
    setBusy(null);
    if (a) notify.success(`已保存（第 ${a.version} 版）`);
  };

  const column = findColumn(columns.data ?? [], Form.useWatch('columnId', form));
  const lastReturn = [...(server?.reviews ?? [])].reverse().find((r) => r.decision === 'return');
  const title = server ? `编辑稿件` : '新建稿件';

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            {server && (
              <Button icon={<EyeOutlined />} onClick={() => setPreviewOpen(true)}>
                预览
              </Button>
            )}
            {server && (
              <Link to={`/articles/${server.id}/history`}>
                <HistoryOutlined aria-hidden /> 版本历史
              </Link>
            )}
            {server?.isLive && server.url && (
              <Typography.Link href={server.url} target="_blank" rel="noreferrer">
                查看发布页
              </Typography.Link>
            )}
          </Space>
        }
      >
        {title}
        {server ? `：${server.title}` : site ? ` · ${site.name}` : ''}
      </PageTitle>

      {offer && (
        <DraftOffer
          offer={offer}
          serverVersion={server?.version ?? null}
          onRestore={() => restore(offer)}
          onDiscard={draft.discard}
        />
      )}
      {conflict && (
        <SaveConflict
          message={conflict.message}
          onLoadLatest={() => void loadLatest()}
          onOverwrite={() => void overwrite()}
          extra={
            server && (
              <Link to={`/articles/${server.id}/history`} target="_blank">
                查看版本差异
              </Link>
            )
          }
        />
      )}
      {status === 'returned' && lastReturn && (
        <Alert type="warning" showIcon className="form-alert" title={`稿件已被退回（第 ${lastReturn.level} 级审核，${fmtTime(lastReturn.createdAt)}）`} description={`审核意见：${lastReturn.comment}`} />
      )}
      {readOnly && (
        <Alert
          type="info"
          showIcon
          className="form-alert"
          title={`稿件正在第 ${server?.reviewLevel ?? 1} 级审核中，不能修改。`}
          description="如需修改，请先撤回（稿件退为草稿，修改后重新送审）。"
          action={
            <Button size="small" onClick={() => setWithdrawOpen(true)}>
              撤回
            </Button>
          }
        />
      )}

      <Form<FormValues> form={form} layout="vertical" initialValues={initial} onValuesChange={markDirty} disabled={readOnly} requiredMark>
        <Row gutter={20}>
          <Col xs={24} xl={17}>
            <Card>
              <Form.Item label="标题" name="title" rules={[{ required: true, whitespace: true, message: '请填写标题' }, { max: 200, message: '标题不能超过 200 个字符' }]}>
                <Input size="large" maxLength={200} showCount />
              </Form.Item>
              <Form.Item label="副标题" name="subtitle" rules={[{ max: 200, message: '副标题不能超过 200 个字符' }]}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item label="摘要" name="summary" rules={[{ max: 1000, message: '摘要不能超过 1000 个字符' }]}>
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={1000} showCount />
              </Form.Item>
              <Form.Item label="正文" name="body">
                <RichEditor key={editorKey} siteId={siteId} readOnly={readOnly} label="正文" />
              </Form.Item>
            </Card>
          </Col>
          <Col xs={24} xl={7}>
            <Card
              title={<h2 style={{ fontSize: 16, margin: 0 }}>发布信息</h2>}
              extra={server ? <StatusTag status={status} level={server.reviewLevel} /> : <StatusTag status="draft" />}
              style={{ marginBottom: 16 }}
            >
              <SaveState dirty={dirty} localSavedAt={localSavedAt} saved={server} />
              <Space wrap style={{ margin: '12px 0 16px' }}>
                <Button icon={<SaveOutlined />} onClick={() => void onSave()} loading={busy === 'save'} disabled={readOnly || (!dirty && !!server)}>
                  保存
                </Button>
                <Button type="primary" icon={<SendOutlined />} onClick={() => void onSubmit()} loading={busy === 'submit'} disabled={readOnly || status === 'approved'}>
                  {status === 'returned' ? '重新送审' : '送审'}
                </Button>
              </Space>
              <Form.Item label="栏目" name="columnId" rules={[{ required: true, message: '请选择栏目' }]} extra={column ? `${column.reviewLevels ? `本栏目需 ${column.reviewLevels} 级审核` : '本栏目无需审核，送审即发布'}` : undefined}>
                <TreeSelect
                  treeData={columnOptions(columns.data ?? [], (c) => c.kind === 'list' || c.kind === 'page')}
                  treeDefaultExpandAll
                  showSearch={{ treeNodeFilterProp: 'title' }}
                  placeholder="选择栏目"
                  loading={columns.isPending}
                />
              </Form.Item>
              <Form.Item label="发布时间" name="publishAt" extra="留空则审核通过后立即发布">
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item
                label="失效时间"
                name="expiresAt"
                dependencies={['publishAt']}
                rules={[
                  ({ getFieldValue }) => ({
                    validator: (_r, v: Dayjs | null) => {
                      const p = getFieldValue('publishAt') as Dayjs | null;
                      return !v || !p || v.isAfter(p) ? Promise.resolve() : Promise.reject(new Error('失效时间必须晚于发布时间'));
                    },
                  }),
                ]}
                extra="到期后自动下线；留空则长期有效"
              >
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item label="来源" name="source" rules={[{ max: 100, message: '来源不能超过 100 个字符' }]}>
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item label="作者" name="author" rules={[{ max: 100, message: '作者不能超过 100 个字符' }]}>
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item label="标签" name="tags" extra="输入后按回车，最多 10 个" rules={[{ type: 'array', max: 10, message: '标签最多 10 个' }]}>
                <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} suffixIcon={null} />
              </Form.Item>
            </Card>
            <Attachments
              siteId={siteId}
              items={attachments}
              readOnly={readOnly}
              onChange={(next) => {
                setAttachments(next);
                markDirty();
              }}
            />
            {server && siteId && (
              <SyndicationCard
                articleId={server.id}
                siteId={siteId}
                items={server.syndications}
                disabled={false}
                onChanged={() =>
                  void api.get<Article>(`/articles/${server.id}`).then(
                    (fresh) => setServer((s) => (s ? { ...s, syndications: fresh.syndications } : s)),
                    (e: unknown) => notify.error(errorText(e)),
                  )
                }
              />
            )}
            {server && server.reviews.length > 0 && <Reviews article={server} />}
          </Col>
        </Row>
      </Form>
      {server && <PreviewDrawer articleId={server.id} version={server.version} open={previewOpen} onClose={() => setPreviewOpen(false)} dirty={dirty} />}
      <WithdrawModal
        open={withdrawOpen}
        onClose={() => setWithdrawOpen(false)}
        onDone={(a) => {
          setWithdrawOpen(false);
          markClean(a);
          form.setFieldsValue(fromArticle(a));
        }}
        articleId={server?.id ?? 0}
      />
    </>
  );
}

const DOC_ACCEPT = '.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.wps,.et,.ofd,.zip,.txt';

function Attachments({ siteId, items, readOnly, onChange }: { siteId: number | null; items: Attachment[]; readOnly: boolean; onChange: (next: Attachment[]) => void }) {
  const [uploading, setUploading] = useState(false);
  const upload = async (file: File) => {
    if (!siteId) return;
    setUploading(true);
    try {
      const fd = new FormData();
      fd.set('siteId', String(siteId));
      fd.set('alt', '');
      fd.set('file', file, file.name);
      const m = await api.upload<Media>('/media', fd);
      onChange([...items, { id: m.id, kind: m.kind, name: m.originalName, mime: m.mime, ext: m.ext, size: m.size, alt: m.alt }]);
      notify.success(`已上传附件：${m.originalName}`);
    } catch (e) {
      notify.error(errorText(e));
    } finally {
      setUploading(false);
    }
  };
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>附件</h2>} style={{ marginBottom: 16 }}>
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: '暂无附件' }}
        renderItem={(a) => (
          <List.Item
            actions={
              readOnly
                ? []
                : [
                    <Button key="rm" type="text" danger size="small" icon={<DeleteOutlined />} aria-label={`移除附件：${a.name}`} onClick={() => onChange(items.filter((x) => x.id !== a.id))}>
                      移除
                    </Button>,
                  ]
            }
          >
            <List.Item.Meta
              avatar={<FileOutlined aria-hidden />}
              title={
                <Typography.Link href={`/media/${a.id}`} target="_blank" rel="noreferrer" style={{ wordBreak: 'break-all' }}>
                  {a.name}
                </Typography.Link>
              }
              description={fmtSize(a.size)}
            />
          </List.Item>
        )}
      />
      {!readOnly && (
        <Upload
          accept={DOC_ACCEPT}
          showUploadList={false}
          multiple
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
        >
          <Button icon={<PaperClipOutlined />} loading={uploading} style={{ marginTop: 8 }} disabled={!siteId}>
            上传附件
          </Button>
        </Upload>
      )}
      <Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
        支持 PDF、Word、Excel、PPT、WPS、OFD、ZIP，不超过 50 MB。
      </Paragraph>
    </Card>
  );
}

function Reviews({ article }: { article: Article }) {
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>审核记录</h2>}>
      <Timeline
        items={article.reviews
          .filter((r) => r.syndicationId === null)
          .map((r) => ({
            key: r.id,
            color: r.decision === 'approve' ? 'green' : 'red',
            content: (
              <>
                <Text strong>{r.decision === 'approve' ? '通过' : '退回'}</Text>（第 {r.level} 级 · 第 {r.version} 版）
                <br />
                <Text type="secondary">{fmtTime(r.createdAt)}</Text>
                {r.comment && <Paragraph style={{ margin: '4px 0 0' }}>{r.comment}</Paragraph>}
              </>
            ),
          }))}
      />
    </Card>
  );
}

function WithdrawModal({ open, onClose, onDone, articleId }: { open: boolean; onClose: () => void; onDone: (a: Article) => void; articleId: number }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const { reason } = await form.validateFields();
    setBusy(true);
    try {
      const a = await api.post<Article>(`/articles/${articleId}/withdraw`, { reason });
      notify.success('已撤回为草稿');
      onDone(a);
    } catch (e) {
      if (!applyFieldErrors(form, e)) notify.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="撤回稿件" open={open} onCancel={onClose} onOk={() => void submit()} okText="撤回" confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item label="撤回原因" name="reason" rules={[{ required: true, whitespace: true, message: '请填写撤回原因' }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
