/**
 * The one error hierarchy of Linli, shared by the functions and the mini-program.
 *
 * A code is stable (programs switch on it); its default message is Chinese (people read it).
 * Which HTTP status a code travels with is decided only by the HTTP layer
 * (functions/http/status.ts), never here or in a service.
 */
export const ERROR_MESSAGES = {
  VALIDATION: '提交的内容有误，请检查后重试',
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '未找到相关内容',
  ROUTE_NOT_FOUND: '请求的接口不存在',
  PAYLOAD_TOO_LARGE: '提交的内容过大（不超过 64KB）',
  IDEMPOTENCY_MISMATCH: '同一请求编号对应了不同的内容',
  IDEMPOTENCY_IN_PROGRESS: '相同的请求正在处理中，请稍候',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  UNAVAILABLE: '服务暂时不可用，请稍后再试',
  INTERNAL: '服务出现异常，请稍后再试',
  WECHAT_LOGIN_FAILED: '微信登录失败，请重试',
  ALREADY_MEMBER: '您已申请加入该社区',
  JOIN_LIMIT: '您待核实的加入申请已达上限，请等待社区核实后再申请',
  // Appointments
  SLOT_FULL: '该时段已约满',
  ALREADY_BOOKED: '您当天已预约过该事项',
  ALREADY_CANCELLED: '该预约已取消',
  NOT_CHECKABLE: '当前不在签到时间内',
  ALREADY_CHECKED_IN: '该预约已签到',
  ALREADY_RATED: '您已评价过本次服务',
  BOOKING_LIMIT: '您待办理的预约已达上限，请先办理或取消已有的预约',
  // Queue
  ALREADY_QUEUED: '您已在该类业务排队中',
  QUEUE_EMPTY: '当前没有等候的号码',
  WINDOW_CLOSED: '该窗口未开放',
  TICKET_STATE: '该号码当前状态不能进行此操作',
  TICKET_LIMIT: '今天取号次数已达上限',
  BOARD_LIMIT: '本大厅配对的显示屏已达上限',
  // Volunteers
  ACTIVITY_FULL: '该活动名额已满',
  ALREADY_SIGNED_UP: '您已报名该活动',
  ALREADY_VERIFIED: '该次服务时长已认定',
  ALREADY_REGISTERED: '您已提交志愿者注册',
  CODE_INVALID: '签到码无效或已过期，请重新扫码',
  CODE_USED: '该签到码已使用，请志愿者刷新后重新出示',
  ALREADY_THANKED: '您已感谢过这位志愿者',
  // Consultations
  ALREADY_VOTED: '您（或您家）已投过票',
  ALREADY_SUPPORTED: '您已附议该议题',
  NOT_OPEN: '当前不在投票时间内',
  NOT_CLOSED: '投票尚未结束',
  NOT_ELIGIBLE: '您不符合本次投票的资格',
  TOPIC_LIMIT: '今天提出议题的次数已达上限，明天可再提出',
  STATE_CONFLICT: '当前状态不允许此操作',
  // Requests (诉求反映), grids and regions
  ALREADY_ACCEPTED: '该诉求已由其他工作人员受理',
  REQUEST_STATE: '该诉求当前状态不能进行此操作',
  REOPEN_EXPIRED: '办结已超过 7 天，不能再申请重新办理',
  TOP_LEVEL: '已在区级办理，无法再向上报',
  GRID_BUILDING_TAKEN: '该楼栋已划入其他网格',
  REGION_CONFLICT: '名称或归属与已有的街道、区不一致',
  // Uploads (photos and attachments)
  UPLOAD_NOT_FOUND: '文件不存在或已过期，请重新上传',
  UPLOAD_INVALID: '文件不是有效的图片',
  UPLOAD_TOO_LARGE: '文件不能超过 10MB',
  UPLOAD_CLAIMED: '该文件已被使用，请重新上传',
  // Family proxy (亲情代办)
  PROXY_NOT_ALLOWED: '协商议事须由本人参与，家人不能代为投票、发言或提议',
  PROXY_NOT_LINKED: '您还不是这位居民的代办家人，或代办关系已结束',
  PROXY_LIMIT: '每位居民最多有 3 位代办家人，请先结束一位再添加',
  LINK_CODE_INVALID: '代办码无效、已使用或已过期，请对方重新生成',
  ALREADY_LINKED: '你们已经建立了代办关系，或正在等待确认',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

/** A field that failed validation: its path and a Chinese explanation. */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: unknown;
    requestId?: string;
  };
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  /** Seconds a client should wait before retrying (429, 503). */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message?: string, options: { details?: unknown; retryAfter?: number } = {}) {
    super(message ?? ERROR_MESSAGES[code]);
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }
}
