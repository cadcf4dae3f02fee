/**
 * 审核稿件: the article as submitted, the changes since the version last reviewed, and the
 * decision — approve, or return with a (required) comment.
 */
import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Form, Input, Row, Space, Spin, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, api } from '../../api';
import { PageTitle, StatusTag } from '../../components/common';
import { DiffView } from '../../components/DiffView';
import { LoadFailed, NotFound } from '../../layout/NotFound';
import { fmtSize, fmtTime } from '../../lib/format';
import { applyFieldErrors, errorText, notify } from '../../lib/notify';
import { useSession } from '../../session';
import type { Article } from '../../types';

const { Text, Paragraph } = Typography;

/** The version to compare with: the newest version someone already reviewed, else the live or approved one. */
export function lastReviewedVersion(a: Article, syndicationId: number | null): number | null {
  const reviewed = a.reviews.filter((r) => r.syndicationId === syndicationId && r.version < a.version).map((r) => r.version);
  const candidates = [...reviewed, a.approvedVersion, a.liveVersion].filter((v): v is number => typeof v === 'number' && v < a.version);
  return candidates.length ? Math.max(...candidates) : null;
}

export default function ReviewItem() {
  const id = Number(useParams().id);
  const [params] = useSearchParams();
  const synId = Number(params.get('syndication')) || null;
  const valid = Number.isInteger(id) && id > 0;
  const article = useQuery({ queryKey: ['article', id], queryFn: () => api.get<Article>(`/articles/${id}`), enabled: valid, meta: { silent: true }, staleTime: 0 });
  if (!valid) return <NotFound />;
  if (article.error) return <LoadFailed error={article.error} what="稿件" onRetry={() => void article.refetch()} />;
  if (!article.data) return <Spin aria-label="正在加载稿件" />;
  return <ReviewView article={article.data} syndicationId={synId} />;
}

function ReviewView({ article: a, syndicationId }: { article: Article; syndicationId: number | null }) {
  const { sites } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ comment: string }>();
  const [busy, setBusy] = useState<'approve' | 'return' | null>(null);
  const syn = syndicationId ? a.syndications.find((s) => s.id === syndicationId) : undefined;
  const waiting = syn ? syn.status === 'pending' : a.status === 'submitted';
  const level = syn ? syn.reviewLevel : a.reviewLevel;
  const base = syn ? null : lastReviewedVersion(a, null);
  const site = sites.find((s) => s.id === a.siteId)?.name;

  const decide = async (decision: 'approve' | 'return') => {
    let comment: string;
    if (decision === 'return') {
      try {
        comment = (await form.validateFields()).comment.trim();
      } catch {
        return;
      }
    } else comment = ((form.getFieldValue('comment') as string | undefined) ?? '').trim();
    setBusy(decision);
    try {
      if (syn) await api.post(`/syndications/${syn.id}/review`, { decision, comment });
      else await api.post<Article>(`/articles/${a.id}/review`, { decision, comment, version: a.version });
      notify.success(decision === 'approve' ? '已审核通过' : '已退回给编辑');
      await qc.invalidateQueries({ queryKey: ['review-queue'] });
      void qc.invalidateQueries({ queryKey: ['article', a.id] });
      void qc.invalidateQueries({ queryKey: ['articles'] });
      navigate('/review');
    } catch (e) {
      if (!applyFieldErrors(form, e)) notify.error(errorText(e));
      if (e instanceof ApiError && e.status === 409) void qc.invalidateQueries({ queryKey: ['article', a.id] });
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageTitle extra={<Link to="/review">返回审核列表</Link>}>审核：{a.title}</PageTitle>
      {!waiting && <Alert type="info" showIcon className="form-alert" title="这篇稿件现在不在等待您审核的状态。" description={`当前状态：${syn ? syn.status : a.statusName}`} />}
      <Row gutter={20}>
        <Col xs={24} xl={16}>
          <Card style={{ marginBottom: 16 }}>
            {base ? (
              <Tabs
                items={[
                  { key: 'diff', label: `与第 ${base} 版的差异`, children: <DiffView articleId={a.id} from={base} to={a.version} /> },
                  { key: 'full', label: '全文', children: <ArticleBody article={a} /> },
                ]}
                defaultActiveKey="diff"
              />
            ) : (
              <>
                <Alert type="info" showIcon className="form-alert" title="这是首次送审的稿件，没有已审核过的版本可比较，请阅读全文。" />
                <ArticleBody article={a} />
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>审核意见</h2>} style={{ marginBottom: 16 }}>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 's', label: '站点', children: site ?? a.siteId },
                { key: 'c', label: '栏目', children: a.columnName },
                { key: 'st', label: '状态', children: <StatusTag status={a.status} level={a.reviewLevel} /> },
                { key: 'v', label: '版本', children: `第 ${a.version} 版` },
                { key: 'l', label: '当前审核级', children: waiting ? `第 ${level} 级` : '—' },
                ...(syn ? [{ key: 't', label: '推送到', children: `${sites.find((x) => x.id === syn.siteId)?.name ?? ''} · ${syn.columnName ?? ''}` }] : []),
                { key: 'p', label: '发布时间', children: a.publishAt ? fmtTime(a.publishAt) : '通过后立即发布' },
              ]}
            />
            <Form form={form} layout="vertical" disabled={!waiting}>
              <Form.Item label="审核意见" name="comment" rules={[{ required: true, whitespace: true, message: '退回时必须填写审核意见' }, { max: 1000, message: '审核意见不能超过 1000 个字符' }]} extra="退回时必填；通过时可不填">
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={1000} showCount />
              </Form.Item>
              <Space>
                <Button type="primary" icon={<CheckOutlined />} loading={busy === 'approve'} onClick={() => void decide('approve')}>
                  通过
                </Button>
                <Button danger icon={<RollbackOutlined />} loading={busy === 'return'} onClick={() => void decide('return')}>
                  退回
                </Button>
              </Space>
            </Form>
          </Card>
          {a.reviews.length > 0 && (
            <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>审核记录</h2>}>
              {a.reviews.map((r) => (
                <Paragraph key={r.id} style={{ marginBottom: 8 }}>
                  <Text strong>{r.decision === 'approve' ? '通过' : '退回'}</Text> · 第 {r.level} 级 · 第 {r.version} 版 · {fmtTime(r.createdAt)}
                  {r.comment && <><br />{r.comment}</>}
                </Paragraph>
              ))}
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}

/** The article as readers will see it. The body was cleaned by the server's allow-list sanitiser when saved. */
export function ArticleBody({ article: a }: { article: Article }) {
  return (
    <article className="article-preview">
      <h2 style={{ fontSize: 22, textAlign: 'center' }}>{a.title}</h2>
      {a.subtitle && <p style={{ textAlign: 'center' }}>{a.subtitle}</p>}
      <p style={{ textAlign: 'center', color: '#595959' }}>
        {[a.source && `来源：${a.source}`, a.author && `作者：${a.author}`].filter(Boolean).join('　')}
      </p>
      {a.summary && <blockquote style={{ borderLeft: '3px solid #d0d7e2', paddingLeft: 12, color: '#434343' }}>{a.summary}</blockquote>}
      <div dangerouslySetInnerHTML={{ __html: a.body }} />
      {a.attachments.length > 0 && (
        <>
          <h3>附件</h3>
          <ul>
            {a.attachments.map((f) => (
              <li key={f.id}>
                <a href={`/media/${f.id}`} target="_blank" rel="noreferrer">
                  {f.name}
                </a>{' '}
                （{fmtSize(f.size)}）
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}
