/** 修改密码: the forced first change at login, and the frame's "修改密码". */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { api } from '../../api';
import { applyFieldErrors } from '../../lib/notify';
import { ME_KEY, fetchMe, useLogout, useMeQuery } from '../../session';

const { Text } = Typography;

export function CancelLogin() {
  const logout = useLogout();
  return (
    <Button type="link" onClick={() => void logout()} className="login-cancel">
      返回登录（换一个账号）
    </Button>
  );
}

export const PASSWORD_RULES = ['至少 10 个字符', '包含大写字母、小写字母、数字、其他符号中的至少三类', '不能包含用户名', '不能与当前密码相同'];

/** The server's rules, checked here too so a mistake shows before sending. */
export function passwordProblems(pw: string, username: string): string[] {
  const out: string[] = [];
  if ([...pw].length < 10) out.push('密码至少 10 个字符');
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(pw)).length;
  if (classes < 3) out.push('密码须包含大写字母、小写字母、数字、其他符号中的至少三类');
  if (username && pw.toLowerCase().includes(username.toLowerCase())) out.push('密码不能包含用户名');
  return out;
}

export function ChangePassword({ onDone }: { onDone?: () => void }) {
  const qc = useQueryClient();
  const me = useMeQuery();
  const [form] = Form.useForm();
  const username = me.data?.username ?? '';
  const change = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) => api.post('/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: async () => {
      qc.setQueryData(ME_KEY, await fetchMe());
      onDone?.();
    },
    onError: (e) => applyFieldErrors(form, e),
  });
  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => change.mutate(v)}>
      {me.data?.mustChangePassword && <Alert type="warning" showIcon className="form-alert" title="这是首次登录或密码已被重置，请先设置您自己的新密码。" />}
      <div className="password-policy" aria-label="密码要求">
        <Text strong>新密码要求：</Text>
        <ul>
          {PASSWORD_RULES.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      </div>
      <Form.Item label="当前密码" name="currentPassword" rules={[{ required: true, message: '请输入当前密码' }]}>
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item
        label="新密码"
        name="newPassword"
        rules={[
          { required: true, message: '请输入新密码' },
          {
            validator: (_r, v: string) => {
              const p = v ? passwordProblems(v, username) : [];
              return p.length ? Promise.reject(new Error(p.join('；'))) : Promise.resolve();
            },
          },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label="确认新密码"
        name="confirm"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: (_r, v: string) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入的新密码不一致'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={change.isPending}>
        修改密码
      </Button>
      {me.data?.mustChangePassword && <CancelLogin />}
    </Form>
  );
}
