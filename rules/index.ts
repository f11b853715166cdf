/** The registry: every rule lighttpd-lint runs, in the order they are listed by `lighttpd-lint rules`. */
import type { Rule } from "../src/engine/types.js";
import syntaxError from "./syntax-error.js";
import arrowTypo from "./arrow-typo.js";
import elseIf from "./else-if.js";
import orphanElse from "./orphan-else.js";
import strayToken from "./stray-token.js";
import missingComma from "./missing-comma.js";
import danglingPlus from "./dangling-plus.js";
import nulByte from "./nul-byte.js";
import unusedSuppression from "./unused-suppression.js";

export const rules: Rule[] = [
  syntaxError,
  arrowTypo,
  elseIf,
  orphanElse,
  strayToken,
  missingComma,
  danglingPlus,
  nulByte,
  unusedSuppression,
];
