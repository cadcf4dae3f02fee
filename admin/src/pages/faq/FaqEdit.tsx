/**
 * 问答条目编辑: write or revise an FAQ entry — topic, standard question, variant phrasings,
 * the answer (the article editor's rich text), the service or policy it concerns, validity —
 * save it (PATCH with baseVersion; a 409 is shown as a conflict with ways out) and submit it for
 * review. Opened from the citizens' question queue (`?sourceQuestionId=&question=`) it starts
 * with that question, and saving takes the question out of the queue. What is typed is copied to
 * this browser every few seconds, and offered back when the page is opened again.
 */
import { DeleteOutlined, PlusOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, AutoComplete, Button, Card, Col, DatePicker, Form, Input, Row, Select, Space, Spin, Typography } from 'antd';
import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, api } from '../../api';
import { DraftOffer, SaveConflict, SaveState } from '../../components/DraftAlerts';
import { PageTitle } from '../../components/common';
import { LoadFailed, NotFound } from '../../layout/NotFound';
import { faqAccessOn, mayReviewLevel } from '../../lib/access';
import { fmtTime } from '../../lib/format';
import { type LocalDraft, useDraftCopy } from '../../lib/localDraft';
import { applyFieldErrors, errorText, notify } from '../../lib/notify';
import { useSession } from '../../session';
import type { Faq, Organisation } from '../../types';
import { RichEditor } from '../articles/RichEditor';
import { FaqReviews, FaqStatusTag, WithdrawFaqModal, useFaqTopics } from './common';

const { Text, Paragraph } = Typography;
const MAX_VARIANTS = 30;

interface FormValues {
  topic: string;
  question: string;
  variants: string[];
  answer: string;
  organisationId: number | null | undefined;
  refTitle: string;
  refUrl: string;
  effectiveAt: Dayjs | null;
  expiresAt: Dayjs | null;
}

/** What a local draft stores: the form with dates as text. */
interface DraftValues extends Omit<FormValues, 'effectiveAt' | 'expiresAt'> {
  effectiveAt: string | null;
  expiresAt: string | null;
}

const EMPTY: FormValues = { topic: '', question: '', variants: [], answer: '', organisationId: undefined, refTitle: '', refUrl: '', effectiveAt: null, expiresAt: null };

const fromEntry = (f: Faq): FormValues => ({
  topic: f.topic,
  question: f.question,
  variants: f.variants,
  answer: f.answer,
  organisationId: f.organisationId,
  refTitle: f.refTitle,
  refUrl: f.refUrl,
  effectiveAt: f.effectiveAt ? dayjs(f.effectiveAt) : null,
  expiresAt: f.expiresAt ? dayjs(f.expiresAt) : null,
});
const toDraft = (v: FormValues): DraftValues => ({ ...v, effectiveAt: v.effectiveAt ? v.effectiveAt.toISOString() : null, expiresAt: v.expiresAt ? v.expiresAt.toISOString() : null });
const fromDraft = (d: DraftValues): FormValues => ({ ...EMPTY, ...d, effectiveAt: d.effectiveAt ? dayjs(d.effectiveAt) : null, expiresAt: d.expiresAt ? dayjs(d.expiresAt) : null });

function payloadOf(v: FormValues) {
  const variants = [...new Set((v.variants ?? []).map((s) => (s ?? '').trim()).filter(Boolean))];
  return {
    topic: (v.topic ?? '').trim(),
    question: (v.question ?? '').trim(),
    variants,
    answer: v.answer ?? '',
    refTitle: (v.refTitle ?? '').trim(),
    refUrl: (v.refUrl ?? '').trim(),
    effectiveAt: v.effectiveAt ? v.effectiveAt.toISOString() : null,
    expiresAt: v.expiresAt ? v.expiresAt.toISOString() : null,
    ...(v.organisationId !== undefined ? { organisationId: v.organisationId } : {}),
  };
}

/** Puts the server's per-field problems on the form, the variants' (`variants.3`) on their own row. */
function showFieldErrors(form: FormInstance<FormValues>, err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  const rows = err.issues.flatMap((i) => {
    const m = /^variants\.(\d+)$/.exec(i.path);
    return m ? [{ name: ['variants', Number(m[1])] as ['variants', number], errors: [i.message] }] : [];
  });
  if (rows.length) form.setFields(rows);
  return applyFieldErrors(form, err) || rows.length > 0;
}

