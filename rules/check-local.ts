/**
 * check-local: a FastCGI/SCGI backend mounted on a "/prefix" with check-local left at its default
 * (enable). lighttpd then maps the URL to a file under server.document-root first and answers 404
 * itself when that file does not exist, so the app never sees /app/anything.
 * (mod_proxy ignores check-local: gw_exts_clear_check_local.)
 */
import type { Rule } from "../src/engine/types.js";
import {
  appendToArray,
  arrayEntry,
  backendHosts,
  contextChain,
  describeHost,
  getSetting,
  hasUnknown,
  hostArrayNode,
  itemRange,
  settingRange,
  sourceText,
  stringOf,
} from "../src/engine/config-query.js";
import type { Context } from "../src/eval/model.js";

function documentRoot(ctx: Context): string | undefined {
  let root: string | undefined;
  for (const c of contextChain(ctx)) root = stringOf(getSetting(c, "server.document-root")?.value) ?? root;
  return root;
}

const rule: Rule = {
  meta: {
    id: "check-local",
    description: 'A "/prefix" FastCGI/SCGI backend with check-local enabled: lighttpd answers 404 unless the file exists under the document root',
    severity: "warning",
    fixable: "fix",
    effect: "runtime",
  },
  check(context) {
    const { config } = context;
    for (const h of backendHosts(config, ["fastcgi", "scgi"])) {
      if (!h.extKey.startsWith("/")) continue; // ".php": the file is meant to exist locally
      const checkLocal = arrayEntry(h.entries, "check-local");
      if (checkLocal) continue; // written either way: a deliberate choice
      // The prefix names the program itself inside the document root (/hello.fcgi with
      // bin-path <docroot>/hello.fcgi): the file exists, so the check passes.
      const binPath = arrayEntry(h.entries, "bin-path");
      if (hasUnknown(binPath?.value)) continue;
      const program = stringOf(binPath?.value)?.split(" ")[0];
      const docroot = documentRoot(h.context);
      if (program && docroot && program === docroot.replace(/\/+$/, "") + h.extKey) continue;
      const where = itemRange(h.host, h.ext.keyOrigin ?? settingRange(h.setting));
      const node = hostArrayNode(h);
      const text = h.file ? sourceText(config, h.file) : undefined;
      const edit = node && text && h.file === where.file ? appendToArray(text, node, '"check-local" => "disable"') : undefined;
      context.report({
        message: `${describeHost(h)} keeps check-local enabled (the default): lighttpd looks for "${h.extKey}..." as a file under server.document-root and answers 404 itself when it does not exist, without calling the app. Add "check-local" => "disable"`,
        file: where.file,
        start: where.start,
        end: where.end,
        fix: edit ? { description: 'add "check-local" => "disable"', edits: [edit] } : undefined,
      });
    }
  },
};

export default rule;
