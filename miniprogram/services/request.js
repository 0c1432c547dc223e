// The only caller of wx.request. Everything the server says goes through here so that
// tokens, status codes and error messages are handled one way.
const config = require('../config');
const token = require('./token');

const staffToken = token.staff;

const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试';
const TIMEOUT_MESSAGE = '网络请求超时，请稍后重试';
const LOGIN_FAILED_MESSAGE = '微信登录失败，请稍后重试';
const STAFF_LOGIN_MESSAGE = '请先登录工作人员账号';
const STAFF_EXPIRED_MESSAGE = '工作人员登录已失效，请重新登录';
const UPLOAD_TIMEOUT_MS = 60000;

const STATUS_MESSAGES = {
  400: '请求有误，请稍后重试',
  401: '登录已失效，请重新进入小程序',
  403: '没有权限进行此操作',
  404: '请求的内容不存在',
  409: '当前状态下不能进行此操作',
  413: '内容太大，请压缩后重试',
  422: '填写的内容有误，请检查后重试',
  429: '操作太频繁，请稍后再试',
};

class ApiError extends Error {
  constructor({ status, error, message, details }) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.error = error;
    this.details = details || {};
  }
}

function fallbackMessage(status) {
  if (STATUS_MESSAGES[status]) return STATUS_MESSAGES[status];
  if (status >= 500) return '服务暂时不可用，请稍后重试';
  return `请求失败（${status}）`;
}

/** A non-2xx response as ApiError; the server's own zh-CN message wins when the body has one. */
function responseError(res) {
  const body = res.data && typeof res.data === 'object' ? res.data : {};
  return new ApiError({
    status: res.statusCode,
    error: typeof body.error === 'string' ? body.error : `http_${res.statusCode}`,
    message: typeof body.message === 'string' && body.message ? body.message : fallbackMessage(res.statusCode),
    details: body.details && typeof body.details === 'object' ? body.details : {},
  });
}

function networkError(err) {
  const errMsg = (err && err.errMsg) || '';
  const timedOut = /timeout/i.test(errMsg);
  return new ApiError({
    status: 0,
    error: timedOut ? 'timeout' : 'network_error',
    message: timedOut ? TIMEOUT_MESSAGE : NETWORK_MESSAGE,
    details: { errMsg },
  });
}

/** '/communities/{id}' + {id: 3} -> '/communities/3'. Templates keep services greppable against OpenAPI. */
function fillPath(template, params = {}) {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') {
      throw new Error(`missing path parameter "${name}" for ${template}`);
    }
    return encodeURIComponent(String(value));
  });
}

