/**
 * tls-outdated: TLS settings that re-enable broken protocols or ciphers: ssl.use-sslv2/-sslv3
 * (before 1.4.68, which removed them), an ssl.cipher-list or CipherString that adds RC4, DES,
 * 3DES, MD5, EXPORT, NULL or anonymous suites, @SECLEVEL=0, and MinProtocol below TLSv1.2.
 */
import type { Rule } from "../src/engine/types.js";
import type { Origin } from "../src/eval/model.js";
import { toBool, hasUnknown, itemValueRange, settingsNamed, stringOf, valueRange } from "../src/engine/config-query.js";
import { atLeast } from "../src/util/version.js";

const WEAK = new Set([
  "RC4",
  "RC2",
  "DES",
  "3DES",
  "MD5",
  "EXP",
  "EXPORT",
  "EXPORT40",
  "EXPORT56",
  "NULL",
  "ENULL",
  "ANULL",
  "ADH",
  "AECDH",
  "LOW",
  "COMPLEMENTOFALL",
  "COMPLEMENTOFDEFAULT",
]);
const OLD_PROTOCOLS = new Set(["none", "sslv2", "sslv3", "tlsv1", "tlsv1.0", "tlsv1.1"]);

/** The weak parts an OpenSSL cipher string switches ON (exclusions "!X" and "-X" and reorders "+X" do not count). */
export function weakCipherTokens(list: string): string[] {
  const weak: string[] = [];
  for (const token of list.split(/[:, ]+/)) {
    if (!token || token.startsWith("!") || token.startsWith("-") || token.startsWith("+")) continue;
    if (token.startsWith("@")) {
      if (/^@SECLEVEL=0$/i.test(token)) weak.push(token);
      continue;
    }
    const parts = token.split(/[+-]/);
    if (parts.some((p) => WEAK.has(p.toUpperCase()))) weak.push(token);
  }
  return weak;
}

const rule: Rule = {
  meta: {
    id: "tls-outdated",
    description: "Outdated TLS settings: SSLv2/SSLv3, weak ciphers (RC4, DES, MD5, EXPORT, NULL), MinProtocol below TLSv1.2",
    severity: "warning",
    fixable: false,
    effect: "risk",
  },
  check(context) {
    const { config, settings } = context;
    const report = (where: Origin | undefined, message: string) => where && context.report({ message, file: where.file, start: where.start, end: where.end });

    if (!atLeast(settings.lighttpdVersion, "1.4.68")) {
      for (const { setting } of settingsNamed(config, "ssl.use-sslv2", "ssl.use-sslv3")) {
        if (hasUnknown(setting.value) || toBool(setting.value) !== true) continue;
        const proto = setting.key.toLowerCase().endsWith("v2") ? "SSLv2" : "SSLv3";
        report(
          valueRange(setting.value, setting),
          `${setting.key} enables ${proto}, which is broken (${proto === "SSLv3" ? "POODLE" : "DROWN"}): any client can be downgraded to it. Remove the line`,
        );
      }
    }
    for (const { setting } of settingsNamed(config, "ssl.cipher-list")) {
      const list = stringOf(setting.value);
      if (list === undefined || hasUnknown(setting.value)) continue;
      const weak = weakCipherTokens(list);
      if (weak.length)
        report(
          valueRange(setting.value, setting),
          `ssl.cipher-list enables weak ciphers (${weak.join(", ")}): traffic using them can be decrypted or forged. Remove ssl.cipher-list to use lighttpd's secure defaults, or exclude them ("!RC4:!3DES:!MD5:!aNULL:!eNULL:!EXPORT")`,
        );
    }
    for (const { setting } of settingsNamed(config, "ssl.openssl.ssl-conf-cmd")) {
      if (setting.value.type !== "array") continue;
      for (const item of setting.value.items) {
        if (!item.key || hasUnknown(item.value)) continue;
        const value = stringOf(item.value);
        if (value === undefined) continue;
        const key = item.key.toLowerCase();
        if (key === "minprotocol" && OLD_PROTOCOLS.has(value.trim().toLowerCase())) {
          report(
            itemValueRange(item),
            `ssl.openssl.ssl-conf-cmd "MinProtocol" => "${value}" allows protocols below TLSv1.2 (deprecated by RFC 8996, open to downgrade attacks). Use "TLSv1.2"`,
          );
        } else if (key === "ciphersuites" || key === "cipherstring") {
          const weak = weakCipherTokens(value);
          if (weak.length)
            report(
              itemValueRange(item),
              `ssl.openssl.ssl-conf-cmd "${item.key}" enables weak ciphers (${weak.join(", ")}): traffic using them can be decrypted or forged. Exclude them`,
            );
        }
      }
    }
  },
};

export default rule;
