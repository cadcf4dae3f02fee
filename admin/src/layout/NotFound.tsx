import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { ApiError } from '../api';
import { homePath } from '../lib/access';
import { errorText } from '../lib/notify';
import { useSession } from '../session';

function Home() {
  const { can } = useSession();
  const navigate = useNavigate();
  return (
    <Button type="primary" onClick={() => navigate(homePath(can))}>
      返回首页
    </Button>
  );
}

export function NotFound() {
  return <Result status="404" title={<h1 className="result-title">页面不存在</h1>} subTitle="您访问的页面不存在，可能地址有误或已被删除。" extra={<Home />} />;
}

export function Forbidden({ text }: { text?: string }) {
  return <Result status="403" title={<h1 className="result-title">没有权限</h1>} subTitle={text ?? '您的账号没有访问此页面的权限。如需开通，请联系本单位的安全管理员。'} extra={<Home />} />;
}

/** Why a screen cannot show the item it was opened for (`what`: 稿件, 问答条目): 403 and 404 as such, anything else with a retry. */
export function LoadFailed({ error, what, onRetry }: { error: unknown; what: string; onRetry(): void }) {
  if (error instanceof ApiError && error.status === 403) return <Forbidden text={error.message} />;
  if (error instanceof ApiError && error.status === 404) return <NotFound />;
  return <Result status="error" title={`${what}加载失败`} subTitle={errorText(error)} extra={<Button onClick={onRetry}>重试</Button>} />;
}
