/**
 * Everything that differs between the WeChat mini-program (weapp) and the browser build (h5),
 * in one place. Pages and components never look at process.env.TARO_ENV: they ask this module.
 *
 * process.env.TARO_ENV is replaced at build time, so the branch for the other target is dropped
 * from each bundle.
 */
import Taro from '@tarojs/taro';
import { AppError } from '@contract/errors';
import type { Method } from '@contract/route';

export type PlatformName = 'weapp' | 'h5';

export const platformName: PlatformName = process.env.TARO_ENV === 'h5' ? 'h5' : 'weapp';

/** h5 logs in with an openid typed on the dev-login page; weapp logs in with WeChat silently. */
export const usesDevLogin = platformName === 'h5';

/** The API base URL: the build-time constant, or on h5 window.__LINLI_API_BASE__ when set. */
export function apiBase(): string {
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined' && window.__LINLI_API_BASE__) {
    return window.__LINLI_API_BASE__.replace(/\/+$/, '');
  }
  return LINLI_API_BASE.replace(/\/+$/, '');
}

/**
 * The address of a page of this app that a phone camera can open (a QR on a poster): on h5 this
 * very site with the page in its hash; on weapp none, since a scanner opens a mini-program page
 * only through a mini-program code the server asks WeChat for.
 */
export function webLink(pagePath: string): string | undefined {
  if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined') return undefined;
  return `${window.location.origin}${window.location.pathname}#${pagePath.startsWith('/') ? pagePath : `/${pagePath}`}`;
}

/** Printing the page (a poster on A4): the browser's print dialog; a mini-program cannot print. */
export const canPrint = platformName === 'h5';
export function printPage(): void {
  if (process.env.TARO_ENV === 'h5') window.print();
}

/** A WeChat login code (wx.login) for POST /v1/auth/wechat. Only weapp has one. */
export async function loginCode(): Promise<string> {
  if (process.env.TARO_ENV !== 'weapp') throw new AppError('UNAUTHENTICATED');
  try {
    const { code } = await Taro.login();
    if (!code) throw new Error('empty code');
    return code;
  } catch {
    throw new AppError('WECHAT_LOGIN_FAILED');
  }
}

export interface HttpResponse {
  status: number;
  data: unknown;
  header: Record<string, string>;
}

/** One HTTP request. Resolves for any HTTP status; rejects only when nothing came back. */
export async function httpRequest(options: {
  url: string;
  method: Method;
  header: Record<string, string>;
  data?: unknown;
}): Promise<HttpResponse> {
  const res = await Taro.request({
    url: options.url,
    method: options.method,
    header: options.header,
    data: options.data as string | Record<string, unknown> | undefined,
    dataType: 'json',
    responseType: 'text',
    timeout: 15_000,
  });
  return { status: res.statusCode, data: res.data, header: (res.header ?? {}) as Record<string, string> };
}

/** A file the API answered, kept on the device. */
export interface FileResponse extends HttpResponse {
  /** Where the body is: a temporary file (weapp) or a blob URL (h5); '' unless the status is 2xx. */
  path: string;
}

/**
 * One GET whose answer is a file (the certificate PDF). Resolves for any HTTP status, with header
 * names in lower case and, unless the status is 2xx, the JSON error body as `data`; rejects only
 * when nothing came back. h5 fetches because Taro's h5 downloadFile drops the response headers,
 * and the certificate's code travels in one.
 */
export async function httpDownload(options: { url: string; header: Record<string, string> }): Promise<FileResponse> {
  if (process.env.TARO_ENV === 'h5') {
    const res = await fetch(options.url, { headers: options.header });
    const header: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      header[name] = value;
    });
    if (res.ok) return { status: res.status, header, data: undefined, path: URL.createObjectURL(await res.blob()) };
    return { status: res.status, header, data: await res.json().catch(() => undefined), path: '' };
  }
  const res = await Taro.downloadFile({ url: options.url, header: options.header });
  const header = Object.fromEntries(Object.entries(res.header ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
  if (res.statusCode >= 200 && res.statusCode < 300) return { status: res.statusCode, header, data: undefined, path: res.tempFilePath };
  return { status: res.statusCode, header, data: readJsonFile(res.tempFilePath), path: '' };
}

/** An error answer saved as a file (weapp downloads every answer): its JSON, or undefined. */
function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(String(Taro.getFileSystemManager().readFileSync(path, 'utf8')));
  } catch {
    return undefined;
  }
}

