// One question per screen. Answers go to a local draft on every tap, so a closed app resumes where
// it stopped; submission sends the draft's idempotency key, so a retry after a lost answer cannot
// count twice. A too-fast answer is refused by the server (nothing stored): its message says to
// look again, and 重新提交 sends the draft again.
const surveys = require('../../services/surveys');
const settings = require('../../utils/settings');
const subscribe = require('../../utils/subscribe');
const logic = require('../../utils/survey');
const { messageOf } = require('../../utils/errors');

const AUTO_ADVANCE = { satisfaction: true, single: true };

function optionViews(question, answer) {
  return (question.options || []).map((o) => ({
    value: o.value,
    label: o.label,
    selected: Array.isArray(answer) ? answer.some((a) => String(a) === String(o.value)) : String(answer) === String(o.value),
  }));
}

Page({
  data: {
    largeText: false,
    step: 'loading', // loading | error | closed | answered | intro | question | done
    errorMessage: '',
    title: '',
    intro: '',
    canSeeResults: false,
    // question step
    index: 0,
    total: 0,
    percent: 0,
    question: null,
    options: [],
    text: '',
    isLast: false,
    hint: '',
    submitting: false,
    submitError: '',
    receipt: '',
    answeredLine: '',
  },

  onLoad(query) {
    this.surveyId = query && query.id;
    this.setData({ largeText: settings.isLargeText() });
    return this.load();
  },

  async load() {
    this.setData({ step: 'loading', errorMessage: '' });
    try {
      const survey = await surveys.get(this.surveyId);
      this.survey = survey;
      const base = { title: survey.title, intro: survey.intro || '' };
      if (survey.answered) {
        logic.clearDraft(survey.id);
        this.setData(Object.assign(base, { step: 'answered', answeredLine: logic.answeredWords(survey).line }));
      } else if (!survey.accepting) {
        this.setData(Object.assign(base, { step: 'closed', canSeeResults: survey.status === 'closed' || Date.parse(survey.closes_at) <= Date.now() }));
      } else {
        this.draft = logic.openDraft(survey.id);
        // The server measures answer time from the first time it served the survey: keep the
        // first token with the draft, so reopening the app does not restart that clock.
        if (!this.draft.answerToken && survey.answer_token) {
          this.draft.answerToken = survey.answer_token;
          logic.saveDraft(survey.id, this.draft);
        }
        const started = Object.keys(this.draft.answers).length > 0;
        this.setData(Object.assign(base, { step: started ? 'question' : 'intro' }));
        if (started) this.show(this.draft.index);
      }
    } catch (err) {
      this.setData({ step: 'error', errorMessage: messageOf(err) });
    }
  },

  onRetry() {
    return this.load();
  },

  onStart() {
    this.draft.startedAt = Date.now();
    logic.saveDraft(this.survey.id, this.draft);
    this.setData({ step: 'question' });
    this.show(0);
  },

  visible() {
    return logic.visibleQuestions(this.survey.questions, this.draft.answers);
  },

  show(index) {
    const visible = this.visible();
    const i = Math.max(0, Math.min(index, visible.length - 1));
    const question = visible[i];
    const answer = this.draft.answers[question.key];
    this.draft.index = i;
    logic.saveDraft(this.survey.id, this.draft);
    this.setData({
      index: i,
      total: visible.length,
      percent: Math.round(((i + 1) / visible.length) * 100),
      question: { key: question.key, kind: question.kind, text: question.text, required: question.required },
      options: optionViews(question, answer),
      text: typeof answer === 'string' ? answer : '',
      isLast: i === visible.length - 1,
      hint: '',
      submitError: '',
    });
  },

  answer(value) {
    const key = this.data.question.key;
    if (value === undefined) delete this.draft.answers[key];
    else this.draft.answers[key] = value;
    logic.saveDraft(this.survey.id, this.draft);
  },

  onChoose(e) {
    const { value } = e.currentTarget.dataset;
    const question = this.survey.questions.find((q) => q.key === this.data.question.key);
    if (question.kind === 'multiple') {
      const current = this.draft.answers[question.key] || [];
      const next = current.some((v) => String(v) === String(value)) ? current.filter((v) => String(v) !== String(value)) : current.concat([value]);
      this.answer(next.length ? next : undefined);
      this.setData({ options: optionViews(question, next), hint: '' });
      return;
    }
    this.answer(value);
    this.setData({ options: optionViews(question, value), hint: '' });
    // One tap is the whole question for levels and single choices: move on, except on the last one.
    if (AUTO_ADVANCE[question.kind] && !this.data.isLast) this.show(this.data.index + 1);
    else this.show(this.data.index); // the number of visible questions may have changed
  },

  onText(e) {
    const value = e.detail.value || '';
    this.answer(value.trim() ? value : undefined);
    this.setData({ text: value, hint: '' });
  },

  missingHere() {
    const { question } = this.data;
    return question.required && !logic.isAnswered(question, this.draft.answers[question.key]);
  },

  onNext() {
    if (this.missingHere()) {
      this.setData({ hint: '这道题需要回答后才能继续' });
      return;
    }
    this.show(this.data.index + 1);
  },

  onPrev() {
    if (this.data.index > 0) this.show(this.data.index - 1);
  },

  async onSubmit() {
    if (this.data.submitting) return;
    const missing = logic.firstMissing(this.survey.questions, this.draft.answers);
    if (missing >= 0) {
      this.show(missing);
      this.setData({ hint: '这道题还没有回答' });
      return;
    }
    // Asked in the tap itself, as WeChat requires; the answer does not hold the submission back.
    const asking = subscribe.ask('survey');
    this.setData({ submitting: true, submitError: '' });
    try {
      const receipt = await surveys.submit(this.survey.id, {
        answers: logic.answersToSend(this.survey.questions, this.draft.answers),
        answerToken: this.draft.answerToken || this.survey.answer_token,
        idempotencyKey: this.draft.key,
      });
      logic.clearDraft(this.survey.id);
      this.setData({ submitting: false, step: 'done', receipt: receipt.message || '提交成功，感谢您的参与！' });
    } catch (err) {
      // The draft stays: 重新提交 sends the same answers with the same key.
      this.setData({ submitting: false, submitError: messageOf(err) });
    }
    await asking;
  },

  onResults() {
    wx.redirectTo({ url: `/pages/survey-results/index?id=${this.surveyId}` });
  },

  onBack() {
    wx.switchTab({ url: '/pages/surveys/index' });
  },
});
