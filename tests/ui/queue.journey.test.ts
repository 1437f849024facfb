/**
 * 取号叫号 in three browsers at once: a resident's phone, the hall's TV and the staff's phone.
 * The resident takes a number, the board shows it waiting, staff call it, the board shows the
 * call (and says it aloud: speechSynthesis is stubbed and records what it was asked to say),
 * and the resident's page says 请到 N 号窗口办理. Waits for each change; asserts no time.
 *
 * LINLI_H5_DIR points at the build (default dist/h5). Screenshots land in tests/artifacts/.
 */
import { describe, expect, it } from 'vitest';
import { newCommunity, staffOf, uniqueOpenid } from '../support/actors';
import { UI_TIMEOUT, button, useJourney } from '../support/journey';
import { call } from '../support/stack';

const j = useJourney({ shots: 'queue-' });
const { devLogin, open, shows, shot } = j;

/** Replaces the browser's speech synthesis with a recorder: window.__spoken lists every utterance. */
const STUB_SPEECH = `
  window.__spoken = [];
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; this.rate = 1; };
  Object.defineProperty(window, 'speechSynthesis', {
    configurable: true,
    value: { speak: (u) => window.__spoken.push(u.text), cancel: () => {}, getVoices: () => [] },
  });
`;

describe('queue journey (three browsers against the real API)', () => {
  it('takes a number, shows it on the board, calls it, announces it, and tells the resident where to go', { timeout: 300_000 }, async () => {
    // prepare: a community with its hall, window 1 open; a walk-in resident; staff
    const community = await newCommunity({ name: '幸福里示范社区' });
    const cid = community.id;
    const staff = await staffOf(cid);
    await call('PUT', `/v1/communities/${cid}/hall`, {
      token: staff.token,
      body: {
        categories: [{ code: 'A', name: '社保' }, { code: 'B', name: '民政' }, { code: 'C', name: '计生/综合' }],
        windows: [{ no: 1, categories: ['A', 'B'] }, { no: 2, categories: ['C'] }],
      },
    });
    await call('POST', `/v1/communities/${cid}/windows/1/open`, { token: staff.token });

    const resident = await j.browser.newPhone();
    const tv = await j.browser.newPhone({ viewport: { width: 1280, height: 720 } });
    const desk = await j.browser.newPhone();
    await tv.context.addInitScript(STUB_SPEECH);

    // The board: no login; the voice button first.
    await open(tv.page, `/queue/board/index?cid=${cid}`);
    await tv.page.getByText('点击开启语音播报').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await shot(tv.page, 'board-voice-button');
    await tv.page.getByText('点击开启语音播报').first().click();
    await tv.page.getByText('语音播报已开启').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });

    // The resident, not a member, scans the hall's QR of the day (?t=) and takes an A number.
    const qr = await call('GET', `/v1/communities/${cid}/hall/qr`, { token: staff.token });
    expect(qr.status).toBe(200);
    await devLogin(resident.page, uniqueOpenid('walkin'));
    await open(resident.page, `/${qr.body.path}`);
    await shows(resident.page, '正在等候 0 人');
    await shot(resident.page, 'take');
    await button(resident.page, '取 A 号').click();
    await shows(resident.page, 'A001');
    await shows(resident.page, '下一位就是您');
    await shot(resident.page, 'ticket-waiting');

    // 首页 and the take page show today's ticket (from the server); taking A again opens it.
    await open(resident.page, '/pages/index/index');
    await shows(resident.page, '今天的号码');
    await shows(resident.page, 'A001');
    await shot(resident.page, 'home-today');
    await open(resident.page, `/${qr.body.path}`);
    await shows(resident.page, '查看 A001 号（等候中）');
    await button(resident.page, '取 A 号').click();
    await shows(resident.page, '下一位就是您');

    // The board shows one waiting in A.
    const waitingA = tv.page.locator('.tv__row', { hasText: 'A 社保' });
    await expect.poll(() => waitingA.textContent(), { timeout: UI_TIMEOUT }).toContain('1 人');
    await shot(tv.page, 'board-waiting');

    // Staff call it at window 1.
    await devLogin(desk.page, staff.openid);
    await open(desk.page, `/queue/window/index?cid=${cid}&no=1`);
    await shows(desk.page, '1 号窗口 · 办理 A、B 类');
    await shows(desk.page, 'A001 · 第 1 位');
    await shot(desk.page, 'window-before');
    await button(desk.page, '叫下一个号').click();
    await shows(desk.page, '正在呼叫');
    await shot(desk.page, 'window-called');

    // The board shows and says the call; the resident is told where to go.
    await tv.page.locator('.tv__now', { hasText: 'A001' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await expect.poll(() => tv.page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken), { timeout: UI_TIMEOUT }).toContain(
      '请 A001 号到 1 号窗口办理',
    );
    await expect.poll(() => waitingA.textContent(), { timeout: UI_TIMEOUT }).toContain('0 人');
    await shot(tv.page, 'board-called');
    await shows(resident.page, '请到 1 号窗口办理');
    await shot(resident.page, 'ticket-called');

    // Staff complete it; the resident rates the service.
    await button(desk.page, '办结').click();
    await shows(desk.page, '已办结');
    await shows(resident.page, '请为本次服务评分');
    await button(resident.page, '5 分').click();
    await shows(resident.page, '您的评价：5 分');
    await shot(resident.page, 'ticket-rated');
  });
});
