/** A field-by-field comparison of two versions (GET /api/v1/articles/:id/diff), insertions and deletions marked. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Empty, Spin, Typography } from 'antd';
import { api } from '../api';
import { FIELD_NAMES, type Change, type VersionDiff } from '../types';

function Changes({ changes, block }: { changes: Change[]; block?: boolean }) {
  const parts = changes.map((c, i) =>
    c.added ? (
      <ins key={i} className="diff-ins" title="新增">
        {c.value}
      </ins>
    ) : c.removed ? (
      <del key={i} className="diff-del" title="删除">
        {c.value}
      </del>
    ) : (
      <span key={i}>{c.value}</span>
    ),
  );
  return block ? <div className="diff-body">{parts}</div> : <span>{parts}</span>;
}

export function DiffView({ articleId, from, to }: { articleId: number; from: number; to: number }) {
  const diff = useQuery({
    queryKey: ['article-diff', articleId, from, to],
    queryFn: () => api.get<VersionDiff>(`/articles/${articleId}/diff`, { from, to }),
    enabled: from > 0 && to > 0 && from !== to,
    staleTime: Infinity,
  });
  if (from === to) return <Empty description="两个版本相同" />;
  if (diff.isPending) return <Spin aria-label="正在比较版本" />;
  if (diff.error) return <Alert type="error" showIcon title="比较失败" description={diff.error.message} />;
  if (diff.data.fields.length === 0) return <Empty description={`第 ${from} 版与第 ${to} 版内容相同`} />;
  return (
    <>
      <Typography.Paragraph type="secondary">
        第 {from} 版 → 第 {to} 版：<ins className="diff-ins">绿色为新增</ins>，<del className="diff-del">红色删除线为删除</del>。
      </Typography.Paragraph>
      <Descriptions
        bordered
        column={1}
        size="small"
        styles={{ label: { width: 110 } }}
        items={diff.data.fields.map((f) => ({
          key: f.field,
          label: FIELD_NAMES[f.field] ?? f.field,
          children: (
            <>
              <Changes changes={f.changes} block={f.field === 'body' || f.field === 'summary'} />
              {f.markupChanged && (
                <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
                  （正文的格式、链接或图片也有改动）
                </Typography.Text>
              )}
            </>
          ),
        }))}
      />
    </>
  );
}
