/** The key schema as data and its lookups: coverage against the reference TSV, case-insensitivity, did-you-mean. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  allKeys,
  allModules,
  availability,
  backendHostKeys,
  featureFlags,
  lookupBackendHostKey,
  lookupKey,
  moduleInfo,
  suggestBackendHostKey,
  suggestKey,
  suggestModule,
  typeAt,
} from "../src/schema/index.js";
import { toBool } from "../src/engine/config-query.js";
import { truncation, typeProblem } from "../src/schema/values.js";
import type { Value } from "../src/eval/model.js";
import { sharedDir } from "./helpers/lighttpd.js";

const tsvPath = path.join(sharedDir, "reference/lighttpd-schema.tsv");

describe("schema data", () => {
  it("has every key of the reference TSV with the same type and scope", () => {
    if (!fs.existsSync(tsvPath)) return expect.fail(`reference TSV missing: ${tsvPath}`);
    const rows = fs
      .readFileSync(tsvPath, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split("\t"));
    const typeName: Record<string, string> = {
      T_CONFIG_STRING: "string",
      T_CONFIG_SHORT: "short",
      T_CONFIG_INT: "int",
      T_CONFIG_BOOL: "bool",
      T_CONFIG_ARRAY: "array",
      T_CONFIG_ARRAY_KVANY: "array-kv-any",
      T_CONFIG_ARRAY_KVARRAY: "array-kv-array",
      T_CONFIG_ARRAY_KVSTRING: "array-kv-string",
      T_CONFIG_ARRAY_VLIST: "array-vlist",
    };
    let checked = 0;
    for (const [key, module, type, scope] of rows) {
      if (type === "FEATURE-FLAG") {
        expect(
          featureFlags().some((f) => f.key === key),
          key,
        ).toBe(true);
        continue;
      }
      if (type === "REMOVED") {
        expect(lookupKey(key)?.removed, key).toBeDefined();
        continue;
      }
      if (scope === "HOST-ENTRY") {
        expect(lookupBackendHostKey(key)?.type, key).toBe(typeName[type]);
        continue;
      }
      const info = lookupKey(key);
      expect(info, key).toBeDefined();
      // debug.log-ssl-noise differs between TLS modules; the schema follows mod_openssl
      if (key !== "debug.log-ssl-noise") expect(info!.type, key).toBe(typeName[type]);
      expect(info!.scope, key).toBe(scope.replace("T_CONFIG_SCOPE_", "").toLowerCase());
      if (module !== "core" && !module.includes("|")) expect(info!.module, key).toBe(module);
      checked++;
    }
    expect(checked).toBeGreaterThan(250);
  });

  it("describes every key and module", () => {
    for (const k of allKeys()) expect(k.description.length, k.key).toBeGreaterThan(5);
    for (const k of backendHostKeys()) expect(k.description.length, k.key).toBeGreaterThan(5);
    for (const m of allModules()) expect(m.description.length, m.name).toBeGreaterThan(5);
    expect(allKeys().filter((k) => !k.removed).length).toBeGreaterThan(250);
    expect(backendHostKeys().length).toBe(27);
  });

  it("every current key's module is a known module (or core)", () => {
    for (const k of allKeys()) {
      if (k.removed) continue;
      for (const m of k.modules ?? [k.module]) if (m !== "core") expect(moduleInfo(m), `${k.key}: ${m}`).toBeDefined();
    }
  });
});

describe("lookups", () => {
  it("finds keys case-insensitively, like lighttpd", () => {
    expect(lookupKey("Server.Port")?.key).toBe("server.port");
    expect(lookupKey("SERVER.DOCUMENT-ROOT")?.type).toBe("string");
    expect(lookupKey("server.nosuch")).toBeUndefined();
  });

  it("knows modules, built-ins and removals", () => {
    expect(moduleInfo("mod_rewrite")?.builtin).toBe(true);
    expect(moduleInfo("mod_evasive")?.removed).toBe("1.4.68");
    expect(moduleInfo("mod_geoip")?.removed).toBe("1.4.64");
    expect(moduleInfo("Mod_Rewrite")).toBeUndefined(); // module names are case-sensitive (dlopen)
    expect(moduleInfo("mod_h2")?.since).toBe("1.4.70");
  });

  it("answers availability by version", () => {
    const sslv2 = lookupKey("ssl.use-sslv2")!;
    expect(availability(sslv2, "1.4.67")).toBe("available");
    expect(availability(sslv2, "1.4.68")).toBe("removed");
    expect(availability(lookupKey("dir-listing.sort")!, "1.4.69")).toBe("not-yet");
    expect(availability(lookupKey("dir-listing.sort")!, "1.4.74")).toBe("available");
    expect(availability(lookupBackendHostKey("upgrade")!, "1.4.69")).toBe("not-yet");
  });

  it("gives the type and scope of a version", () => {
    const ssl = lookupKey("ssl.engine")!;
    expect(typeAt(ssl, "1.4.60").scope).toBe("connection");
    expect(typeAt(ssl, "1.4.69").scope).toBe("socket");
    const mrfs = lookupKey("server.max-request-field-size")!;
    expect(typeAt(mrfs, "1.4.69").type).toBe("int");
    expect(typeAt(mrfs, "1.4.70").type).toBe("short");
  });

  it("records renames", () => {
    expect(lookupKey("server.dir-listing")?.deprecated?.replacement).toBe("dir-listing.activate");
    expect(lookupKey("url.rewrite")?.deprecated?.replacement).toBe("url.rewrite-once");
    expect(lookupKey("compress.max-filesize")?.deprecated?.replacement).toBe("deflate.max-compress-size");
    expect(lookupBackendHostKey("allow-x-send-file")?.deprecated?.replacement).toBe("x-sendfile");
  });
});

describe("did you mean", () => {
  it("suggests the one clear key", () => {
    expect(suggestKey("server.follow-symlinks")).toBe("server.follow-symlink");
    expect(suggestKey("url.rewrite-onse")).toBe("url.rewrite-once");
    expect(suggestKey("server.documentroot")).toBe("server.document-root");
    expect(suggestKey("Server.Document_Root")).toBe("server.document-root");
  });

  it("suggests nothing when nothing is close or it is ambiguous", () => {
    expect(suggestKey("server.frobnicate")).toBeUndefined();
    expect(suggestKey("foo.bar")).toBeUndefined();
    // auth.backend.ldap.bind-dn and auth.backend.ldap.bind-pw are equally close
    expect(suggestKey("auth.backend.ldap.bind-xx")).toBeUndefined();
  });

  it("suggests the new name for a misspelled old name", () => {
    expect(suggestKey("server.indexfile")).toBe("index-file.names");
  });

  it("respects the target version", () => {
    expect(suggestKey("dir-listing.sorts", "1.4.74")).toBe("dir-listing.sort");
    expect(suggestKey("dir-listing.sorts", "1.4.69")).toBeUndefined();
  });

  it("suggests backend host options and modules", () => {
    expect(suggestBackendHostKey("max_procs")).toBe("max-procs");
    expect(suggestBackendHostKey("check_local")).toBe("check-local");
    expect(suggestBackendHostKey("bin_path")).toBe("bin-path");
    expect(suggestBackendHostKey("frobnicate")).toBeUndefined();
    expect(suggestModule("rewrite")).toBe("mod_rewrite");
    expect(suggestModule("Mod_Rewrite")).toBe("mod_rewrite");
    expect(suggestModule("mod_acesslog")).toBe("mod_accesslog");
    expect(suggestModule("mod_frobnicate")).toBeUndefined();
    expect(suggestModule("mod_h2", "1.4.69")).toBeUndefined();
  });
});

describe("value types (configfile-glue.c)", () => {
  const s = (value: string): Value => ({ type: "string", value });
  const n = (value: number): Value => ({ type: "integer", value });
  const list = (...items: [string | undefined, Value][]): Value => ({ type: "array", items: items.map(([key, value]) => ({ key, value })) });

  it("reads booleans like lighttpd", () => {
    for (const w of ["enable", "Enabled", "TRUE", "1"]) expect(toBool(s(w))).toBe(true);
    for (const w of ["disable", "DISABLED", "false", "0"]) expect(toBool(s(w))).toBe(false);
    expect(toBool(s("yes"))).toBeUndefined();
    expect(toBool(n(2))).toBe(true);
  });

  it("accepts what lighttpd accepts", () => {
    expect(typeProblem("k", "short", s("8080"))).toBeUndefined();
    expect(typeProblem("k", "short", n(65535))).toBeUndefined();
    expect(typeProblem("k", "int", s("4294967295"))).toBeUndefined();
    expect(typeProblem("k", "bool", n(0))).toBeUndefined();
    expect(typeProblem("k", "array-vlist", list())).toBeUndefined();
    expect(typeProblem("k", "array-kv-array", list(["a", list()]))).toBeUndefined();
  });

  it("refuses what lighttpd refuses", () => {
    expect(typeProblem("k", "string", n(5))).toMatch(/must be a string/);
    expect(typeProblem("k", "bool", s("yes"))).toMatch(/enable/);
    expect(typeProblem("k", "short", s("abc"))).toMatch(/not a number/);
    // Out of range is not refused: lighttpd truncates it (a misread, reported as integer-truncated).
    expect(typeProblem("k", "short", n(70000))).toBeUndefined();
    expect(truncation("k", "short", n(70000))).toMatch(/out of range.*4464/);
    expect(typeProblem("k", "array-vlist", s("index.html"))).toMatch(/must be a list/);
    expect(typeProblem("k", "array-vlist", list([undefined, n(1)]))).toMatch(/plain strings/);
    expect(typeProblem("k", "array-kv-string", list(["a", s("b")], [undefined, s("c")]))).toMatch(/without a key/);
    expect(typeProblem("k", "array-kv-array", list(["a", s("b")]))).toMatch(/a list is needed/);
  });

  it("does not judge unknown values", () => {
    expect(typeProblem("k", "string", { type: "unknown", reason: "include_shell" })).toBeUndefined();
  });
});
