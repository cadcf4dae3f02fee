/**
 * 登录: username and password; then, as the session requires, the TOTP code (or enrolment),
 * and the forced first password change. The page follows the session's state, so a reload in
 * the middle continues where it stopped.
 */
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { ApiError, api, setCsrfToken } from '../../api';
import { homePath, abilitiesOf } from '../../lib/access';
import { applyFieldErrors } from '../../lib/notify';
import { ME_KEY, fetchMe, mfaMode, pendingStep, useMeQuery } from '../../session';
import type { LoginResult } from '../../types';
import { CancelLogin, ChangePassword } from './ChangePassword';
import { QrCode } from './QrCode';

const { Title, Paragraph, Text } = Typography;

/** Only a path inside the console is a place to go back to. */
export function safeFrom(from: string | null): string | null {
  if (!from || !from.startsWith('/') || from.startsWith('//') || from.startsWith('/login')) return null;
  return from;
}

export default function LoginPage() {
  const me = useMeQuery();
  const [params] = useSearchParams();
  const from = safeFrom(params.get('from'));

  let body: React.ReactNode;
  let heading = '登录';
  if (me.isPending) body = <Spin aria-label="正在加载" />;
  else if (!me.data) body = <LoginForm />;
  else {
    const step = pendingStep(me.data);
    if (step === null) return <Navigate to={from ?? homePath(abilitiesOf(me.data))} replace />;
    if (step === 'verify') {
      heading = '动态口令验证';
      body = <TotpVerify />;
    } else if (step === 'password') {
      heading = '修改初始密码';
      body = <ChangePassword />;
    } else {
      heading = '绑定动态口令';
      body = <TotpEnrol />;
    }
  }
  return (
    <div className="login-screen">
      <header className="login-brand">
        <Text className="login-brand-name">集约 · 政府网站集约化平台</Text>
      </header>
      <main className="login-main">
        <Card className="login-card">
          <Title level={1} className="login-title">
            管理后台{heading === '登录' ? '登录' : ` · ${heading}`}
          </Title>
          {body}
        </Card>
      </main>
    </div>
  );
}

function LoginForm() {
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [problem, setProblem] = useState<string | null>(null);
  const login = useMutation({
    meta: { silent: true },
    mutationFn: (v: { username: string; password: string }) => api.post<LoginResult>('/auth/login', v),
    onSuccess: async (r) => {
      setCsrfToken(r.csrfToken);
      mfaMode.set(r.mfa);
      qc.setQueryData(ME_KEY, await fetchMe());
    },
    onError: (e) => {
      setProblem(e instanceof ApiError ? e.message : '登录失败，请稍后再试');
      applyFieldErrors(form, e);
    },
  });
  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => login.mutate(v)} onValuesChange={() => setProblem(null)}>
      {problem && <Alert type="error" showIcon title={problem} className="form-alert" role="alert" />}
      <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
        <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus size="large" />
      </Form.Item>
      <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
        <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" size="large" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
        登录
      </Button>
      <Paragraph type="secondary" className="login-hint">
        连续多次输入错误密码，账号将被暂时锁定。忘记密码请联系本单位的安全管理员重置。
      </Paragraph>
    </Form>
  );
}

function TotpVerify() {
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const verify = useMutation({
    mutationFn: (v: { code: string }) => api.post('/auth/totp/verify', v),
    onSuccess: async () => {
      mfaMode.set('none');
      qc.setQueryData(ME_KEY, await fetchMe());
    },
    onError: (e) => applyFieldErrors(form, e),
  });
  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => verify.mutate(v)}>
      <Paragraph>请打开手机上的身份验证器应用，输入显示的 6 位动态口令。</Paragraph>
      <Form.Item label="动态口令" name="code" rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入 6 位数字' }]}>
        <Input prefix={<SafetyOutlined aria-hidden />} inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus size="large" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={verify.isPending}>
        验证
      </Button>
      <CancelLogin />
    </Form>
  );
}

function TotpEnrol() {
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const setup = useMutation({ mutationFn: () => api.post<{ secret: string; uri: string }>('/auth/totp/setup') });
  const enable = useMutation({
    mutationFn: (v: { code: string }) => api.post('/auth/totp/enable', v),
    onSuccess: async () => {
      mfaMode.set('none');
      qc.setQueryData(ME_KEY, await fetchMe());
    },
    onError: (e) => applyFieldErrors(form, e),
  });
  const { mutate: startSetup } = setup;
  useEffect(() => startSetup(), [startSetup]);
  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => enable.mutate(v)}>
      <Alert type="info" showIcon className="form-alert" title="按安全策略，您的角色须使用动态口令（第二因素）登录。" />
      <Paragraph>1. 在手机上安装身份验证器应用（如 FreeOTP、Google Authenticator 或微信小程序“腾讯身份验证器”），扫描下面的二维码，或手动输入密钥。</Paragraph>
      {setup.isPending && <Spin aria-label="正在生成密钥" />}
      {setup.data && (
        <div className="totp-setup">
          <QrCode text={setup.data.uri} label="动态口令绑定二维码" />
          <div>
            <Text strong>密钥：</Text>
            <Text code copyable>
              {setup.data.secret}
            </Text>
            <Paragraph className="totp-uri">
              <Text type="secondary">绑定地址：</Text>
              <Text copyable className="mono">
                {setup.data.uri}
              </Text>
            </Paragraph>
          </div>
        </div>
      )}
      {setup.isError && (
        <Button onClick={() => setup.mutate()} className="form-alert">
          重新生成密钥
        </Button>
      )}
      <Paragraph>2. 输入应用显示的 6 位动态口令，完成绑定。</Paragraph>
      <Form.Item label="动态口令" name="code" rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入 6 位数字' }]}>
        <Input prefix={<SafetyOutlined aria-hidden />} inputMode="numeric" autoComplete="one-time-code" maxLength={6} size="large" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={enable.isPending} disabled={!setup.data}>
        完成绑定
      </Button>
      <CancelLogin />
    </Form>
  );
}