/**
 * Shows a downloaded PDF: weapp opens it in WeChat's document viewer at once (its menu sends it
 * on); h5 answers its blob URL for a preview link, since a browser opens a tab only from a tap.
 */
export async function openPdf(path: string): Promise<string | undefined> {
  if (process.env.TARO_ENV === 'h5') return path;
  await Taro.openDocument({ filePath: path, fileType: 'pdf', showMenu: true });
  return undefined;
}

/** Synchronous key-value storage (wx storage on weapp, localStorage on h5). Never throws. */
export const storage = {
  get<T>(key: string): T | undefined {
    try {
      const value = Taro.getStorageSync(key) as T | '' | undefined;
      return value === '' || value === undefined || value === null ? undefined : (value as T);
    } catch {
      return undefined;
    }
  },
  set(key: string, value: unknown): void {
    try {
      Taro.setStorageSync(key, value);
    } catch {
      // Storage full or unavailable: the app still works for this session.
    }
  },
  remove(key: string): void {
    try {
      Taro.removeStorageSync(key);
    } catch {
      // Nothing to remove.
    }
  },
};

/**
 * Root classes applied through applyRootClass, on every platform: elder mode is the class
 * `elder` (ELDER_CLASS in store/elder.ts, which calls applyRootClass whenever the mode changes).
 * Kept here because store/elder.ts imports this module, so this module cannot import it.
 */
const rootClasses = new Set<string>();
const inElderMode = (): boolean => rootClasses.has('elder');

/** Elder mode's messages: dark text on white, the elder primary for the one button (app.css styles h5's). */
const ELDER_MESSAGE = { showCancel: false, confirmText: '知道了', confirmColor: '#064733' } as const;

/**
 * A short message to the person, the one way pages and api/errors show one.
 *
 * Normal mode: a toast at the bottom of the screen that goes away after 2 s (3 s for an error).
 * Long Chinese messages need icon 'none'.
 *
 * Elder mode (MIIT 2021 适老化: no pop-up that disappears on a timer): a modal that stays until the
 * person taps 知道了, for errors, successes and notes alike. A later message replaces one still
 * open. On h5, Taro closes its modal when the page changes (a success followed by a navigation
 * gives way to the next page, which shows the outcome).
 */
export function toast(message: string, kind: 'info' | 'success' | 'error' = 'info'): void {
  if (inElderMode()) {
    void Taro.showModal({ title: '', content: message, ...ELDER_MESSAGE }).catch(() => undefined);
    return;
  }
  void Taro.showToast({
    title: message,
    icon: kind === 'success' && message.length <= 7 ? 'success' : 'none',
    duration: kind === 'error' ? 3000 : 2000,
  }).catch(() => undefined);
}

/** The warning colour of a destructive choice (app.css --c-danger; its elder-mode shade). */
const DESTRUCTIVE_COLOR = { normal: '#b42318', elder: '#8f1c12' } as const;

/**
 * Ask the person to confirm; resolves true when they do. A `destructive` choice (取消预约) is
 * drawn in the warning colour, and `cancelText` names what keeping things means (保留预约).
 */
export async function confirm(
  title: string,
  content: string,
  confirmText = '确定',
  options: { cancelText?: string; destructive?: boolean } = {},
): Promise<boolean> {
  // WeChat (and Taro's h5 modal) refuse a button text of more than 4 characters: the modal would
  // silently never open, so such a call is a mistake to see at once.
  if (confirmText.length > 4 || (options.cancelText ?? '').length > 4) throw new Error(`confirm: button texts are at most 4 characters ("${confirmText}", "${options.cancelText ?? ''}")`);
  const color = options.destructive ? { confirmColor: inElderMode() ? DESTRUCTIVE_COLOR.elder : DESTRUCTIVE_COLOR.normal } : {};
  try {
    const res = await Taro.showModal({ title, content, confirmText, cancelText: options.cancelText ?? '取消', ...color });
    return res.confirm;
  } catch {
    return false;
  }
}