export default function FaqEditPage() {
  const { id } = useParams();
  const { siteId } = useSession();
  const entryId = id === undefined ? null : Number(id);
  const valid = entryId === null || (Number.isInteger(entryId) && entryId > 0);
  const entry = useQuery({
    queryKey: ['faq', 'entry', entryId],
    enabled: valid && entryId !== null,
    queryFn: () => api.get<Faq>(`/faq/${entryId}`),
    meta: { silent: true },
    staleTime: 0,
  });
  if (!valid) return <NotFound />;
  if (entryId !== null) {
    if (entry.isPending) return <Spin aria-label="正在加载问答条目" />;
    if (entry.error) return <LoadFailed error={entry.error} what="问答条目" onRetry={() => void entry.refetch()} />;
  }
  if (entryId === null && siteId === null) return <Spin aria-label="正在加载站点" />;
  return <FaqEditor key={entryId ?? `new-${siteId}`} entry={entry.data ?? null} />;
}

function FaqEditor({ entry }: { entry: Faq | null }) {
  const { me, sites, siteId: currentSite } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  // From the queue: the question's site, the question as the standard question.
  const asked = entry ? null : { siteId: Number(params.get('siteId')) || null, sourceQuestionId: Number(params.get('sourceQuestionId')) || null, question: params.get('question') ?? '' };
  const siteId = entry?.siteId ?? (asked?.siteId && sites.some((s) => s.id === asked.siteId) ? asked.siteId : currentSite);
  const site = sites.find((s) => s.id === siteId) ?? null;
  const sourceQuestionId = asked?.sourceQuestionId ?? null;
  const access = faqAccessOn(me, siteId);
  const [form] = Form.useForm<FormValues>();
  const key = `jiyue.draft.${me.id}.faq-${entry ? entry.id : `new-${siteId ?? 0}${sourceQuestionId ? `-q${sourceQuestionId}` : ''}`}`;
  const topics = useFaqTopics(siteId, access.read);
  const organisations = useQuery({ queryKey: ['organisations'], queryFn: () => api.get<{ items: Organisation[] }>('/organisations').then((r) => r.items), staleTime: 5 * 60_000 });

  const [server, setServer] = useState<Faq | null>(entry);
  const [baseVersion, setBaseVersion] = useState<number | null>(entry?.version ?? null);
  const [editorKey, setEditorKey] = useState(0);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [withdrawOpen, setWithdrawOpen] = useState(false);
  const baseRef = useRef(baseVersion);
  baseRef.current = baseVersion;

  const status = server?.status ?? 'draft';
  const readOnly = !access.edit || status === 'submitted';
  const initial: FormValues = server ? fromEntry(server) : { ...EMPTY, question: asked?.question ?? '' };

  // Opened from the queue, the question is already typed in: unsaved from the start.
  const draft = useDraftCopy<DraftValues>(key, () => ({ baseVersion: baseRef.current, values: toDraft(form.getFieldsValue(true) as FormValues) }), !entry && !!asked?.question);
  const { dirty, localSavedAt, offer, markDirty, saveLocal } = draft;

  const markClean = (f: Faq | null) => {
    draft.markClean();
    if (f) {
      setServer(f);
      setBaseVersion(f.version);
      qc.setQueryData(['faq', 'entry', f.id], f);
    }
  };

  const restore = (d: LocalDraft<DraftValues>) => {
    form.setFieldsValue(fromDraft(d.values));
    setBaseVersion(d.baseVersion ?? baseVersion);
    setEditorKey((k) => k + 1);
    draft.restored();
    notify.success('已恢复本机草稿');
  };

  /** Saves to the server; returns the saved entry or null (the problem is shown). */
  const save = async (goToCreated = true): Promise<Faq | null> => {
    let v: FormValues;
    try {
      v = await form.validateFields();
    } catch {
      notify.error('请检查标红的项目');
      return null;
    }
    saveLocal();
    try {
      const body = payloadOf(v);
      if (!server) {
        const created = await api.post<Faq>('/faq', { siteId, ...body, ...(sourceQuestionId ? { sourceQuestionId } : {}) });
        markClean(created);
        void qc.invalidateQueries({ queryKey: ['faq'] });
        if (sourceQuestionId) void qc.invalidateQueries({ queryKey: ['qa-questions'] });
        if (goToCreated) navigate(`/faq/${created.id}`, { replace: true });
        return created;
      }
      const saved = await api.patch<Faq>(`/faq/${server.id}`, { baseVersion: baseRef.current, ...body });
      setConflict(null);
      markClean(saved);
      void qc.invalidateQueries({ queryKey: ['faq'] });
      return saved;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && e.code === 'conflict' && server) {
        setConflict(e);
        window.scrollTo({ top: 0, behavior: 'smooth' });
      } else {
        showFieldErrors(form, e);
        notify.error(errorText(e));
      }
      return null;
    }
  };

  const onSave = async () => {
    setBusy('save');
    const f = await save();
    setBusy(null);
    if (f) notify.success(server ? `已保存（第 ${f.version} 版）` : sourceQuestionId ? '已保存为草稿，该提问已移出待处理列表' : '已保存为草稿');
  };

  const onSubmit = async () => {
    setBusy('submit');
    let created: Faq | null = null;
    try {
      const f = dirty || !server ? await save(false) : server;
      if (!f) return;
      if (!server) created = f;
      const submitted = await api.post<Faq>(`/faq/${f.id}/submit`);
      markClean(submitted);
      if (created) navigate(`/faq/${submitted.id}`, { replace: true });
      void qc.invalidateQueries({ queryKey: ['faq'] });
      notify.success(submitted.status === 'submitted' ? '已送审，等待第 1 级审核' : submitted.isLive ? '本站点问答无需审核，已发布' : '本站点问答无需审核，已通过，到生效时间后发布');
    } catch (e) {
      showFieldErrors(form, e);
      notify.error(errorText(e));
      if (created) navigate(`/faq/${created.id}`, { replace: true });
    } finally {
      setBusy(null);
    }
  };

  const loadLatest = async () => {
    if (!server) return;
    saveLocal();
    try {
      const latest = await api.get<Faq>(`/faq/${server.id}`);
      setServer(latest);
      setBaseVersion(latest.version);
      form.setFieldsValue(fromEntry(latest));
      setEditorKey((k) => k + 1);
      setConflict(null);
      // The user's own text stays in this browser, offered back for merging.
      draft.replacedByLatest();
    } catch (e) {
      notify.error(errorText(e));
    }
  };

  const overwrite = async () => {
    const current = (conflict?.details as { currentVersion?: number } | undefined)?.currentVersion;
    if (!current) return;
    setBaseVersion(current);
    baseRef.current = current;
    setConflict(null);
    setBusy('save');
    const f = await save();
    setBusy(null);
    if (f) notify.success(`已保存（第 ${f.version} 版）`);
  };

  const lastReturn = [...(server?.reviews ?? [])].reverse().find((r) => r.decision === 'return');
  const levels = server?.reviewLevels;

  return (
    <>
      <PageTitle
        extra={
          <Space wrap>
            {server?.status === 'submitted' && mayReviewLevel(access, server.reviewLevel) && <Link to={`/faq/${server.id}/review`}>去审核</Link>}
            {server?.isLive && server.url && (
              <Typography.Link href={server.url} target="_blank" rel="noreferrer">
                查看发布页
              </Typography.Link>
            )}
            <Link to="/faq">返回列表</Link>
          </Space>
        }
      >
        {server ? (access.edit ? '编辑问答条目' : '查看问答条目') : '新建问答条目'}
        {site ? ` · ${site.name}` : ''}
      </PageTitle>

      {!server && !access.edit && <Alert type="warning" showIcon className="form-alert" title="您在当前站点没有编写问答条目的权限。" description="问答知识库按站点授权，请在页面顶部切换到您负责的站点。" />}
      {sourceQuestionId && !server && (
        <Alert type="info" showIcon className="form-alert" title="根据群众提问新建条目" description="标准问题已填入群众的原话，可改写为规范的问法，并把原话留作同义问法。保存后该提问即移出待处理列表。" />
      )}
      {offer && (
        <DraftOffer
          offer={offer}
          serverVersion={server?.version ?? null}
          onRestore={() => restore(offer)}
          onDiscard={draft.discard}
        />
      )}
      {conflict && <SaveConflict message={conflict.message} onLoadLatest={() => void loadLatest()} onOverwrite={() => void overwrite()} />}
      {status === 'returned' && lastReturn && (
        <Alert
          type="warning"
          showIcon
          className="form-alert"
          title={`条目已被退回（第 ${lastReturn.level} 级审核${lastReturn.reviewerName ? ` · ${lastReturn.reviewerName}` : ''}，${fmtTime(lastReturn.createdAt)}）`}
          description={`审核意见：${lastReturn.comment}`}
        />
      )}
      {status === 'submitted' && (
        <Alert
          type="info"
          showIcon
          className="form-alert"
          title={`条目正在第 ${server?.reviewLevel ?? 1} 级审核中，不能修改。`}
          description={server?.isLive ? '公众看到的仍是已发布的版本。' : access.edit ? '如需修改，请先撤回（条目退为草稿，修改后重新送审）。' : undefined}
          action={
            access.edit && !server?.isLive ? (
              <Button size="small" onClick={() => setWithdrawOpen(true)}>
                撤回
              </Button>
            ) : undefined
          }
        />
      )}
      {server?.isLive && status !== 'submitted' && (
        <Alert
          type="success"
          showIcon
          className="form-alert"
          title={status === 'published' ? `已发布（${fmtTime(server.publishedAt)}）` : '公众看到的是已发布的版本'}
          description={access.edit ? '修改后需重新送审；审核通过前，公众看到的仍是已发布的版本。' : undefined}
          action={
            access.publish ? (
              <Button size="small" danger onClick={() => setWithdrawOpen(true)}>
                撤下
              </Button>
            ) : undefined
          }
        />
      )}
      {status === 'approved' && !server?.isLive && <Alert type="info" showIcon className="form-alert" title={`已审核通过，将于 ${fmtTime(server?.effectiveAt)} 生效发布。`} />}

      <Form<FormValues> form={form} layout="vertical" initialValues={initial} onValuesChange={markDirty} disabled={readOnly} requiredMark>
        <Row gutter={20}>
          <Col xs={24} xl={17}>
            <Card>
              <Form.Item label="主题" name="topic" rules={[{ required: true, whitespace: true, message: '请填写主题' }, { max: 30, message: '主题不能超过 30 个字符' }]} extra="如“社会保障”“教育入学”；可从已有主题中选择">
                <AutoComplete
                  options={(topics.data ?? []).map((t) => ({ value: t.topic, label: `${t.topic}（${t.count} 条）` }))}
                  showSearch={{ filterOption: (input, option) => String(option?.value ?? '').includes(input) }}
                  maxLength={30}
                  style={{ maxWidth: 360 }}
                />
              </Form.Item>
              <Form.Item label="标准问题" name="question" rules={[{ required: true, whitespace: true, message: '请填写标准问题' }, { min: 2, message: '标准问题至少 2 个字' }, { max: 200, message: '标准问题不能超过 200 个字符' }]}>
                <Input size="large" maxLength={200} showCount />
              </Form.Item>
              <VariantsField />
              <Form.Item label="答案" name="answer" extra="送审前必须填写答案">
                <RichEditor key={editorKey} siteId={siteId} readOnly={readOnly} label="答案" />
              </Form.Item>
            </Card>
          </Col>
          <Col xs={24} xl={7}>
            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>条目信息</h2>} extra={<FaqStatusTag status={status} level={server?.reviewLevel} />} style={{ marginBottom: 16 }}>
              <SaveState dirty={dirty} localSavedAt={localSavedAt} saved={server} />
              {access.edit && (
                <Space wrap style={{ margin: '12px 0 16px' }}>
                  <Button icon={<SaveOutlined />} onClick={() => void onSave()} loading={busy === 'save'} disabled={readOnly || (!dirty && !!server)}>
                    保存
                  </Button>
                  <Button type="primary" icon={<SendOutlined />} onClick={() => void onSubmit()} loading={busy === 'submit'} disabled={readOnly || status === 'approved' || (status === 'published' && !dirty)}>
                    {status === 'returned' ? '重新送审' : '送审'}
                  </Button>
                </Space>
              )}
              {levels !== undefined && (
                <Paragraph type="secondary" style={{ fontSize: 13 }}>
                  {levels ? `本站点问答条目需 ${levels} 级审核。` : '本站点问答条目无需审核，送审即发布。'}
                </Paragraph>
              )}
              <Form.Item label="答复单位" name="organisationId" extra="默认为本站点所属单位；由门户代为发布其他部门的答复时选择该部门">
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={site ? '本站点所属单位' : '选择单位'}
                  loading={organisations.isPending}
                  options={(organisations.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
                  onClear={() => form.setFieldValue('organisationId', null)}
                />
              </Form.Item>
              <Form.Item label="关联事项名称" name="refTitle" rules={[{ max: 200, message: '关联事项名称不能超过 200 个字符' }]} extra="该问题涉及的办事服务或政策文件">
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item
                label="关联事项链接"
                name="refUrl"
                rules={[
                  { max: 500, message: '链接不能超过 500 个字符' },
                  { pattern: /^$|^\/(?![/\\])\S*$|^https?:\/\/\S+$/i, message: '链接应为本站路径（以 / 开头）或 http(s) 地址' },
                ]}
              >
                <Input maxLength={500} placeholder="/rsj/bsfw/ 或 https://…" />
              </Form.Item>
              <Form.Item label="生效时间" name="effectiveAt" extra="留空则审核通过后立即发布">
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item
                label="失效时间"
                name="expiresAt"
                dependencies={['effectiveAt']}
                rules={[
                  ({ getFieldValue }) => ({
                    validator: (_r, v: Dayjs | null) => {
                      const p = getFieldValue('effectiveAt') as Dayjs | null;
                      return !v || !p || v.isAfter(p) ? Promise.resolve() : Promise.reject(new Error('失效时间必须晚于生效时间'));
                    },
                  }),
                ]}
                extra="到期后自动下线；留空则长期有效"
              >
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
              </Form.Item>
            </Card>
            {server && server.reviews.length > 0 && <FaqReviews entry={server} />}
          </Col>
        </Row>
      </Form>
      <WithdrawFaqModal
        entry={withdrawOpen ? server : null}
        onClose={() => setWithdrawOpen(false)}
        onDone={(f) => {
          setWithdrawOpen(false);
          markClean(f);
          form.setFieldsValue(fromEntry(f));
          setEditorKey((k) => k + 1);
          void qc.invalidateQueries({ queryKey: ['faq'] });
        }}
      />
    </>
  );
}

