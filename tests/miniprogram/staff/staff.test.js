// The staff subpackage: sign in with the staff account (its own token), inbox by state and overdue,
// handle a report, approve memberships, a survey's live results.
const { load, render, textOf, all, dispatch, tap, tapText, flush } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');
const fx = require('../fixtures');
const token = require('../../../miniprogram/services/token');

const ids = {
  index: load('staff/index/index'),
  inbox: load('staff/inbox/index'),
  report: load('staff/report/index'),
  memberships: load('staff/memberships/index'),
  surveys: load('staff/surveys/index'),
  results: load('staff/survey-results/index'),
};

function staffIn() {
  token.staff.set('staff-token', null);
}

async function type(page, cls, label, value) {
  const field = all(page, cls).find((el) => el.textContent.includes(label));
  dispatch(field.querySelector('wx-input'), 'input', { value });
  await flush();
}

/** HAND-MODIFIED recording: a recorded staff view of a report in a state no recording holds. */
function staffReport(status, actions, extra = {}) {
  return Object.assign(rec.body('report_staff_detail'), { status, allowed_actions: actions }, extra);
}

function wxCodes(...codes) {
  let n = 0;
  return jest.spyOn(wx, 'login').mockImplementation(({ success }) => setTimeout(() => success({ code: codes[Math.min(n++, codes.length - 1)] }), 0));
}

async function openWorkbench() {
  const page = render(ids.index);
  await page.instance.onShow();
  await flush();
  return page;
}

describe('sign-in and workbench', () => {
  test('a bound WeChat account opens the workbench without a password, apart from the resident token', async () => {
    token.set('resident-token');
    wxCodes('code-1');
    const session = rec.body('auth_staff_wechat_login');
    const me = rec.body('me_staff');
    const server = fakeServer(rec.replayAll('auth_staff_wechat_login', 'me_staff'));
    const page = await openWorkbench();
    expect(server.callsTo('POST', '/auth/staff-wechat-login')[0].data).toEqual({ code: 'code-1' });
    expect(server.callsTo('POST', '/auth/staff-wechat-login')[0].header.Authorization).toBeUndefined();
    expect(server.callsTo('GET', '/me')[0].header.Authorization).toBe(`Bearer ${session.token}`);
    expect(token.get()).toBe('resident-token');
    expect(token.staff.get()).toBe(session.token);
    expect(textOf(page)).toContain(me.display_name);
    expect(textOf(page)).toContain(`居委会 · ${me.scope.name}`);
    expect(textOf(page)).not.toContain('密码');
    const navigate = jest.spyOn(wx, 'navigateTo');
    await tapText(page, 't-cell', '反映办理');
    expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: '/staff/inbox/index' }));
  });

  test('not bound yet: the one-time bind form binds with a fresh code; next time no password', async () => {
    wxCodes('code-1', 'code-2', 'code-3');
    const session = rec.body('auth_staff_bind');
    const me = rec.body('me_staff');
    const server = fakeServer(Object.assign(rec.replayAll('auth_staff_bind', 'me_staff'), rec.replay('auth_staff_not_bound')));
    const page = await openWorkbench();
    expect(textOf(page)).toContain('绑定工作人员账号');
    await type(page, 't-input', '账号', 'xh-tp-r01');
    await type(page, 't-input', '密码', 'demo-pass-2026');
    await tap(page, '绑定并进入');
    expect(server.callsTo('POST', '/auth/staff-bind')[0].data).toEqual({ code: 'code-2', username: 'xh-tp-r01', password: 'demo-pass-2026' });
    expect(server.callsTo('GET', '/me')[0].header.Authorization).toBe(`Bearer ${session.token}`);
    expect(textOf(page)).toContain(me.display_name);

    // Later (the staff session over), WeChat alone opens the workbench.
    token.staff.clear();
    fakeServer(rec.replayAll('auth_staff_wechat_login', 'me_staff'));
    const later = await openWorkbench();
    expect(textOf(later)).toContain(me.display_name);
    expect(textOf(later)).not.toContain('绑定工作人员账号');
  });

  test('a wrong password in the bind form shows the server message and binds nothing', async () => {
    wxCodes('code-1', 'code-2');
    fakeServer(Object.assign(rec.replay('auth_staff_not_bound'), {
      'POST /auth/staff-bind': apiError(401, 'bad_credentials', '用户名或密码错误'),
    }));
    const page = await openWorkbench();
    await tap(page, '绑定并进入');
    expect(textOf(page)).toContain('请填写账号和密码');
    await type(page, 't-input', '账号', 'xh-tp-r01');
    await type(page, 't-input', '密码', 'nope');
    await tap(page, '绑定并进入');
    expect(textOf(page)).toContain('用户名或密码错误');
    expect(token.staff.get()).toBeNull();
  });

  test('解除绑定 removes the binding, ends the staff session and shows the bind form', async () => {
    wxCodes('code-1');
    const server = fakeServer(Object.assign(rec.replayAll('auth_staff_wechat_login', 'me_staff', 'auth_staff_unbind'), {
      'POST /auth/logout': { status: 204, body: null },
    }));
    const page = await openWorkbench();
    const session = rec.body('auth_staff_wechat_login');
    await tap(page, '解除绑定');
    expect(rec.recording('auth_staff_unbind').status).toBe(204);
    expect(server.callsTo('POST', '/auth/staff-unbind')[0].header.Authorization).toBe(`Bearer ${session.token}`);
    expect(server.callsTo('POST', '/auth/logout')).toHaveLength(1);
    expect(token.staff.get()).toBeNull();
    expect(textOf(page)).toContain('绑定工作人员账号');
  });

  test('without WeChat (e.g. no credentials in development) the form signs in with the password', async () => {
    wxCodes('code-1');
    const session = rec.body('auth_staff_login');
    const server = fakeServer(Object.assign(rec.replayAll('auth_staff_login', 'me_staff'), {
      'POST /auth/staff-wechat-login': apiError(503, 'wechat_unavailable', '暂时无法连接微信，请稍后再试'),
    }));
    const page = await openWorkbench();
    expect(textOf(page)).toContain('暂时无法使用微信登录，请用账号密码登录');
    await type(page, 't-input', '账号', 'xh-tp-r01');
    await type(page, 't-input', '密码', 'demo-pass-2026');
    await tap(page, '登录');
    expect(server.callsTo('POST', '/auth/staff-login')[0].data).toEqual({ username: 'xh-tp-r01', password: 'demo-pass-2026' });
    expect(token.staff.get()).toBe(session.token);
    expect(textOf(page)).toContain(rec.body('me_staff').display_name);
  });
});

