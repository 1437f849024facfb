/**
 * Secrets (the WeChat AppSecret, the token signing keys). In AWS they are read at run time from
 * SSM Parameter Store by the names given in the environment, so packaging needs no credentials;
 * on `local` and `test` they come from plain environment variables.
 */
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { isLocalStage } from './config';

/** `tokenKeyPrevious`: the key being rotated out, still accepted for verification (optional). */
type SecretName = 'tokenKey' | 'tokenKeyPrevious' | 'wechatSecret' | 'checkinKey';

const ENV_VALUE: Record<SecretName, string> = {
  tokenKey: 'TOKEN_KEY',
  tokenKeyPrevious: 'TOKEN_KEY_PREVIOUS',
  wechatSecret: 'WECHAT_SECRET',
  checkinKey: 'CHECKIN_KEY',
};
const ENV_PARAM: Record<SecretName, string> = {
  tokenKey: 'TOKEN_KEY_PARAM',
  tokenKeyPrevious: 'TOKEN_KEY_PREVIOUS_PARAM',
  wechatSecret: 'WECHAT_SECRET_PARAM',
  checkinKey: 'CHECKIN_KEY_PARAM',
};
const LOCAL_DEFAULT: Partial<Record<SecretName, string>> = {
  tokenKey: 'linli-local-token-key-not-for-production-use',
  wechatSecret: 'local-wechat-secret',
  // Volunteer attendance codes (domain/volunteer-codes.ts): a key of their own, never the token key.
  checkinKey: 'linli-local-checkin-key-not-for-production-use',
};

/** A signing key anyone could guess (a development default) or brute-force (short) is refused off the local stages. */
const MIN_KEY_LENGTH = 32;
const isSigningKey = (name: SecretName): boolean => name !== 'wechatSecret';
const DEVELOPMENT_VALUES = new Set(Object.values(LOCAL_DEFAULT));

export async function secret(name: SecretName): Promise<string> {
  const value = await optionalSecret(name);
  if (!value) throw new Error(`${ENV_PARAM[name]} is not configured`);
  return value;
}

/** A secret that may be absent (the previous token key outside a rotation). */
export async function optionalSecret(name: SecretName): Promise<string | undefined> {
  if (isLocalStage()) return process.env[ENV_VALUE[name]] || LOCAL_DEFAULT[name];
  const parameterName = process.env[ENV_PARAM[name]];
  if (!parameterName) return undefined;
  // Cached by Powertools for 5 minutes, so a rotation takes effect without a deploy.
  const value = await getParameter(parameterName, { decrypt: true, maxAge: 300 });
  if (!value) throw new Error(`SSM parameter ${parameterName} is empty`);
  if (isSigningKey(name) && (DEVELOPMENT_VALUES.has(value) || value.length < MIN_KEY_LENGTH)) {
    throw new Error(`SSM parameter ${parameterName} holds the development key or one shorter than ${MIN_KEY_LENGTH} characters`);
  }
  return value;
}