/**
 * Calls a phone number: WeChat's dialler sheet on weapp, the phone's own (a tel: link) in a
 * browser. Nothing happens when the person closes the sheet.
 */
export function callPhone(phoneNumber: string): void {
  void Taro.makePhoneCall({ phoneNumber }).catch(() => undefined);
}

/**
 * Reads a QR or bar code with WeChat's scanner (`cameraOnly`: not from a saved picture, for codes
 * that must be shown in person). h5 has no scanner: pages there offer typed entry or a button per
 * row instead, and this resolves undefined. Also undefined when the person closes the scanner.
 */
export async function scanCode(options: { cameraOnly?: boolean } = {}): Promise<string | undefined> {
  if (process.env.TARO_ENV === 'h5') return undefined;
  try {
    const res = await Taro.scanCode({ onlyFromCamera: options.cameraOnly ?? false, scanType: ['qrCode', 'barCode'] });
    return res.result || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks for one-time subscription messages. Resolves with the template ids the person accepted;
 * h5 has no subscription messages and accepts none. Pages use subscriptions.ts, which also
 * tells the server what was accepted.
 */
export async function requestSubscription(templateIds: string[]): Promise<string[]> {
  if (process.env.TARO_ENV !== 'weapp' || templateIds.length === 0) return [];
  try {
    const res = (await Taro.requestSubscribeMessage({ tmplIds: templateIds, entityIds: [] })) as unknown as Record<string, string>;
    return templateIds.filter((id) => res[id] === 'accept');
  } catch {
    return [];
  }
}

/** The person's system font scale (WeChat 字体大小 setting); 1 where unknown. */
export function fontScale(): number {
  if (process.env.TARO_ENV !== 'weapp') return 1;
  try {
    const info = Taro.getAppBaseInfo?.() as { fontSizeScaleFactor?: number } | undefined;
    return info?.fontSizeScaleFactor ?? 1;
  } catch {
    return 1;
  }
}

/**
 * Marks the document root for elder mode on h5, so that parts drawn outside a page (the h5 tab
 * bar, Taro's h5 modal) follow it too. Mini-program pages have no shared root: PageShell carries
 * the class there. On every platform it also tells toast() whether elder mode is on.
 */
export function applyRootClass(name: string, on: boolean): void {
  if (on) rootClasses.add(name);
  else rootClasses.delete(name);
  if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') {
    document.documentElement.classList.toggle(name, on);
  }
}

/**
 * Downloads a file from a signed link (a notice's attachment) and hands it over as saveFile does.
 * Resolves with the HTTP status; only a 200 is handed over.
 */
export async function saveDownload(options: { url: string; fileName: string }): Promise<number> {
  // The API answers any origin without credentials: a credentialed request would be refused.
  const result = await Taro.downloadFile({ url: options.url, withCredentials: false } as Taro.downloadFile.Option);
  if (result.statusCode !== 200) return result.statusCode;
  await saveFile({ path: result.tempFilePath, fileName: options.fileName });
  return 200;
}

/**
 * Hands over a file already on the device (a download, or a route's file from apiFile): h5 saves
 * it under `fileName` through a link; weapp opens it in WeChat's document viewer, whose menu sends
 * it on to a computer, and where the viewer refuses the type (it reads Office files and PDF, not
 * CSV) offers it to a chat instead.
 */
export async function saveFile(options: { path: string; fileName: string }): Promise<void> {
  if (process.env.TARO_ENV === 'h5') {
    const link = document.createElement('a');
    link.href = options.path;
    link.download = options.fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    return;
  }
  try {
    await Taro.openDocument({ filePath: options.path, showMenu: true });
  } catch {
    await Taro.shareFileMessage({ filePath: options.path, fileName: options.fileName });
  }
}

/** A file the person picked, still on the device: its bytes are read only when it is sent. */
export interface LocalFile {
  /** A temporary path (weapp) or a blob URL (h5): shows as an image's src. */
  path: string;
  size: number;
  /** The MIME type, by the file's own type (h5) or its extension (weapp); '' when unknown. */
  type: string;
  name: string;
}

const TYPE_BY_EXTENSION: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', pdf: 'application/pdf' };
const typeOfPath = (path: string): string => TYPE_BY_EXTENSION[/\.([a-z0-9]+)(?:\?.*)?$/i.exec(path)?.[1]?.toLowerCase() ?? ''] ?? '';

/** h5: the files behind the blob URLs handed out, so their bytes can be read later. */
const pickedFiles = new Map<string, File>();

/** h5 has no picker API of its own here: a hidden file input, resolved when the person chooses (or cancels). */
function pickWithInput(accept: string, count: number): Promise<LocalFile[]> {
  return new Promise((done) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.multiple = count > 1;
    input.style.display = 'none';
    input.addEventListener('change', () => {
      const files = Array.from(input.files ?? []).slice(0, count);
      input.remove();
      done(
        files.map((file) => {
          const path = URL.createObjectURL(file);
          pickedFiles.set(path, file);
          return { path, size: file.size, type: file.type, name: file.name };
        }),
      );
    });
    input.addEventListener('cancel', () => {
      input.remove();
      done([]);
    });
    document.body.appendChild(input);
    input.click();
  });
}