describe('inbox', () => {
  test('opens on overdue reports; a state chip filters; tapping a report opens it', async () => {
    staffIn();
    const overdue = rec.body('reports_inbox').items[0];
    const server = fakeServer(Object.assign(rec.replay('reports_inbox', { withQuery: true }), {
      'GET /reports?status=submitted&page=1&per_page=20': { status: 200, body: fx.page([]) }, // HAND-MODIFIED: empty
    }));
    const page = render(ids.inbox);
    page.instance.onLoad({});
    await page.instance.onShow();
    expect(textOf(page)).toContain('已超期');
    expect(textOf(page)).toContain(overdue.description);
    expect(server.calls[0].header.Authorization).toBe('Bearer staff-token');
    await tapText(page, 'inbox__filter', '待受理');
    expect(textOf(page)).toContain('这里没有需要处理的反映');
  });

  test('an expired staff session goes back to sign-in', async () => {
    staffIn();
    fakeServer({ 'GET /reports': apiError(401, 'token_expired', '登录已过期') });
    const redirect = jest.spyOn(wx, 'redirectTo');
    const page = render(ids.inbox);
    await page.instance.onShow();
    expect(textOf(page)).toContain('工作人员登录已失效，请重新登录');
    expect(redirect).toHaveBeenCalledWith(expect.objectContaining({ url: '/staff/index/index' }));
    expect(token.staff.get()).toBeNull();
  });
});

