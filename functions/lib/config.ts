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
  /**
   * Requests per minute on one instance from one address without a token: a hall's Wi-Fi puts
   * 200 residents' first logins, and the board's polling, behind one address.
   */
  rateLimitAnonymousPerMinute: number;
  /** Public URL of the H5 app, printed into certificates' QR codes. */
  webBase: string;
  /** Minutes after a slot's start before an unclaimed booked place goes to walk-ins, unless the service says. */
  appointmentGraceMinutes: number;
  /** Boards (TVs) a hall may have paired at once. */
  maxHallBoards: number;
  /** The dev login and the built-in `admin` openid: a local stage and DEV_LOGIN=1, both. */
  devLogin: boolean;
  /** The bucket of photos and attachments; read through `bucketName()`, which fails closed. */
  bucketName?: string;
  /** Only for the local S3 server; absent in AWS. */
  s3Endpoint?: string;
}

/** A positive number from the environment, or the fallback when unset; anything else stops the function. */
const positive = (name: string, fallback: number): number => {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${text}"`);
  return value;
};

/** A whole number of at least `least` from the environment, or the fallback when unset; anything else stops the function. */
const whole = (name: string, fallback: number, least = 0): number => {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < least) throw new Error(`${name} must be a whole number of at least ${least}, not "${text}"`);
  return value;
};

/**
 * The H5 app's public URL, which QR codes on paper point at: a deployed function refuses to
 * start with none, or with this machine's own address (certificates would point at 127.0.0.1).
 */
function publicWebBase(stage: string, text: string | undefined): string {
  const local = 'http://127.0.0.1:10086';
  if (LOCAL_STAGES.has(stage) || !inAwsLambda()) return text || local;
  if (!text || !/^https:\/\/[^/]+/.test(text) || /^https:\/\/(127\.|localhost|\[::1\])/.test(text)) {
    throw new Error(`WEB_BASE must be the H5 app's public https address on the ${stage} stage, not "${text ?? ''}"`);
  }
  return text;
}

/** Stages for this machine only: local secrets and, with DEV_LOGIN=1, the dev login and the `admin` openid. */
const LOCAL_STAGES = new Set(['local', 'test']);

/** Running in AWS Lambda itself: serverless-offline sets the function name too, but also IS_OFFLINE. */
export const inAwsLambda = (): boolean => Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME) && !process.env.IS_OFFLINE;

let cached: Config | undefined;

export function config(): Config {
  if (cached) return cached;
  const env = process.env;
  // No default stage: a deploy that forgot --stage must not come up with the local conveniences.
  const stage = env.STAGE;
  if (!stage) throw new Error('STAGE is not set: give the stage explicitly (serverless --stage <stage>)');
  if (LOCAL_STAGES.has(stage) && inAwsLambda()) throw new Error(`The stage "${stage}" is for development machines and refuses to run in AWS Lambda`);
  cached = {
    stage,
    tableName: env.TABLE_NAME ?? `linli-${stage}`,
    dynamoEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    region: env.AWS_REGION ?? 'cn-north-1',
    wechatApiBase: env.WECHAT_API_BASE ?? 'https://api.weixin.qq.com',
    wechatAppId: env.WECHAT_APPID ?? '',
    wechatTimeoutMs: positive('WECHAT_TIMEOUT_MS', 5000),
    adminOpenids: new Set((env.ADMIN_OPENIDS ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
    rateLimitPerMinute: positive('RATE_LIMIT_PER_MINUTE', 120),
    rateLimitAnonymousPerMinute: positive('RATE_LIMIT_ANONYMOUS_PER_MINUTE', 1200),
    devLogin: LOCAL_STAGES.has(stage) && env.DEV_LOGIN === '1',
    webBase: publicWebBase(stage, env.WEB_BASE),
    appointmentGraceMinutes: whole('APPOINTMENT_GRACE_MINUTES', 15),
    maxHallBoards: whole('MAX_HALL_BOARDS', 10, 1),
    bucketName: env.BUCKET_NAME || (LOCAL_STAGES.has(stage) ? `linli-${stage}-files` : undefined),
    s3Endpoint: env.S3_ENDPOINT || undefined,
  };
  return cached;
}

/**
 * The files bucket. Checked where files are touched rather than at start, so a function that
 * never stores a file does not need it; a deployed stage without one refuses instead of guessing.
 */
export function bucketName(): string {
  const { bucketName: name, stage } = config();
  if (!name) throw new Error(`BUCKET_NAME is not set: the ${stage} stage needs the files bucket (serverless.yml sets it)`);
  return name;
}

/** The `local` and `test` stages take secrets from the environment (see secrets.ts). */
export const isLocalStage = (): boolean => LOCAL_STAGES.has(config().stage);

/** For tests that change the environment between cases. */
export function resetConfig(): void {
  cached = undefined;
}
