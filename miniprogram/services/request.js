// The only caller of wx.request. Everything the server says goes through here so that
// tokens, status codes and error messages are handled one way.
const config = require('../config');
const token = require('./token');

const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试';
const TIMEOUT_MESSAGE = '网络请求超时，请稍后重试';
const LOGIN_FAILED_MESSAGE = '微信登录失败，请稍后重试';

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
 * options: {method, path (template such as '/memberships/{id}/leave'), params, query, data, header, auth}
 * Resolves with the parsed body of a 2xx; rejects with ApiError otherwise.
 */
async function request(options) {
  if (options.auth === false) return send(options, null);
  const bearer = token.get() || (await login()).token;
  try {
    return await send(options, bearer);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    // Exactly one retry: a second 401 means the server refuses us for real, so it propagates.
    return send(options, await tokenAfter401(bearer));
  }
}

module.exports = { request, login, ApiError, NETWORK_MESSAGE, TIMEOUT_MESSAGE };