describe('handling a report', () => {
  test('accept is one tap (recorded); reject needs a reason', async () => {
    staffIn();
    const report = rec.body('report_staff_detail');
    const accepted = rec.body('report_action');
    expect(accepted.id).toBe(report.id);
    const server = fakeServer(Object.assign(rec.replay('report_staff_detail'), {
      // The recorded accept; the reject answer is HAND-MODIFIED from it (no reject is recorded).
      [`POST /reports/${report.id}/actions`]: (call) => ({
        status: 200,
        body: call.data.action === 'accept' ? rec.body('report_action') : staffReport('rejected', [], { closed: true, status_text: '不予受理' }),
      }),
    }));
    const page = render(ids.report);
    await page.instance.onLoad({ id: String(report.id) });
    await tap(page, '不予受理');
    await tap(page, '确认');
    expect(textOf(page)).toContain('请填写不予受理的原因');
    dispatch(page.dom.querySelector('wx-textarea'), 'input', { value: '不属于小区公共区域' });
    await flush();
    await tap(page, '确认');
    expect(server.callsTo('POST', `/reports/${report.id}/actions`)[0].data).toEqual({ action: 'reject', note: '不属于小区公共区域' });

    const again = render(ids.report);
    await again.instance.onLoad({ id: String(report.id) });
    await tap(again, '受理');
    expect(server.callsTo('POST', `/reports/${report.id}/actions`)[1].data).toEqual({ action: 'accept' });
    expect(textOf(again)).toContain(accepted.status_text);
  });

  test('assign names the handler; resolve needs a reply and an after-photo', async () => {
    staffIn();
    const uploaded = rec.recording('upload');
    const contacted = rec.body('report_staff_contacted');
    const id = contacted.id;
    const resolved = rec.body('report_action_resolve');
    const server = fakeServer({
      [`GET /reports/${id}`]: [rec.replay('report_staff_contacted')[`GET /reports/${id}`], rec.replay('report_staff_in_progress')[`GET /reports/${id}`]],
      [`POST /reports/${id}/actions`]: (call) => ({ status: 200, body: rec.body(call.data.action === 'assign' ? 'report_action_assign' : 'report_action_resolve') }),
    });
    const page = render(ids.report);
    await page.instance.onLoad({ id: String(id) });
    await tap(page, '安排处理');
    await tap(page, '物业');
    await type(page, 't-input', '处理人', '物业 王师傅');
    await tap(page, '确认');
    expect(server.callsTo('POST', `/reports/${id}/actions`)[0].data).toMatchObject({ action: 'assign', handler_kind: 'property', handler_name: '物业 王师傅' });

    // The recorded report was marked overdue by the SLA scan: late while in progress.
    expect(textOf(page)).toContain('已超期');
    await tap(page, '办结');
    dispatch(page.dom.querySelector('wx-textarea'), 'input', { value: '已清理' });
    await flush();
    await tap(page, '确认');
    expect(textOf(page)).toContain('请拍一张处理后的照片');
    const upload = jest.spyOn(wx, 'uploadFile').mockImplementation((o) => {
      setTimeout(() => o.success({ statusCode: uploaded.status, data: JSON.stringify(uploaded.body) }), 0);
      return {};
    });
    await page.instance.onPhotosAdd({ detail: { paths: ['wxfile://after.jpg'] } });
    expect(upload.mock.calls[0][0].header.Authorization).toBe('Bearer staff-token');
    await tap(page, '确认');
    expect(server.callsTo('POST', `/reports/${id}/actions`)[1].data).toEqual({ action: 'resolve', note: '已清理', photo_ids: [uploaded.body.id] });
    // The recorded answer: no more moves, and the timeline in words (the SLA scan's "escalate" too).
    expect(resolved.allowed_actions).toEqual([]);
    expect(textOf(page)).toContain('当前没有需要您办理的操作');
    // Resolved, it waits on the resident's rating: no longer shown overdue.
    expect(textOf(page)).not.toContain('已超期');
    expect(textOf(page)).toContain(resolved.status_text);
    expect(textOf(page)).toContain('居委会 处理完成');
    expect(textOf(page)).toContain('系统 超期，提交街道督办');
    expect(textOf(page)).not.toContain('escalate');
  });

  test('a refused move shows the server message', async () => {
    staffIn();
    const report = rec.body('report_staff_detail');
    fakeServer(Object.assign(rec.replay('report_staff_detail'), {
      [`POST /reports/${report.id}/actions`]: apiError(409, 'report_bad_move', '该反映当前状态不能执行此操作'),
    }));
    const page = render(ids.report);
    await page.instance.onLoad({ id: String(report.id) });
    await tap(page, '受理');
    expect(textOf(page)).toContain('该反映当前状态不能执行此操作');
  });
});

