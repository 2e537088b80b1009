/** The run as a `descent train` command line, with a copy button. */
import { useState } from 'preact/hooks';
import { Button } from '../../components/controls';
import { useT } from '../../i18n/lang';
import { STRINGS } from './strings';

export function CliLine({ line }: { line: string }) {
  const t = useT(STRINGS);
  const [copied, setCopied] = useState(false);
  return (
    <div class="pg-cli">
      <label for="pg-cli-line">{t('cliLine')}</label>
      <div class="pg-cli-row">
        <input
          id="pg-cli-line"
          type="text"
          readOnly
          value={line}
          data-testid="pg-cli-line"
          onFocus={(e) => (e.target as HTMLInputElement).select()}
        />
        <Button
          testId="pg-cli-copy"
          onClick={() =>
            void navigator.clipboard?.writeText(line).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? t('copied') : t('copy')}
        </Button>
      </div>
    </div>
  );
}
