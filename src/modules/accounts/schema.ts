import { z } from 'zod';

export const Username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-z][a-z0-9_.-]*$/, '用户名只能包含小写字母、数字、下划线、点和连字符，且以字母开头');

export const LoginInput = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  /** Optional: the TOTP code in the same call. */
  totp: z.string().trim().max(10).optional(),
});

export const ChangePasswordInput = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const TotpCodeInput = z.object({ code: z.string().trim().regex(/^\d{6}$/, '动态口令为 6 位数字') });
