/** Placeholder until the panel is written. */
export function PathsPanel() {
  return <p>paths</p>;
}
