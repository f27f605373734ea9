/** Models in and out: download the selected run in network2.py's format, or load one (the book's Python code's too). */
import { useState, memo } from 'react';
import type { Remote } from 'comlink';
import type { ImportedModel, ModelParameters, TrainerApi } from '../../worker/protocol';
import { formatSizes } from '../../nn/format';
import { Alert } from './Alert';
import { errorMessage } from '../../nn/format';

/** Larger than any model this app can hold (5 × 2,000 hidden neurons is about 100 MB of JSON). */
const MAX_FILE_BYTES = 200 * 1024 * 1024;

interface Props {
  api: Remote<TrainerApi> | null;
  selected: { name: string; parameters: ModelParameters } | null;
  onImported(imported: ImportedModel, fileName: string): void;
}

export const ModelFiles = memo(function ModelFiles({ api, selected, onImported }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const download = async () => {
    if (!api || !selected) return;
    setError(null);
    try {
      const text = await api.exportModel(selected.parameters);
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `network-${formatSizes(selected.parameters.sizes)}-${selected.name.replace(/\s+/g, '-').toLowerCase()}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(`Could not prepare the download: ${errorMessage(e)}`);
    }
  };

  const load = async (file: File | undefined) => {
    if (!file || !api) return;
    setError(null);
    if (file.size > MAX_FILE_BYTES) {
      setError(`“${file.name}” is ${(file.size / 1e6).toFixed(0)} MB, larger than any model this page can hold. Nothing was changed.`);
      return;
    }
    setBusy(true);
    try {
      const imported = await api.importModel(await file.text());
      onImported(imported, file.name);
    } catch (e) {
      setError(`“${file.name}” was not loaded: ${errorMessage(e)} Nothing was changed.`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="model-files">
      <button type="button" onClick={() => void download()} disabled={!api || !selected}>
        Download model
      </button>
      <label className={`file-button${!api || busy ? ' disabled' : ''}`}>
        {busy ? 'Loading…' : 'Load model'}
        <input
          type="file"
          accept="application/json,.json"
          disabled={!api || busy}
          onChange={(e) => void load(e.target.files?.[0]).finally(() => (e.target.value = ''))}
        />
      </label>
      <span className="muted small">network2.py’s JSON format, as its save() writes</span>
      {error && <Alert>{error}</Alert>}
    </div>
  );
});
