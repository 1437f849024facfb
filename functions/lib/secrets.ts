/**
 * Secrets (the WeChat AppSecret, the token signing key). In AWS they are read at run time from
 * SSM Parameter Store by the names given in the environment, so packaging needs no credentials;
 * on `local` and `test` they come from plain environment variables.
 */
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { isLocalStage } from './config';

type SecretName = 'tokenKey' | 'wechatSecret';

const ENV_VALUE: Record<SecretName, string> = { tokenKey: 'TOKEN_KEY', wechatSecret: 'WECHAT_SECRET' };
const ENV_PARAM: Record<SecretName, string> = { tokenKey: 'TOKEN_KEY_PARAM', wechatSecret: 'WECHAT_SECRET_PARAM' };
const LOCAL_DEFAULT: Record<SecretName, string> = {
  tokenKey: 'linli-local-token-key-not-for-production-use',
  wechatSecret: 'local-wechat-secret',
};

export async function secret(name: SecretName): Promise<string> {
  if (isLocalStage()) return process.env[ENV_VALUE[name]] ?? LOCAL_DEFAULT[name];
  const parameterName = process.env[ENV_PARAM[name]];
  if (!parameterName) throw new Error(`${ENV_PARAM[name]} is not configured`);
  // Cached by Powertools for 5 minutes, so a rotation takes effect without a deploy.
  const value = await getParameter(parameterName, { decrypt: true, maxAge: 300 });
  if (!value) throw new Error(`SSM parameter ${parameterName} is empty`);
  return value;
}
