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
import socketInTmp from "./socket-in-tmp.js";
import rootScriptname from "./root-scriptname.js";
import checkLocal from "./check-local.js";
import binPathRelative from "./bin-path-relative.js";
import backendAddress from "./backend-address.js";
import aliasTrailingSlash from "./alias-trailing-slash.js";
import aliasOrder from "./alias-order.js";
import rewritePrefixBoundary from "./rewrite-prefix-boundary.js";
import rewriteUnrouted from "./rewrite-unrouted.js";
import cgiRunsFastcgi from "./cgi-runs-fastcgi.js";
import conditionCaseCollision from "./condition-case-collision.js";
import debugEnabled from "./debug-enabled.js";
import dirListingGlobal from "./dir-listing-global.js";
import statusPageUnprotected from "./status-page-unprotected.js";
import serverUsernameUnset from "./server-username-unset.js";
import tlsOutdated from "./tls-outdated.js";
import fsSocketDir from "./fs-socket-dir.js";
import fsBinPath from "./fs-bin-path.js";
import fsDocumentRoot from "./fs-document-root.js";
import fsPemfile from "./fs-pemfile.js";

import unknownKey from "./unknown-key.js";
import valueType from "./value-type.js";
import moduleNotLoaded from "./module-not-loaded.js";
import unknownModule from "./unknown-module.js";
import moduleOrder from "./module-order.js";
import serverOptionInConditional from "./server-option-in-conditional.js";
import unknownBackendKey from "./unknown-backend-key.js";
import invalidRegex from "./invalid-regex.js";
import deprecatedKey from "./deprecated-key.js";
import includeNotFound from "./include-not-found.js";
import includeCycle from "./include-cycle.js";
import includeShellSkipped from "./include-shell-skipped.js";
import duplicateKey from "./duplicate-key.js";
import duplicateArrayKey from "./duplicate-array-key.js";
import typeMismatch from "./type-mismatch.js";
import undefinedVariable from "./undefined-variable.js";
import tooManyConditions from "./too-many-conditions.js";
import invalidCondition from "./invalid-condition.js";
import unreachableElse from "./unreachable-else.js";
import envAssign from "./env-assign.js";
import integerOverflow from "./integer-overflow.js";
import integerTruncated from "./integer-truncated.js";
import invalidUtf8 from "./invalid-utf8.js";
import inputTooLarge from "./input-too-large.js";
import notText from "./not-text.js";
import notRegularFile from "./not-regular-file.js";
import includeTooDeep from "./include-too-deep.js";
import valueTooLarge from "./value-too-large.js";
import includeOutsideConfigDir from "./include-outside-config-dir.js";
import internalError from "./internal-error.js";
// issue 15 (kept in alphabetical order)
import accessDenyBypass from "./access-deny-bypass.js";
import authBackendMismatch from "./auth-backend-mismatch.js";
import backendShadowsStatic from "./backend-shadows-static.js";
import captureReference from "./capture-reference.js";
import cgiAssignEverything from "./cgi-assign-everything.js";
import conditionNesting from "./condition-nesting.js";
import fcgiChildrenWithMaxProcs from "./fcgi-children-with-max-procs.js";
import featureFlagUnknown from "./feature-flag-unknown.js";
import hostCondition from "./host-condition.js";
import ipv6AddressBrackets from "./ipv6-address-brackets.js";
import overrideAfterUse from "./override-after-use.js";
import proxyHeaderKey from "./proxy-header-key.js";
import sizeUnits from "./size-units.js";
import sslEngineWithoutPemfile from "./ssl-engine-without-pemfile.js";
import startupWarning from "./startup-warning.js";
import urlConditionQuery from "./url-condition-query.js";
import wrongDialect from "./wrong-dialect.js";
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
  socketInTmp,
  rootScriptname,
  checkLocal,
  binPathRelative,
  backendAddress,
  aliasTrailingSlash,
  aliasOrder,
  rewritePrefixBoundary,
  rewriteUnrouted,
  cgiRunsFastcgi,
  conditionCaseCollision,
  debugEnabled,
  dirListingGlobal,
  statusPageUnprotected,
  serverUsernameUnset,
  tlsOutdated,
  fsSocketDir,
  fsBinPath,
  fsDocumentRoot,
  fsPemfile,
  unknownKey,
  valueType,
  moduleNotLoaded,
  unknownModule,
  moduleOrder,
  serverOptionInConditional,
  unknownBackendKey,
  invalidRegex,
  deprecatedKey,
  includeNotFound,
  includeCycle,
  includeShellSkipped,
  duplicateKey,
  duplicateArrayKey,
  typeMismatch,
  undefinedVariable,
  tooManyConditions,
  invalidCondition,
  unreachableElse,
  envAssign,
  integerOverflow,
  integerTruncated,
  invalidUtf8,
  inputTooLarge,
  notText,
  notRegularFile,
  includeTooDeep,
  valueTooLarge,
  includeOutsideConfigDir,
  internalError,
  // issue 15 (kept in alphabetical order)
  accessDenyBypass,
  authBackendMismatch,
  backendShadowsStatic,
  captureReference,
  cgiAssignEverything,
  conditionNesting,
  fcgiChildrenWithMaxProcs,
  featureFlagUnknown,
  hostCondition,
  ipv6AddressBrackets,
  overrideAfterUse,
  proxyHeaderKey,
  sizeUnits,
  sslEngineWithoutPemfile,
  startupWarning,
  urlConditionQuery,
  wrongDialect,
];
