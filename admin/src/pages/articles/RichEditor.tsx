/**
 * The article body editor (TipTap): headings, bold/italic/underline/strike, lists, quotes,
 * tables, links and images. An image is uploaded to the media library first and cannot be
 * inserted without its alternative text (GB/T 37668). Paste from Word is cleaned here and
 * again by the server's sanitiser.
 */
import {
  BoldOutlined,
  ClearOutlined,
  DisconnectOutlined,
  ItalicOutlined,
  LinkOutlined,
  OrderedListOutlined,
  PictureOutlined,
  RedoOutlined,
  StrikethroughOutlined,
  TableOutlined,
  UnderlineOutlined,
  UndoOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import Image from '@tiptap/extension-image';
import { TableKit } from '@tiptap/extension-table';
import { EditorContent, type Editor, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { Button, Dropdown, Form, Input, Modal, Select, Tooltip, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { api } from '../../api';
import { applyFieldErrors, notify } from '../../lib/notify';
import { cleanPastedHtml } from '../../lib/wordPaste';
import type { Media } from '../../types';

export interface RichEditorProps {
  id?: string;
  value?: string;
  onChange?: (html: string) => void;
  siteId: number | null;
  readOnly?: boolean;
  /** Accessible name of the editing area. */
  label: string;
}

export function RichEditor({ id, value, onChange, siteId, readOnly, label }: RichEditorProps) {
  const [imageOpen, setImageOpen] = useState(false);
  const [linkOpen, setLinkOpen] = useState(false);
  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        code: false,
        codeBlock: false,
        link: { openOnClick: false, autolink: true, defaultProtocol: 'https', protocols: ['http', 'https', 'mailto', 'tel'] },
      }),
      Image.configure({ inline: false, allowBase64: false }),
      TableKit.configure({ table: { resizable: false } }),
    ],
    content: value ?? '',
    editable: !readOnly,
    editorProps: {
      attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', ...(id ? { id } : {}) },
      transformPastedHTML: (html) => {
        const r = cleanPastedHtml(html);
        if (r.droppedImages) notify.info(`粘贴内容中的 ${r.droppedImages} 张图片未保留：请用“插入图片”上传并填写替代文本`);
        return r.html;
      },
    },
    // TipTap also reports an update without any change to the document when it first lays out
    // content with marks or lists; only real edits count, or opening an article would mark it unsaved.
    onUpdate: ({ editor: e, transaction }) => {
      if (transaction.docChanged) onChange?.(e.isEmpty ? '' : e.getHTML());
    },
  });
  useEffect(() => {
    editor?.setEditable(!readOnly);
  }, [editor, readOnly]);

  return (
    <div className="rte">
      {!readOnly && editor && <Toolbar editor={editor} onImage={() => setImageOpen(true)} onLink={() => setLinkOpen(true)} canUpload={!!siteId} />}
      <div className="rte-content">
        <EditorContent editor={editor} />
      </div>
      {editor && (
        <>
          <ImageModal
            open={imageOpen}
            siteId={siteId}
            onClose={() => setImageOpen(false)}
            onInsert={(m, alt) => {
              editor.chain().focus().setImage({ src: m.url, alt }).run();
              setImageOpen(false);
            }}
          />
          <LinkModal
            open={linkOpen}
            initial={(editor.getAttributes('link').href as string | undefined) ?? ''}
            onClose={() => setLinkOpen(false)}
            onSubmit={(href) => {
              const chain = editor.chain().focus().extendMarkRange('link');
              if (href) chain.setLink({ href }).run();
              else chain.unsetLink().run();
              setLinkOpen(false);
            }}
          />
        </>
      )}
    </div>
  );
}

function Tool({ label, icon, onClick, active, disabled, children }: { label: string; icon?: ReactNode; onClick: () => void; active?: boolean; disabled?: boolean; children?: ReactNode }) {
  return (
    <Tooltip title={label}>
      <Button
        type={active ? 'primary' : 'text'}
        size="small"
        icon={icon}
        onClick={onClick}
        disabled={disabled}
        aria-label={label}
        aria-pressed={active === undefined ? undefined : active}
        onMouseDown={(e) => e.preventDefault()}
      >
        {children}
      </Button>
    </Tooltip>
  );
}

const BLOCKS = [
  { value: 'p', label: '正文' },
  { value: 'h2', label: '标题 2' },
  { value: 'h3', label: '标题 3' },
  { value: 'h4', label: '标题 4' },
];

