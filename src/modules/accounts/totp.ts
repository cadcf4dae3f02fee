import * as OTPAuth from 'otpauth';

const ISSUER = '集约政府网站平台';

export const newTotpSecret = (): string => new OTPAuth.Secret({ size: 20 }).base32;

function totp(secret: string, username: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** RFC 6238 check, accepting one step of clock drift either way. */
export function verifyTotp(secret: string, token: string, now: Date): boolean {
  if (!/^\d{6}$/.test(token)) return false;
  return totp(secret, 'x').validate({ token, timestamp: now.getTime(), window: 1 }) !== null;
}

export const totpUri = (secret: string, username: string): string => totp(secret, username).toString();
export const totpNow = (secret: string, now: Date): string => totp(secret, 'x').generate({ timestamp: now.getTime() });
