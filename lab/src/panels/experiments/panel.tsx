/** Placeholder until the panel is written. */
export function ExperimentsPanel() {
  return <p>experiments</p>;
}
