// Answering a survey: which questions show (show_if conditions), what counts as answered, and the
// local draft that keeps answers until the server has them (a closed app or a lost connection
// must not cost an elderly resident their twenty taps).
const { idempotencyKey } = require('./ids');

const DRAFT_PREFIX = 'survey.draft.';

function conditionMet(condition, answers) {
  if (!condition) return true;
  const answer = answers[condition.question];
  if (answer === undefined || answer === null) return false;
  const wanted = condition.in || [];
  const given = Array.isArray(answer) ? answer : [answer];
  return given.some((value) => wanted.some((w) => String(w) === String(value)));
}

/**
 * Questions to show with these answers. A condition on a hidden question is unmet, so chains of
 * conditions hide together.
 */
function visibleQuestions(questions, answers) {
  const shown = new Set();
  const out = [];
  for (const q of questions || []) {
    const cond = q.show_if;
    if (cond && !shown.has(cond.question)) continue;
    if (!conditionMet(cond, answers)) continue;
    shown.add(q.key);
    out.push(q);
  }
  return out;
}

function isAnswered(question, answer) {
  if (answer === undefined || answer === null) return false;
  if (Array.isArray(answer)) return answer.length > 0;
  if (typeof answer === 'string') return answer.trim().length > 0;
  return true;
}

/** Only the answers of questions that are shown (answers to now-hidden questions are dropped). */
function answersToSend(questions, answers) {
  const out = {};
  for (const q of visibleQuestions(questions, answers)) {
    const a = answers[q.key];
    if (isAnswered(q, a)) out[q.key] = typeof a === 'string' ? a.trim() : a;
  }
  return out;
}

function firstMissing(questions, answers) {
  return visibleQuestions(questions, answers).findIndex((q) => q.required && !isAnswered(q, answers[q.key]));
}

function loadDraft(surveyId) {
  const draft = wx.getStorageSync(DRAFT_PREFIX + surveyId);
  return draft && typeof draft === 'object' ? draft : null;
}

/** The stored draft, or a new one; the idempotency key is made once and reused by every retry. */
function openDraft(surveyId, now = Date.now()) {
  return loadDraft(surveyId) || { answers: {}, index: 0, startedAt: now, key: idempotencyKey('survey') };
}

function saveDraft(surveyId, draft) {
  wx.setStorageSync(DRAFT_PREFIX + surveyId, draft);
}

function clearDraft(surveyId) {
  wx.removeStorageSync(DRAFT_PREFIX + surveyId);
}

// Who answered (the server's `answered_by`): the list's short note and the survey page's line. A
// household's paper answers (代填) are not "you answered"; neither is another member's answer.
const ANSWERED_WORDS = {
  self: { note: '已填写', line: '您已经填写过这份问卷，感谢参与！' },
  household: { note: '家庭成员已填写', line: '您的家庭成员已经为本户填写了这份问卷（每户填写一份），感谢参与！' },
  paper: { note: '已由居委会代填（纸质问卷）', line: '您家已交纸质问卷，已由居委会代填（纸质问卷），无需再填写，感谢参与！' },
};
// A server from before `answered_by`: only `answered` is known.
const ANSWERED_UNKNOWN = { note: '已填写', line: '您（或您家）已经填写过这份问卷，感谢参与！' };

/** {note, line} for an answered survey, or null when it is not answered. */
function answeredWords(survey) {
  if (!survey || !survey.answered) return null;
  return ANSWERED_WORDS[survey.answered_by] || ANSWERED_UNKNOWN;
}

module.exports = {
  visibleQuestions, isAnswered, answersToSend, firstMissing, loadDraft, openDraft, saveDraft, clearDraft, DRAFT_PREFIX,
  answeredWords,
};
