/**
 * V8 tuning for a one-shot run on a large file, set at run time (v8.setFlagsFromString) before the
 * work starts.
 *
 * The garbage collector. A lint keeps nearly everything it allocates (the tree
 * and the evaluated config live until the report is written), so every object the young generation
 * holds at a scavenge is copied and then promoted. V8 doubles the young generation as it fills; kept
 * at its first size, survivors are promoted sooner and far fewer are copied twice: on a 5 MB config
 * peak memory falls by about a sixth (199 → 166 MB) and CPU time by up to a tenth (npm run bench,
 * Node 20). The language server, which keeps little between edits, measured no difference.
 *
 * The flag is set at run time (v8.setFlagsFromString): V8 reads it each time it would grow the young
 * generation (NewSpace::Grow). Some newer V8 releases enforce a minimum of 2
 * (DEFINE_MIN_VALUE_IMPLICATION in flag-definitions.h): there this changes nothing. An unknown flag
 * would make V8 print an error, so it is set only for the V8 majors of the Node releases we support.
 *
 * Small runs allocate little but, kept small, the young generation collects more often while the
 * code loads (2.5% more instructions for examples/good.conf, no difference at 48 KB; 7% less CPU at 146 KB and
 * 11% at 500 KB, interleaved runs): the flag is set only when a file named on the command line
 * reaches LARGE_INPUT_BYTES (includes are not looked at). Nor for --fix / --diff: their passes lint
 * again and again and drop each trial's results, so most of what they allocate dies young, and a young
 * generation kept small collects it far too often (1,250 vhosts with findings: 6.8 → 4.4 s without it).
 *
 * The optimizing compiler. In a run of half a second TurboFan's inlining costs more than it gains:
 * it compiles larger functions, on V8's worker threads, whose memory stays with the process. Without
 * it (`--no-turbo-inlining`; the baseline tiers and TurboFan itself stay) the 5 MB lint took 0.91×
 * the time and 3.5 MB less peak memory, its `dump` 0.92×, 1,250 vhosts with findings 0.84× and a
 * 500 KB config 0.88× (alternating pairs, Node 20); `--diff` on the 1,250 vhosts: no difference.
 * So it goes with the young generation's flag: runs below LARGE_INPUT_BYTES keep V8's defaults (and
 * can save the code cache), and so does the language server, which runs for hours.
 *
 * Changed flags make V8 refuse code cached under the old ones: the package's entry (start.ts) sets
 * them before it compiles the CLI, and such runs keep a code cache of their own ("lint-tuned").
 */
import fs from "node:fs";
import { v8 } from "../util/lazy-node.js";

/** V8 majors of Node 18 (10.2) to Node 24 (13.6), which all define both flags. */
const KNOWN_V8 = { min: 10, max: 13 };

export function tuneForLargeInput(v8Version = process.versions.v8): boolean {
  const major = Number(/^(\d+)\./.exec(v8Version)?.[1]);
  if (!(major >= KNOWN_V8.min && major <= KNOWN_V8.max)) return false;
  v8().setFlagsFromString("--semi-space-growth-factor=1");
  v8().setFlagsFromString("--no-turbo-inlining");
  return true;
}

/** From this size of a file named on the command line V8 is tuned (see above). */
export const LARGE_INPUT_BYTES = 64 * 1024;

/** Whether this command line is a one-shot run on a large file, not a --fix or --diff (see above): then tune V8. */
export function wantsLargeInputTuning(argv: string[]): boolean {
  if (argv.some((a) => /^--(fix|fix-dry-run|diff)(=|$)/.test(a))) return false;
  return namesLargeFile(argv);
}

/** Whether an argument names a regular file of at least LARGE_INPUT_BYTES (options and anything unreadable: no). */
export function namesLargeFile(argv: string[]): boolean {
  for (const arg of argv) {
    if (arg.startsWith("-")) continue;
    try {
      const st = fs.statSync(arg, { throwIfNoEntry: false });
      if (st?.isFile() && st.size >= LARGE_INPUT_BYTES) return true;
    } catch {
      // Not a file we can stat: the lint reports it, not this.
    }
  }
  return false;
}