/** Up to `count` photos from the album or the camera; [] when the person cancels. */
export async function chooseImages(count: number): Promise<LocalFile[]> {
  if (count < 1) return [];
  if (process.env.TARO_ENV === 'h5') return pickWithInput('image/jpeg,image/png,image/webp', count);
  try {
    const res = await Taro.chooseMedia({ count, mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['compressed'] });
    return res.tempFiles.map((f) => ({ path: f.tempFilePath, size: f.size, type: typeOfPath(f.tempFilePath), name: f.tempFilePath.split('/').pop() ?? '' }));
  } catch {
    return [];
  }
}

/** One PDF or photo (a notice's attachment): from a chat on weapp, from the device on h5; [] when cancelled. */
export async function chooseFile(): Promise<LocalFile[]> {
  if (process.env.TARO_ENV === 'h5') return pickWithInput('application/pdf,image/jpeg,image/png,image/webp', 1);
  try {
    const res = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['pdf', 'jpg', 'jpeg', 'png', 'webp'] });
    return res.tempFiles.map((f) => ({ path: f.path, size: f.size, type: typeOfPath(f.name || f.path), name: f.name }));
  } catch {
    return [];
  }
}

/** The bytes of a picked file. */
export async function readLocalFile(file: LocalFile): Promise<ArrayBuffer> {
  if (process.env.TARO_ENV === 'h5') {
    const picked = pickedFiles.get(file.path);
    if (!picked) throw new AppError('VALIDATION', '文件已失效，请重新选择');
    return picked.arrayBuffer();
  }
  return new Promise((done, fail) => {
    Taro.getFileSystemManager().readFile({
      filePath: file.path,
      success: (res) => done(res.data as ArrayBuffer),
      fail: () => fail(new AppError('VALIDATION', '读取文件失败，请重新选择')),
    });
  });
}

/** A picked file is no longer shown: h5 lets go of its blob. */
export function releaseLocalFile(file: LocalFile): void {
  if (process.env.TARO_ENV !== 'h5') return;
  pickedFiles.delete(file.path);
  URL.revokeObjectURL(file.path);
}

/**
 * Whether a notice can be read aloud here: h5 browsers with speech synthesis. weapp would need
 * WeChat's 同声传译 plugin, which is not configured, so the 朗读 button is hidden there.
 */
export function canSpeak(): boolean {
  return process.env.TARO_ENV === 'h5' && typeof window !== 'undefined' && 'speechSynthesis' in window;
}

/** Reads the text aloud in Mandarin, a little slower than usual, replacing what is being read; '' stops. */
export function speak(text: string): void {
  if (!canSpeak()) return;
  window.speechSynthesis.cancel();
  if (!text) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = 'zh-CN';
  utterance.rate = 0.9;
  window.speechSynthesis.speak(utterance);
}
