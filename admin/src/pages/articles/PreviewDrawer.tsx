/**
 * 预览: the article as it would be published, rendered by the platform in the site's real theme
 * (GET /articles/:id/preview) and shown in a sandboxed frame (no script, no forms).
 */
import { ExportOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Drawer, Space, Spin, Typography } from 'antd';
import { ApiError, api } from '../../api';
import { errorText } from '../../lib/notify';

export function PreviewDrawer({ articleId, version, open, onClose, dirty }: { articleId: number; version: number; open: boolean; onClose: () => void; dirty: boolean }) {
  const page = useQuery({
    queryKey: ['article-preview', articleId, version],
    enabled: open,
    queryFn: () => api.html(`/articles/${articleId}/preview`, { version }),
    meta: { silent: true },
    staleTime: 0,
    retry: false,
  });
  return (
    <Drawer
      title={
        <Space wrap>
          <span>预览 · 第 {version} 版</span>
          <Typography.Link href={`/api/v1/articles/${articleId}/preview?version=${version}`} target="_blank" rel="noreferrer">
            <ExportOutlined aria-hidden /> 在新窗口打开
          </Typography.Link>
        </Space>
      }
      open={open}
      onClose={onClose}
      size="large"
      destroyOnHidden
    >
      {dirty && <Alert className="form-alert" type="warning" showIcon title={`预览的是已保存的第 ${version} 版；尚未保存的修改不在其中，请先保存。`} />}
      {page.isPending ? (
        <Spin aria-label="正在生成预览" />
      ) : page.error ? (
        <Alert type="error" showIcon title={page.error instanceof ApiError && page.error.status === 404 ? '预览暂不可用' : '预览失败'} description={errorText(page.error)} />
      ) : (
        <iframe title={`稿件预览（第 ${version} 版）`} className="template-preview" style={{ height: 'calc(100vh - 160px)' }} sandbox="allow-same-origin" srcDoc={page.data} />
      )}
    </Drawer>
  );
}
