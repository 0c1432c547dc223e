// What each timeline action means, in the words residents and committee members use.
const ACTION_WORDS = {
  submit: '提交了反映',
  accept: '受理',
  reject: '不予受理',
  merge: '合并到其他反映',
  contact: '已联系',
  assign: '安排处理',
  refer: '转 12345 热线',
  resolve: '处理完成',
  confirm: '评价：满意',
  rework: '评价不满意，重新处理',
  close_dissatisfied: '评价：不满意',
  auto_close: '7 天未评价，自动办结',
  request_extension: '申请延期',
  approve_extension: '同意延期',
  reject_extension: '不同意延期',
  support: '附议',
  escalate: '超期，提交街道督办',
  recompute_deadlines: '节假日安排载入，期限重新计算',
};

// Shown wherever a deadline is provisional: the year's holidays are not loaded yet.
const PROVISIONAL = '节假日安排未载入，期限为暂定';

module.exports = { ACTION_WORDS, PROVISIONAL };
