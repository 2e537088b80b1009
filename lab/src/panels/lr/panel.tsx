/** Placeholder until the panel is written. */
export function LrPanel() {
  return <p>lr</p>;
}