/** 同义问法: one input per phrasing, added and removed as a list (at most 30). */
function VariantsField() {
  return (
    <Form.List
      name="variants"
      rules={[
        {
          validator: async (_r, v: string[] | undefined) => {
            if ((v ?? []).length > MAX_VARIANTS) throw new Error(`同义问法最多 ${MAX_VARIANTS} 条`);
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <fieldset style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <legend style={{ fontSize: 14, border: 0, marginBottom: 4, color: 'rgba(0, 0, 0, 0.88)' }}>同义问法</legend>
          <Text type="secondary" style={{ display: 'block', marginBottom: 8, fontSize: 13 }}>
            群众可能的其他问法，智能问答据此匹配答案；最多 {MAX_VARIANTS} 条。
          </Text>
          {fields.map((field, i) => (
            <Space key={field.key} align="start" style={{ display: 'flex' }}>
              <Form.Item
                {...field}
                key={field.key}
                label={`同义问法 ${i + 1}`}
                className="variant-item"
                validateTrigger={['onChange', 'onBlur']}
                rules={[
                  { required: true, whitespace: true, message: '请填写问法或删除此行' },
                  { min: 2, message: '问法至少 2 个字' },
                  { max: 200, message: '问法不能超过 200 个字符' },
                  ({ getFieldValue }) => ({
                    validator: async (_r, v: string | undefined) => {
                      const s = (v ?? '').trim();
                      if (s && s === String(getFieldValue('question') ?? '').trim()) throw new Error('同义问法不能与标准问题相同');
                      const all = (getFieldValue('variants') as string[] | undefined) ?? [];
                      if (s && all.findIndex((x) => (x ?? '').trim() === s) < i) throw new Error('与上面的问法重复');
                    },
                  }),
                ]}
              >
                <Input maxLength={200} style={{ width: 'min(520px, 60vw)' }} />
              </Form.Item>
              <Button type="text" danger icon={<DeleteOutlined />} aria-label={`删除同义问法 ${i + 1}`} onClick={() => remove(field.name)} style={{ marginTop: 30 }} />
            </Space>
          ))}
          <Form.ErrorList errors={errors} />
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add('')} disabled={fields.length >= MAX_VARIANTS} style={{ marginBottom: 16 }}>
            添加同义问法
          </Button>
        </fieldset>
      )}
    </Form.List>
  );
}
