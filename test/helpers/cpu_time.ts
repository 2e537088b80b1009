/**
 * CPU time for the fuzz tests' per-input bounds ("a parser that loops or allocates per claimed byte
 * would blow far past this"). Wall time is the wrong clock there: with two test workers on two cores,
 * another file's processes can hold the core for longer than the bound while a parse of four characters
 * waits (one measured 261 ms of wall time against a 250 ms bound). This process's CPU time counts only
 * the work the parser did (and this process's garbage collection).
 */

/** A mark to measure from. */
export function cpuMark(): NodeJS.CpuUsage {
  return process.cpuUsage();
}

/** Milliseconds of CPU (user and system) this process spent since `mark`. */
export function cpuMsSince(mark: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(mark);
  return (user + system) / 1000;
}
