/** Play, pause, single step and reset of the paths' animation, with the step shown. */
import { Button } from '../../components/controls';
import { COMMON } from '../../i18n/common';
import { useT } from '../../i18n/lang';
import { fill, STRINGS } from './strings';
import type { Animation } from './use_animation';

export function Playback({ animation: a, steps }: { animation: Animation; steps: number }) {
  const c = useT(COMMON);
  const t = useT(STRINGS);
  return (
    <div class="paths-playback">
      <div class="buttons">
        {a.playing ? (
          <Button onClick={a.pause} testId="paths-pause">
            {c('pause')}
          </Button>
        ) : (
          <Button onClick={a.play} primary testId="paths-play">
            {c('play')}
          </Button>
        )}
        <Button onClick={a.step} testId="paths-step">
          {c('step')}
        </Button>
        <Button onClick={a.reset} testId="paths-reset">
          {c('reset')}
        </Button>
      </div>
      <output data-testid="paths-frame">{fill(t('frame'), { frame: a.frame, steps })}</output>
    </div>
  );
}
