/**
 * The claims of the second batch of rules about lighttpd, checked against the real binary:
 * feature-flag-unknown calls an unknown server.feature-flags key ignored, and `lighttpd -tt`
 * accepts it without a word, exactly as it accepts the known flag it was mistyped from.
 * size-units calls a byte count in a KiB key misread: lighttpd starts with it and says nothing.
 * ipv6-address-brackets calls an unbracketed IPv6 listen address refused at startup: -tt refuses, -t does not.
 */
import { expect, it } from "vitest";
import { HEAD, oracleCases } from "../helpers/oracle-cases.js";
import { describeWithLighttpd, runLighttpd } from "../helpers/lighttpd.js";

const { write, findings } = oracleCases("new-rules-2");

describeWithLighttpd("feature-flag-unknown: lighttpd accepts an unknown flag silently", () => {
  const cases: [string, boolean][] = [
    ['"server.h2-proto" => "disable"', true],
    ['"server.pcre-jit" => "disable"', true],
    ['"no.such.flag" => 1', true],
    ['"server.h2proto" => "disable"', false],
    ['"SERVER.PCRE_JIT" => "disable"', false],
    ['"server.graceful-shutdown-timeout" => 5', false],
  ];
  for (const [flag, unknown] of cases) {
    it(`${flag}: ${unknown ? "reported, and" : "not reported;"} lighttpd -tt accepts it without a message`, () => {
      const text = `${HEAD}server.feature-flags = ( ${flag} )\n`;
      const r = runLighttpd("-tt", write(text));
      expect(r.status).toBe(0);
      expect(r.stderr.trim()).toBe("");
      expect(findings(text, "feature-flag-unknown").length > 0).toBe(unknown);
    });
  }
});

describeWithLighttpd("size-units: lighttpd accepts a byte count in a KiB key without a word", () => {
  const cases: [string, boolean][] = [
    ["server.max-request-size = 10485760", true],
    ["server.max-request-size = 1048576", true],
    ["server.max-request-size = 10240", false],
    ["server.max-request-field-size = 1048576", false],
  ];
  for (const [line, reported] of cases) {
    it(`${line}: ${reported ? "reported (misread), and" : "not reported;"} lighttpd -tt accepts it without a message`, () => {
      const text = `${HEAD}${line}\n`;
      const r = runLighttpd("-tt", write(text));
      expect(r.status).toBe(0);
      expect(r.stderr.trim()).toBe("");
      expect(findings(text, "size-units").length > 0).toBe(reported);
    });
  }
});

describeWithLighttpd("ipv6-address-brackets: lighttpd -tt refuses what the rule reports, -t does not notice", () => {
  const cases: [string, boolean][] = [
    ['$SERVER["socket"] == "::1:8081" { }', true],
    ['$SERVER["socket"] != "::1:8081" { }', true],
    ['$SERVER["socket"] == "::1" { }', true],
    ['$SERVER["socket"] == ":::8081" { }', true],
    ['server.bind = "::1"', true],
    ['server.bind = "2001:db8::1"', true],
    ['$SERVER["socket"] == "[::1]:8081" { }', false],
    ['$SERVER["socket"] == "[::]:8081" { }', false],
    ['$SERVER["socket"] == ":8081" { }', false],
    ['server.bind = "[::1]"', false],
    ['server.bind = "127.0.0.1"', false],
    // With server.use-ipv6 enabled lighttpd reads "::1:8081" as [::1]:8081 (and warns).
    ['server.use-ipv6 = "enable"\n$SERVER["socket"] == "::1:8081" { }', false],
    ['server.use-ipv6 = "enable"\nserver.bind = "::1"', false],
  ];
  for (const [text0, refused] of cases) {
    it(`${text0.replace(/\n/g, "; ")}: ${refused ? "reported and refused" : "not reported, accepted"}`, () => {
      const text = `${HEAD}${text0}\n`;
      const file = write(text);
      const r = runLighttpd("-tt", file);
      expect(r.status !== 0).toBe(refused);
      if (refused) expect(r.stderr).toMatch(/getaddrinfo failed|port not set or out of range/);
      expect(runLighttpd("-t", file).status).toBe(0);
      expect(findings(text, "ipv6-address-brackets").length > 0).toBe(refused);
    });
  }
});
