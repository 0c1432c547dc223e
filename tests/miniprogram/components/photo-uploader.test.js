const { load, render, textOf, tapText, flush } = require('../helpers/render');

const id = load('components/photo-uploader/index');

afterEach(() => {
  delete wx.compressImage;
});

test('shows each photo with its upload state and progress', () => {
  const comp = render(id, {
    photos: [
      { path: 'a.jpg', status: 'uploading', progress: 40 },
      { path: 'b.jpg', status: 'failed', progress: 0 },
      { path: 'c.jpg', status: 'done', progress: 100 },
    ],
  });
  const text = textOf(comp);
  expect(text).toContain('上传中 40%');
  expect(text).toContain('上传失败');
  expect(text).toContain('已上传');
  expect(text).toContain('已选 3 张');
});

test('the add tile chooses compressed photos and emits their paths', async () => {
  const choose = jest.spyOn(wx, 'chooseMedia').mockImplementation(({ success }) => setTimeout(() => success({ tempFiles: [{ tempFilePath: 'big.jpg' }] }), 0));
  wx.compressImage = ({ src, success }) => setTimeout(() => success({ tempFilePath: `small-${src}` }), 0);
  const comp = render(id, { photos: [], max: 9 });
  const onAdd = jest.fn();
  comp.addEventListener('add', onAdd);
  await tapText(comp, 'uploader__add', '拍照或选照片');
  await flush();
  expect(choose).toHaveBeenCalledWith(expect.objectContaining({ count: 9, mediaType: ['image'], sizeType: ['compressed'] }));
  expect(onAdd.mock.calls[0][0].detail).toEqual({ paths: ['small-big.jpg'] });
});

test('a refused camera permission is said in words; cancelling says nothing', async () => {
  jest.spyOn(wx, 'chooseMedia').mockImplementationOnce(({ fail }) => setTimeout(() => fail({ errMsg: 'chooseMedia:fail auth deny' }), 0))
    .mockImplementationOnce(({ fail }) => setTimeout(() => fail({ errMsg: 'chooseMedia:fail cancel' }), 0));
  const comp = render(id, { photos: [] });
  await tapText(comp, 'uploader__add', '拍照或选照片');
  expect(textOf(comp)).toContain('无法选择照片，请检查相册和相机权限');
  const other = render(id, { photos: [] });
  await tapText(other, 'uploader__add', '拍照或选照片');
  expect(textOf(other)).not.toContain('无法选择照片');
});

test('删除 emits the index; a full set hides the add tile', async () => {
  const comp = render(id, { photos: [{ path: 'a.jpg', status: 'done' }], max: 1 });
  const onRemove = jest.fn();
  comp.addEventListener('remove', onRemove);
  expect(textOf(comp)).not.toContain('拍照或选照片');
  await tapText(comp, 'uploader__remove', '删除');
  expect(onRemove.mock.calls[0][0].detail).toEqual({ index: 0 });
});
