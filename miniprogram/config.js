// API base URL per mini-program environment. trial/release hosts are placeholders until the
// production domain is registered in the WeChat admin console (request 合法域名 must be HTTPS).
const BASE_URLS = {
  develop: 'http://127.0.0.1:5000/api/v1',
  trial: 'https://trial.example.invalid/api/v1',
  release: 'https://api.example.invalid/api/v1',
};

const REQUEST_TIMEOUT_MS = 15000;

// Subscribe-message (订阅消息) template ids, chosen in the mini-program's admin console. The server
// sends with the same ids (WECHAT_TEMPLATE_<KIND>) but does not publish them to residents, so they
// are repeated here; an empty id is simply not asked for.
const SUBSCRIBE_TEMPLATES = {
  report_status: '',
  survey_opened: '',
  membership_decided: '',
  rectification_due: '',
};

/**
 * Template ids in force: the ones above, overridden by ext.json's extConfig.subscribeTemplates when
 * the mini-program is deployed through a third-party platform (one code base, several accounts).
 */
function subscribeTemplates() {
  let ext = {};
  try {
    ext = (typeof wx.getExtConfigSync === 'function' && wx.getExtConfigSync()) || {};
  } catch (err) {
    ext = {};
  }
  return Object.assign({}, SUBSCRIBE_TEMPLATES, ext.subscribeTemplates || {});
}

// Which templates to ask for at the moments a resident acts.
const SUBSCRIBE_MOMENTS = {
  report: ['report_status'],
  survey: ['survey_opened', 'report_status'],
};

// Emergencies are not reports: the 随手拍 page offers these calls instead.
const EMERGENCY_NUMBERS = [
  { number: '110', label: '报警电话 110' },
  { number: '119', label: '火警电话 119' },
];

function envVersion() {
  try {
    const version = wx.getAccountInfoSync().miniProgram.envVersion;
    return BASE_URLS[version] ? version : 'develop';
  } catch (err) {
    // Older base libraries lack getAccountInfoSync; DevTools is the only place that happens.
    return 'develop';
  }
}

function baseUrl() {
  return BASE_URLS[envVersion()];
}

module.exports = {
  BASE_URLS, REQUEST_TIMEOUT_MS, SUBSCRIBE_TEMPLATES, SUBSCRIBE_MOMENTS, EMERGENCY_NUMBERS, subscribeTemplates, envVersion, baseUrl,
};
