/**
 * MNIST as a worker holds it, whatever its job: loaded once from the files (the page's keeper) or as a
 * copy from the keeper through a port, and shared onwards on request. A plain object with its source
 * injected, so Node tests call it directly.
 */
import type { Dataset } from '../nn/types';
import type { MnistData } from '../data/mnist';
import { errorMessage } from '../nn/format';
import type { DataApi, DataFrom, DataInfo, DataMessage, DataSetName, LoadProgress, SomeOfMnist } from './protocol';

/** How the keeper loads MNIST from the files at `url` (fetch and Cache Storage in the worker, the file system in Node). */
export type MnistSource = (url: string, onProgress: (p: LoadProgress) => void) => Promise<MnistData>;

/** The data API, and the data for the worker's own job once it is loaded. */
export interface MnistHolder extends DataApi {
  /** One of the three sets; throws until `load` has resolved, and for a set this worker was not given. */
  dataset(set: DataSetName): Dataset;
}

/** MNIST as the keeper sends it through `port`: its progress while it loads, then the parsed data. */
function receiveData(port: MessagePort, onProgress: (p: LoadProgress) => void): Promise<SomeOfMnist> {
  return new Promise((resolve, reject) => {
    port.onmessage = ({ data: message }: MessageEvent<DataMessage>) => {
      if (message.kind === 'progress') return onProgress(message.progress);
      port.close();
      if (message.kind === 'data') resolve(message.data);
      else reject(new Error(message.message));
    };
    port.onmessageerror = () => {
      port.close();
      reject(new Error('this browser could not read the copy of MNIST it was sent'));
    };
  });
}

export function holdMnist(source: MnistSource): MnistHolder {
  let loading: Promise<SomeOfMnist> | null = null;
  /** Everyone waiting on the load in progress: the page, and the workers the data is shared with. */
  const loadListeners = new Set<(p: LoadProgress) => void>();
  /** Why the last load failed, for workers that ask to share it afterwards. */
  let loadError: string | null = null;
  let data: SomeOfMnist | null = null;

  return {
    async load(onProgress: (p: LoadProgress) => void, from: DataFrom): Promise<DataInfo> {
      loadListeners.add(onProgress);
      const report = (p: LoadProgress) => loadListeners.forEach((listener) => listener(p));
      loading ??= 'port' in from ? receiveData(from.port, report) : source(from.url, report);
      try {
        data = await loading;
        loadError = null;
      } catch (error) {
        loading = null;
        loadError = errorMessage(error);
        throw error;
      } finally {
        loadListeners.delete(onProgress);
      }
      const { notice, kept } = data as { notice?: unknown; kept?: unknown };
      return {
        training: data.training?.count ?? 0,
        validation: data.validation?.count ?? 0,
        test: data.test?.count ?? 0,
        ...(typeof notice === 'string' && { notice }),
        ...(typeof kept === 'boolean' && { kept }),
      };
    },

    shareData(port: MessagePort, sets?: DataSetName[]): void {
      const send = (message: DataMessage) => port.postMessage(message);
      const progress = (p: LoadProgress) => send({ kind: 'progress', progress: p });
      const answer = async () => {
        if (!data && loading) {
          loadListeners.add(progress);
          await loading.catch(() => {});
          loadListeners.delete(progress);
        }
        // The data is copied into the message (the typed arrays of training and validation, slices of one
        // buffer, travel once); this worker keeps its own.
        if (data)
          send({ kind: 'data', data: sets ? Object.fromEntries(sets.flatMap((set) => (data![set] ? [[set, data![set]]] : []))) : data });
        else send({ kind: 'error', message: loadError ?? 'MNIST is not loaded yet' });
        // The receiver closes the channel once the answer is in. Closing this end here, right after posting,
        // made Firefox drop the answer still in flight (the training copy, about 32 MB, never arrived and the run
        // waited for ever); an end left open is collected with the channel.
      };
      void answer();
    },

    dataset(set: DataSetName): Dataset {
      if (!data) throw new Error('MNIST is not loaded yet: call load() first');
      const dataset = data[set];
      if (!dataset) throw new Error(`this worker holds no ${String(set)} set (it was given ${Object.keys(data).join(', ') || 'none'})`);
      return dataset;
    },
  };
}
