/**
 * not-regular-file: an include (or the main config) names a directory, a device, a FIFO or a
 * socket. lighttpd's fdevent_load_file() fstat()s the file and reads st_size bytes, so a directory
 * fails ("Is a directory") and a device or FIFO reads as empty. lighttpd-lint never reads such a
 * file (src/util/read-file.ts): /dev/zero would never end, a FIFO would block.
 */
import { stageRule } from "../src/engine/stage-rule.js";

export default stageRule({
  id: "not-regular-file",
  description: "An include names a directory, device, FIFO or socket: lighttpd refuses a directory and reads the others as empty",
  severity: "warning",
  fixable: false,
  effect: "refused",
});
