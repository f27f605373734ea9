/** Models in and out: download the selected run in network2.py's format, or load one (the book's Python code's too). */
import { useRef, useState, memo } from 'react';
import type { Remote } from '../platform/worker-client';
import type { AnyModel, ImportedModel, InspectingApi } from '../../worker/protocol';
import { isConvolutional } from '../../nn/any-model';
import { formatSizes } from '../../nn/format';
import { Alert } from '../app/Alert';
import { FileButton } from '../app/FileButton';
import { saveText } from '../app/save-file';
import { errorMessage } from '../../nn/format';
import { ImportCancelled, importModelFile, type ModelLoadProgress } from './import-model';

/** Larger than any model this app can hold: 5 × 2,000 hidden neurons is 17.6 million numbers, about 390 MB of JSON. */
const MAX_FILE_BYTES = 400 * 1024 * 1024;

const PHASES: Record<ModelLoadProgress['phase'], string> = {
  data: 'Preparing the test digits',
  read: 'Reading the file',
  check: 'Checking its numbers',
  measure: 'Measuring it on the 10,000 test digits',
};

interface Props {
  /** The evaluation worker, which writes downloads. */
  api: Remote<InspectingApi> | null;
  selected: { name: string; parameters: AnyModel } | null;
  onImported(imported: ImportedModel, fileName: string): void;
}

/** Download the selected model, or read one from a file in a worker of its own (with progress and Cancel). */
function useModelFiles({ api, selected, onImported }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [loading, setLoading] = useState<{ name: string; progress: ModelLoadProgress | null } | null>(null);
  const cancel = useRef<AbortController | null>(null);

  const download = async () => {
    if (!api || !selected) return;
    setError(null);
    try {
      const text = await api.exportModel(selected.parameters);
      saveText(
        text,
        `network-${isConvolutional(selected.parameters) ? 'chapter6' : formatSizes(selected.parameters.sizes)}-${selected.name.replace(/\s+/g, '-').toLowerCase()}.json`,
      );
    } catch (e) {
      setError(`Could not prepare the download of ${selected.name}: ${errorMessage(e)}`);
    }
  };

  // The import needs no evaluator (it waits for MNIST itself, and says so): a file chosen is always acted on.
  const load = async (file: File | undefined) => {
    if (!file || loading) return;
    setError(null);
    setNotice(null);
    if (file.size > MAX_FILE_BYTES) {
      setError(`“${file.name}” is ${(file.size / 1e6).toFixed(0)} MB, larger than any model this page can hold. Nothing was changed.`);
      return;
    }
    const controller = new AbortController();
    cancel.current = controller;
    setLoading({ name: file.name, progress: null });
    try {
      const imported = await importModelFile(file, (progress) => setLoading({ name: file.name, progress }), controller.signal);
      onImported(imported, file.name);
    } catch (e) {
      if (e instanceof ImportCancelled) setNotice(`Loading “${file.name}” was cancelled. Nothing was changed.`);
      else setError(`“${file.name}” was not loaded: ${errorMessage(e)} Nothing was changed.`);
    } finally {
      cancel.current = null;
      setLoading(null);
    }
  };

  return { error, notice, loading, download, load, cancel: () => cancel.current?.abort() };
}

export const ModelFiles = memo(function ModelFiles(props: Props) {
  const { api, selected } = props;
  const { error, notice, loading, download, load, cancel } = useModelFiles(props);
  const progress = loading?.progress;
  return (
    <div className="model-files">
      <button type="button" onClick={() => void download()} disabled={!api || !selected}>
        Download model
      </button>
      <FileButton accept="application/json,.json" disabled={!api || !!loading} onFile={load}>
        {loading ? 'Loading…' : 'Load model'}
      </FileButton>
      <span className="muted small">
        {selected && isConvolutional(selected.parameters)
          ? 'chapter 6’s JSON format (network3.py has no save()); Load model reads either'
          : 'network2.py’s JSON format, as its save() writes'}
      </span>
      {loading && (
        <div className="model-loading" role="group" aria-label="Loading a model">
          <span className="small">
            {loading.name}: {progress ? `${PHASES[progress.phase]}… ${Math.round(progress.fraction * 100)}%` : 'starting…'}
          </span>
          <progress aria-label="Model load progress" max={1} value={progress?.fraction ?? 0} />
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </div>
      )}
      {notice && (
        <p className="muted small" role="status">
          {notice}
        </p>
      )}
      {error && <Alert>{error}</Alert>}
    </div>
  );
});
