/**
 * Configuration, read from the environment on first use (tests set it before importing).
 * Secrets are not here: see secrets.ts.
 */
export interface Config {
  stage: string;
  tableName: string;
  /** Only for DynamoDB Local; absent in AWS. */
  dynamoEndpoint?: string;
  region: string;
  wechatApiBase: string;
  wechatAppId: string;
  /** How long a call to the WeChat server API may take before it counts as failed. */
  wechatTimeoutMs: number;
  adminOpenids: ReadonlySet<string>;
  /** Requests a user may make per minute on one instance. */
  rateLimitPerMinute: number;
  /** Public URL of the H5 app, printed into certificates' QR codes. */
  webBase: string;
}

const positive = (text: string | undefined, fallback: number): number => {
  const value = Number(text);
  return text && Number.isFinite(value) && value > 0 ? value : fallback;
};

const LOCAL_STAGES = new Set(['local', 'test']);

let cached: Config | undefined;

export function config(): Config {
  if (cached) return cached;
  const env = process.env;
  const stage = env.STAGE ?? 'local';
  cached = {
    stage,
    tableName: env.TABLE_NAME ?? `linli-${stage}`,
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION ?? 'cn-north-1',
    wechatApiBase: env.WECHAT_API_BASE ?? 'https://api.weixin.qq.com',
    wechatAppId: env.WECHAT_APPID ?? '',
    wechatTimeoutMs: positive(env.WECHAT_TIMEOUT_MS, 5000),
    adminOpenids: new Set((env.ADMIN_OPENIDS ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
    rateLimitPerMinute: Number(env.RATE_LIMIT_PER_MINUTE ?? 120),
    webBase: env.WEB_BASE ?? 'http://127.0.0.1:10086',
  };
  return cached;
}

/** The `local` and `test` stages allow the dev login and the built-in `admin` openid. */
export const isLocalStage = (): boolean => LOCAL_STAGES.has(config().stage);

/** For tests that change the environment between cases. */
export function resetConfig(): void {
  cached = undefined;
}
