/** Placeholder until the panel is written. */
export function PlaygroundPanel() {
  return <p>playground</p>;
}