function Toolbar({ editor, onImage, onLink, canUpload }: { editor: Editor; onImage: () => void; onLink: () => void; canUpload: boolean }) {
  const s = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      block: e.isActive('heading', { level: 2 }) ? 'h2' : e.isActive('heading', { level: 3 }) ? 'h3' : e.isActive('heading', { level: 4 }) ? 'h4' : 'p',
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      underline: e.isActive('underline'),
      strike: e.isActive('strike'),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      quote: e.isActive('blockquote'),
      link: e.isActive('link'),
      table: e.isActive('table'),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const c = () => editor.chain().focus();
  const setBlock = (v: string) => {
    if (v === 'p') c().setParagraph().run();
    else c().setHeading({ level: Number(v.slice(1)) as 2 | 3 | 4 }).run();
  };
  const tableItems = [
    { key: 'addRowAfter', label: '在下方插入行' },
    { key: 'addColumnAfter', label: '在右侧插入列' },
    { key: 'deleteRow', label: '删除当前行' },
    { key: 'deleteColumn', label: '删除当前列' },
    { key: 'toggleHeaderRow', label: '切换表头行' },
    { key: 'mergeOrSplit', label: '合并/拆分单元格' },
    { type: 'divider' as const },
    { key: 'deleteTable', label: '删除表格', danger: true },
  ];
  return (
    <div className="rte-toolbar" role="toolbar" aria-label="正文格式">
      <Select size="small" value={s.block} onChange={setBlock} options={BLOCKS} style={{ width: 92 }} aria-label="段落格式" />
      <span className="sep" />
      <Tool label="加粗" icon={<BoldOutlined />} active={s.bold} onClick={() => c().toggleBold().run()} />
      <Tool label="斜体" icon={<ItalicOutlined />} active={s.italic} onClick={() => c().toggleItalic().run()} />
      <Tool label="下划线" icon={<UnderlineOutlined />} active={s.underline} onClick={() => c().toggleUnderline().run()} />
      <Tool label="删除线" icon={<StrikethroughOutlined />} active={s.strike} onClick={() => c().toggleStrike().run()} />
      <span className="sep" />
      <Tool label="无序列表" icon={<UnorderedListOutlined />} active={s.bullet} onClick={() => c().toggleBulletList().run()} />
      <Tool label="有序列表" icon={<OrderedListOutlined />} active={s.ordered} onClick={() => c().toggleOrderedList().run()} />
      <Tool label="引用" active={s.quote} onClick={() => c().toggleBlockquote().run()}>
        “”
      </Tool>
      <span className="sep" />
      <Tool label="链接" icon={<LinkOutlined />} active={s.link} onClick={onLink} />
      <Tool label="取消链接" icon={<DisconnectOutlined />} disabled={!s.link} onClick={() => c().unsetLink().run()} />
      <Tool label={canUpload ? '插入图片' : '请先选择站点'} icon={<PictureOutlined />} disabled={!canUpload} onClick={onImage} />
      {s.table ? (
        <Dropdown
          menu={{
            items: tableItems,
            onClick: ({ key }) => {
              const chain = c() as unknown as Record<string, () => { run: () => boolean }>;
              chain[key]?.().run();
            },
          }}
        >
          <Button size="small" type="text" icon={<TableOutlined />} aria-label="表格操作">
            表格
          </Button>
        </Dropdown>
      ) : (
        <Tool label="插入表格（3 行 3 列，含表头）" icon={<TableOutlined />} onClick={() => c().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()} />
      )}
      <span className="sep" />
      <Tool label="清除格式" icon={<ClearOutlined />} onClick={() => c().unsetAllMarks().clearNodes().run()} />
      <Tool label="撤销" icon={<UndoOutlined />} disabled={!s.canUndo} onClick={() => c().undo().run()} />
      <Tool label="重做" icon={<RedoOutlined />} disabled={!s.canRedo} onClick={() => c().redo().run()} />
    </div>
  );
}

/** Upload an image with its (required) alternative text, then insert it. */
function ImageModal({ open, siteId, onClose, onInsert }: { open: boolean; siteId: number | null; onClose: () => void; onInsert: (m: Media, alt: string) => void }) {
  const [form] = Form.useForm<{ alt: string }>();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [busy, setBusy] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const submit = async () => {
    const { alt } = await form.validateFields();
    if (!file?.originFileObj) {
      setFileError('请选择要上传的图片');
      return;
    }
    setBusy(true);
    try {
      const fd = new FormData();
      fd.set('siteId', String(siteId));
      fd.set('alt', alt.trim());
      fd.set('file', file.originFileObj, file.name);
      const m = await api.upload<Media>('/media', fd);
      onInsert(m, alt.trim());
      form.resetFields();
      setFile(null);
    } catch (e) {
      if (!applyFieldErrors(form, e)) setFileError(e instanceof Error ? e.message : '上传失败');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="插入图片" open={open} onCancel={onClose} onOk={() => void submit()} okText="上传并插入" confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" requiredMark>
        <Form.Item label="图片文件" required validateStatus={fileError ? 'error' : undefined} help={fileError ?? '支持 JPG、PNG、GIF、WebP，不超过 10 MB'}>
          <Upload
            accept="image/jpeg,image/png,image/gif,image/webp"
            maxCount={1}
            beforeUpload={() => false}
            fileList={file ? [file] : []}
            onChange={({ fileList }) => {
              setFile(fileList[0] ?? null);
              setFileError(null);
            }}
          >
            <Button icon={<PictureOutlined />}>选择图片</Button>
          </Upload>
        </Form.Item>
        <Form.Item
          label="替代文本（alt）"
          name="alt"
          rules={[
            { required: true, whitespace: true, message: '请填写替代文本：用一句话说明图片内容，供视障读者使用' },
            { max: 200, message: '替代文本不能超过 200 个字符' },
          ]}
          extra="用一句话说明图片内容，例如“市教育局召开2026年秋季开学工作会议”。"
        >
          <Input maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const HREF = /^(https?:\/\/\S+|mailto:\S+|tel:\S+|\/(?![/\\])\S*|#\S*)$/i;

function LinkModal({ open, initial, onClose, onSubmit }: { open: boolean; initial: string; onClose: () => void; onSubmit: (href: string) => void }) {
  const [form] = Form.useForm<{ href: string }>();
  useEffect(() => {
    if (open) form.setFieldsValue({ href: initial });
  }, [open, initial, form]);
  return (
    <Modal title="链接" open={open} onCancel={onClose} onOk={() => void form.validateFields().then((v) => onSubmit(v.href.trim()))} okText="确定" destroyOnHidden forceRender>
      <Form form={form} layout="vertical">
        <Form.Item
          label="链接地址"
          name="href"
          rules={[{ validator: (_r, v: string) => (!v || HREF.test(v.trim()) ? Promise.resolve() : Promise.reject(new Error('请输入 http(s):// 开头的网址、站内路径（/ 开头）或 mailto:、tel: 地址'))) }]}
          extra="留空则取消链接"
        >
          <Input placeholder="https://" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
