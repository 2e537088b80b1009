/**
 * Play / pause / step / reset over already computed paths: `frame` is the last step drawn. New paths
 * show whole (frame = steps) unless playing; playing walks them in about three seconds whatever the
 * number of steps, redrawn at each animation frame.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

const PLAY_SECONDS = 3;

export interface Animation {
  frame: number;
  playing: boolean;
  play(): void;
  pause(): void;
  step(): void;
  reset(): void;
}

export function useAnimation(steps: number): Animation {
  const [frame, setFrame] = useState(steps);
  const [playing, setPlaying] = useState(false);
  const current = useRef(frame);
  current.current = frame;
  useEffect(() => {
    if (!playing) setFrame(steps);
    else setFrame((f) => Math.min(f, steps));
  }, [steps]);
  useEffect(() => {
    if (!playing) return;
    // Time-based, not frame-counted: a slow or throttled page skips steps instead of playing longer.
    const t0 = performance.now();
    const from = current.current;
    let handle = 0;
    const tick = (now: number) => {
      const next = Math.min(steps, from + Math.ceil(((now - t0) / (PLAY_SECONDS * 1000)) * steps));
      setFrame(next);
      if (next >= steps) setPlaying(false);
      else handle = requestAnimationFrame(tick);
    };
    handle = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(handle);
  }, [playing, steps]);
  return {
    frame,
    playing,
    play: () => {
      setFrame((f) => (f >= steps ? 0 : f));
      setPlaying(true);
    },
    pause: () => setPlaying(false),
    step: () => {
      setPlaying(false);
      setFrame((f) => Math.min(steps, f + 1));
    },
    reset: () => {
      setPlaying(false);
      setFrame(0);
    },
  };
}
