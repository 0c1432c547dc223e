const { load, render, textOf, has, tap } = require('../helpers/render');

const id = load('components/state-view/index');

test('loading shows the tdesign spinner with its text', () => {
  const comp = render(id, { status: 'loading', message: '正在搜索…' });
  expect(has(comp, 't-loading')).toBe(true);
  expect(textOf(comp)).toBe('正在搜索…');
});

test('error shows the message and the action button fires "action"', async () => {
  const comp = render(id, { status: 'error', message: '网络连接失败，请检查网络后重试', actionText: '重试' });
  const onAction = jest.fn();
  comp.addEventListener('action', onAction);
  expect(textOf(comp)).toContain('网络连接失败，请检查网络后重试');
  await tap(comp, '重试');
  expect(onAction).toHaveBeenCalledTimes(1);
});

test('empty without an action text has no button', () => {
  const comp = render(id, { status: 'empty', message: '暂无小区' });
  expect(textOf(comp)).toBe('暂无小区');
  expect(comp.dom.querySelector('wx-button')).toBeNull();
});

test('no status renders nothing', () => {
  const comp = render(id, { status: '' });
  expect(textOf(comp)).toBe('');
});
