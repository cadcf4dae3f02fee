/**
 * A Liquid template editor: CodeMirror 6 with Liquid (over HTML) highlighting, line numbers,
 * search, bracket matching and undo. The line of a parse error is marked (red band and a
 * gutter marker) so the designer sees where the server found it. Loaded on demand
 * (`lazy(() => import('./LiquidEditor'))`): CodeMirror is in no screen's first download.
 */
import { liquid } from '@codemirror/lang-liquid';
import { EditorState, RangeSetBuilder, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView, GutterMarker, gutterLineClass } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';

export interface TemplateError {
  line: number;
  column: number;
  message: string;
}

export interface LiquidEditorHandle {
  /** Puts the cursor on a line (1-based) and scrolls it into view. */
  goToLine(line: number, column?: number): void;
  focus(): void;
}

interface Props {
  value: string;
  onChange?: (value: string) => void;
  error?: TemplateError | null;
  readOnly?: boolean;
  /** The accessible name of the text area. */
  label: string;
  height?: number | string;
}

const setError = StateEffect.define<TemplateError | null>();

class ErrorGutterClass extends GutterMarker {
  override elementClass = 'cm-error-gutter';
}
const errorGutter = new ErrorGutterClass();

/** The error's line, decorated in the text and in the gutter. */
const errorField = StateField.define<{ error: TemplateError | null; deco: DecorationSet; gutter: import('@codemirror/state').RangeSet<GutterMarker> }>({
  create: () => ({ error: null, deco: Decoration.none, gutter: new RangeSetBuilder<GutterMarker>().finish() }),
  update(value, tr) {
    let error = value.error;
    for (const e of tr.effects) if (e.is(setError)) error = e.value;
    if (error === value.error && !tr.docChanged) return value;
    if (!error) return { error: null, deco: Decoration.none, gutter: new RangeSetBuilder<GutterMarker>().finish() };
    const n = Math.min(Math.max(1, error.line), tr.state.doc.lines);
    const line = tr.state.doc.line(n);
    const deco = Decoration.set([Decoration.line({ class: 'cm-error-line', attributes: { title: `第 ${error.line} 行：${error.message}` } }).range(line.from)]);
    const g = new RangeSetBuilder<GutterMarker>();
    g.add(line.from, line.from, errorGutter);
    return { error, deco, gutter: g.finish() };
  },
  provide: (f) => [EditorView.decorations.from(f, (v) => v.deco), gutterLineClass.from(f, (v) => v.gutter)],
});

/** Colours with at least 4.5:1 contrast on white (the default gutter grey is too light). */
const look = EditorView.theme({
  '&': { border: '1px solid #d0d7e2', borderRadius: '4px', fontSize: '13px', background: '#fff' },
  '&.cm-focused': { outline: '2px solid #1456c8', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, "DejaVu Sans Mono", "WenQuanYi Micro Hei Mono", monospace', lineHeight: '1.6' },
  '.cm-gutters': { background: '#f6f8fb', color: '#595959', borderRight: '1px solid #e5e8ee' },
  '.cm-activeLineGutter': { background: '#e6eefb', color: '#1f1f1f' },
  '.cm-activeLine': { background: '#f3f7fe' },
  '.cm-error-line': { background: '#fff1f0', boxShadow: 'inset 3px 0 0 #c4161c' },
  '.cm-error-gutter': { background: '#c4161c', color: '#fff' },
  '.cm-placeholder': { color: '#707070' },
});

const LiquidEditor = forwardRef<LiquidEditorHandle, Props>(function LiquidEditor({ value, onChange, error = null, readOnly = false, label, height = 480 }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          liquid(),
          look,
          errorField,
          EditorView.lineWrapping,
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          // tabindex: the text is reachable by keyboard (and so is its scrolling region, for axe
          // too), also when read-only, where CodeMirror drops contenteditable.
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true', tabindex: '0', ...(readOnly ? { 'aria-readonly': 'true' } : {}) }),
          EditorView.theme({ '&': { height: typeof height === 'number' ? `${height}px` : height }, '.cm-scroller': { overflow: 'auto' } }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current?.(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is made once per mount; value changes from outside are applied below.
  }, [readOnly, label]);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: setError.of(error) });
  }, [error]);

  useImperativeHandle(ref, () => ({
    goToLine(lineNo, column = 1) {
      const v = view.current;
      if (!v) return;
      const line = v.state.doc.line(Math.min(Math.max(1, lineNo), v.state.doc.lines));
      const pos = Math.min(line.from + Math.max(0, column - 1), line.to);
      v.dispatch({ selection: { anchor: pos }, effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
      v.focus();
    },
    focus: () => view.current?.focus(),
  }));

  return <div ref={host} className="liquid-editor" data-testid="liquid-editor" />;
});

export default LiquidEditor;