function queryString(query = {}) {
  const parts = Object.keys(query)
    .filter((key) => query[key] !== undefined && query[key] !== null && query[key] !== '')
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(String(query[key]))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

function send({ method = 'GET', path, params, query, data, header }, bearer) {
  const upper = method.toUpperCase();
  return new Promise((resolve, reject) => {
    wx.request({
      url: config.baseUrl() + fillPath(path, params) + queryString(query),
      method: upper,
      data: upper === 'GET' ? undefined : data,
      header: Object.assign(
        { 'Content-Type': 'application/json' },
        bearer ? { Authorization: `Bearer ${bearer}` } : {},
        header || {},
      ),
      timeout: config.REQUEST_TIMEOUT_MS,
      success(res) {
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(res.data);
        else reject(responseError(res));
      },
      fail(err) {
        reject(networkError(err));
      },
    });
  });
}

/** wx.uploadFile answers with the body as text; parse it so errors read like wx.request's. */
function parseBody(data) {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch (err) {
    return data;
  }
}

function sendUpload({ path, params, filePath, name = 'file', formData, onProgress }, bearer) {
  return new Promise((resolve, reject) => {
    const task = wx.uploadFile({
      url: config.baseUrl() + fillPath(path, params),
      filePath,
      name,
      formData: formData || {},
      header: bearer ? { Authorization: `Bearer ${bearer}` } : {},
      timeout: UPLOAD_TIMEOUT_MS,
      success(res) {
        const data = parseBody(res.data);
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(data);
        else reject(responseError({ statusCode: res.statusCode, data }));
      },
      fail(err) {
        reject(networkError(err));
      },
    });
    if (onProgress && task && typeof task.onProgressUpdate === 'function') {
      task.onProgressUpdate((p) => onProgress(p.progress));
    }
  });
}

function wxLogin() {
  return new Promise((resolve, reject) => {
    wx.login({
      success(res) {
        if (res && res.code) resolve(res.code);
        else reject(new ApiError({ status: 0, error: 'wx_login_failed', message: LOGIN_FAILED_MESSAGE }));
      },
      fail(err) {
        reject(new ApiError({
          status: 0,
          error: 'wx_login_failed',
          message: LOGIN_FAILED_MESSAGE,
          details: { errMsg: (err && err.errMsg) || '' },
        }));
      },
    });
  });
}

let pendingLogin = null;

/**
 * wx.login -> POST /auth/wechat-login. Callers that arrive while a login is in flight share it,
 * so a burst of 401s costs one code exchange (a wx.login code is single-use anyway).
 */
function login() {
  if (!pendingLogin) {
    pendingLogin = wxLogin()
      .then((code) => send({ method: 'POST', path: '/auth/wechat-login', data: { code } }, null))
      .then((session) => {
        token.set(session.token, session.expires_at);
        return session;
      })
      .finally(() => {
        pendingLogin = null;
      });
  }
  return pendingLogin;
}

/** A fresh token after `stale` was refused; reuse one that a concurrent request already obtained. */
async function tokenAfter401(stale) {
  if (pendingLogin) return (await pendingLogin).token;
  const current = token.get();
  if (current && current !== stale) return current;
  token.clear();
  return (await login()).token;
}

/**
 * Staff calls carry the staff token (services/staff.js: WeChat binding or password, kept apart from
 * the resident's). A 401 ends the staff session; the staff workbench (staff/index) signs in again.
 */
async function asStaff(options, sender) {
  const bearer = staffToken.get();
  if (!bearer) throw new ApiError({ status: 401, error: 'staff_login_required', message: STAFF_LOGIN_MESSAGE });
  try {
    return await sender(options, bearer);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      staffToken.clear();
      throw new ApiError({ status: 401, error: err.error, message: STAFF_EXPIRED_MESSAGE, details: err.details });
    }
    throw err;
  }
}

async function authorized(options, sender) {
  if (options.auth === false) return sender(options, null);
  if (options.as === 'staff') return asStaff(options, sender);
  const bearer = token.get() || (await login()).token;
  try {
    return await sender(options, bearer);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    // Exactly one retry: a second 401 means the server refuses us for real, so it propagates.
    return sender(options, await tokenAfter401(bearer));
  }
}

/**
 * options: {method, path (template such as '/memberships/{id}/leave'), params, query, data, header,
 * auth (false: no token), as ('staff': the staff token)}
 * Resolves with the parsed body of a 2xx; rejects with ApiError otherwise.
 */
function request(options) {
  return authorized(options, send);
}

/**
 * The only caller of wx.uploadFile: multipart POST of one local file with the same token, 401 and
 * error handling as request(). options: {path, params, filePath, name, formData, onProgress(0-100), as}
 */
function upload(options) {
  return authorized(options, sendUpload);
}

/** An API answer's link ("/api/v1/uploads/1/file?t=…") as an absolute URL for <image src>. */
function absoluteUrl(link) {
  if (!link || /^https?:\/\//.test(link)) return link || '';
  const origin = config.baseUrl().replace(/^(https?:\/\/[^/]+).*$/, '$1');
  return origin + link;
}

module.exports = {
  request, upload, login, wxLogin, absoluteUrl, ApiError, NETWORK_MESSAGE, TIMEOUT_MESSAGE, STAFF_LOGIN_MESSAGE, STAFF_EXPIRED_MESSAGE,
};
