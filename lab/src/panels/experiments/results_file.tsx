/**
 * "Open results.json": reads a file `descent experiment <name>` wrote (`runs/experiment-<name>/`), or
 * the one `experiment all` wrote (an object keyed by experiment name), and passes on this experiment's data.
 */
import { useId } from 'preact/hooks';
import { useLang } from '../../i18n/lang';
import { STRINGS } from './strings';

function pick(data: unknown, name: string): unknown {
  if (data && typeof data === 'object' && !Array.isArray(data) && name in data)
    return (data as Record<string, unknown>)[name];
  return data;
}

export function ResultsFileInput(p: {
  name: string;
  onLoad: (data: unknown) => void;
  onError: (message: string) => void;
}) {
  const id = useId();
  const t = STRINGS[useLang()];
  const read = async (file: File) => {
    try {
      p.onLoad(pick(JSON.parse(await file.text()), p.name));
    } catch (e) {
      p.onError(`${t.badResults}${file.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <div class="control">
      <label for={id}>{t.openResults}</label>
      <input
        id={id}
        type="file"
        accept=".json,application/json"
        data-testid="results-file"
        onChange={(e) => {
          const file = (e.target as HTMLInputElement).files?.[0];
          if (file) void read(file);
        }}
      />
    </div>
  );
}