describe('memberships', () => {
  test('the recorded pending application shows the register check; approve removes it', async () => {
    staffIn();
    const pending = rec.body('memberships_pending');
    const item = pending.items[0];
    const server = fakeServer(Object.assign(rec.replay('memberships_pending'), rec.replay('membership_approve')));
    const page = render(ids.memberships);
    await page.instance.onShow();
    expect(textOf(page)).toContain('1号楼 1单元 101室');
    expect(textOf(page)).toContain(item.household_match.matched ? '与户籍登记一致' : '户籍登记中没有这个房号，请核实');
    expect(server.calls[0].query).toContain('status=pending');
    await tap(page, '通过');
    expect(server.callsTo('POST', `/memberships/${item.id}/approve`)).toHaveLength(1);
    expect(textOf(page)).not.toContain('101室');
    expect(textOf(page)).toContain('没有待审核的申请');
  });

  test('reject asks for a reason and sends it (recorded rejection)', async () => {
    staffIn();
    const rejected = rec.body('membership_reject');
    // HAND-MODIFIED: the recorded rejection's application, still pending (as listed before).
    const pending = Object.assign(rec.body('membership_reject'), { status: 'pending', reason: '', decided_at: null });
    const server = fakeServer(Object.assign({ 'GET /memberships': { status: 200, body: fx.page([pending]) } }, rec.replay('membership_reject')));
    const page = render(ids.memberships);
    await page.instance.onShow();
    expect(textOf(page)).toContain('9号楼 909室');
    await tap(page, '不通过');
    await type(page, 't-input', '原因', rejected.reason);
    await tap(page, '确认不通过');
    expect(server.callsTo('POST', `/memberships/${rejected.id}/reject`)[0].data).toEqual({ reason: rejected.reason });
    expect(textOf(page)).toContain('没有待审核的申请');
  });

  test('a refused approval shows the server message', async () => {
    staffIn();
    const item = rec.body('memberships_pending').items[0];
    fakeServer(Object.assign(rec.replay('memberships_pending'), {
      [`POST /memberships/${item.id}/approve`]: apiError(403, 'committee_only', '只有本小区居委会可以审核'),
    }));
    const page = render(ids.memberships);
    await page.instance.onShow();
    await tap(page, '通过');
    expect(textOf(page)).toContain('只有本小区居委会可以审核');
  });
});

describe('survey live results', () => {
  test('lists surveys in scope and opens the live results', async () => {
    staffIn();
    // HAND-MODIFIED use: the residents' recorded list stands in for the staff list (same SurveyListOut).
    const listed = rec.body('surveys_list');
    fakeServer({ 'GET /surveys': { status: 200, body: listed } });
    const navigate = jest.spyOn(wx, 'navigateTo');
    const page = render(ids.surveys);
    await page.instance.onShow();
    await tapText(page, 't-cell', listed.items[0].title);
    expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: `/staff/survey-results/index?id=${listed.items[0].id}` }));
  });

  test('live results render from the recorded answer and refresh on tap', async () => {
    staffIn();
    const results = rec.body('survey_results_live');
    expect(results.live).toBe(true);
    const server = fakeServer(rec.replay('survey_results_live'));
    const page = render(ids.results);
    await page.instance.onLoad({ id: String(results.survey_id) });
    expect(textOf(page)).toContain('实时');
    expect(textOf(page)).toContain(`${(results.overall.rate * 100).toFixed(1)}%`);
    await tap(page, '刷新');
    expect(server.calls).toHaveLength(2);
  });

  test('an error is shown', async () => {
    staffIn();
    fakeServer({ 'GET /surveys': apiError(403, 'forbidden', '没有权限进行此操作') });
    const page = render(ids.surveys);
    await page.instance.onShow();
    expect(textOf(page)).toContain('没有权限进行此操作');
  });
});

describe('provisional deadlines', () => {
  test('a report whose year has no holiday data says its deadline is provisional (recorded)', async () => {
    staffIn();
    const report = rec.body('report_staff_provisional');
    expect(report.deadlines_provisional).toBe(true);
    fakeServer(rec.replay('report_staff_provisional'));
    const page = render(ids.report);
    await page.instance.onLoad({ id: String(report.id) });
    expect(textOf(page)).toContain('办结期限');
    expect(textOf(page)).toContain('节假日安排未载入，期限为暂定');
  });

  test('the inbox marks it too', async () => {
    staffIn();
    fakeServer(rec.replay('reports_inbox_provisional'));
    const page = render(ids.inbox);
    page.instance.onLoad({});
    await page.instance.onShow();
    expect(textOf(page)).toContain(rec.body('reports_inbox_provisional').items[0].description);
    expect(textOf(page)).toContain('节假日安排未载入，期限为暂定');
  });

  test('once the year is loaded the mark is gone and the timeline says why (recorded)', async () => {
    staffIn();
    const report = rec.body('report_staff_recomputed');
    expect(report.deadlines_provisional).toBe(false);
    fakeServer(rec.replay('report_staff_recomputed'));
    const page = render(ids.report);
    await page.instance.onLoad({ id: String(report.id) });
    expect(textOf(page)).not.toContain('期限为暂定');
    expect(textOf(page)).toContain('系统 节假日安排载入，期限重新计算');
  });
});
