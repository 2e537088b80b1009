/** Placeholder until the panel is written. */
export function InitPanel() {
  return <p>init</p>;
}
