/**
 * --check-fs: the file system as lighttpd will meet it, on this machine or in a mounted image
 * under `settings.root`. lighttpd drops privileges (setgid, initgroups, chroot, setuid: server.c)
 * BEFORE modules create backend sockets, spawn bin-path programs and serve the document root, so
 * those are checked for server.username inside server.chroot. Certificates are loaded earlier,
 * while still root.
 */
import { readBoundedText } from "../util/read-file.js";
import fs from "node:fs";
import path from "node:path";
import type { EvaluatedConfig } from "../eval/model.js";
import { getSetting, hasUnknown, stringOf } from "./config-query.js";
import type { LintSettings } from "./types.js";

export interface FsUser {
  name: string;
  uid: number;
  /** Primary group (server.groupname's, when set) and supplementary groups (initgroups). */
  gids: number[];
}

export interface FsView {
  /** The image root ("/" for this machine). */
  root: string;
  /** server.chroot, when set: backend sockets, bin-path and the document root live inside it. */
  chroot?: string;
  /** server.username resolved in <root>/etc/passwd; undefined when unset or unknown. */
  user?: FsUser;
  /** server.username as written (even when it cannot be resolved). */
  username?: string;
}

function readLines(file: string): string[][] {
  try {
    return (readBoundedText(file, 1 << 20) ?? "")
      .split("\n")
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => l.split(":"));
  } catch {
    return [];
  }
}

/** Resolves a user (and optional group) like getpwnam/getgrnam + initgroups, from the image's files. */
export function resolveUser(root: string, username: string, groupname?: string): FsUser | undefined {
  const pw = readLines(path.join(root, "etc/passwd")).find((f) => f[0] === username);
  if (!pw) return undefined;
  const groups = readLines(path.join(root, "etc/group"));
  let primary = Number(pw[3]);
  if (groupname) {
    const g = groups.find((f) => f[0] === groupname);
    if (g) primary = Number(g[2]);
  }
  const supplementary = groups.filter((f) => (f[3] ?? "").split(",").includes(username)).map((f) => Number(f[2]));
  return { name: username, uid: Number(pw[2]), gids: [...new Set([primary, ...supplementary])] };
}

/** What --check-fs needs to know from the config, or undefined when checks are off. */
export function fsView(config: EvaluatedConfig, settings: LintSettings): FsView | undefined {
  if (!settings.checkFs) return undefined;
  const g = config.global;
  const root = settings.root || "/";
  const usernameValue = getSetting(g, "server.username")?.value;
  const username = hasUnknown(usernameValue) ? undefined : stringOf(usernameValue);
  const groupname = stringOf(getSetting(g, "server.groupname")?.value);
  const chroot = stringOf(getSetting(g, "server.chroot")?.value);
  const user = username ? resolveUser(root, username, groupname) : undefined;
  return { root, chroot: chroot || undefined, user, username };
}

/** Where a path the server uses after the privilege drop is on this machine. */
export function serverPath(view: FsView, p: string): string {
  return path.join(view.root, view.chroot ?? "", p);
}

/** Where a path the server uses before the privilege drop (certificates, pid file) is on this machine. */
export function startupPath(view: FsView, p: string): string {
  return path.join(view.root, p);
}

export function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}

export function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Whether `user` may read (4), write (2) or execute/search (1) a file with these stats, by the
 * classic owner/group/other bits. root may do anything, except execute a file with no x bit.
 */
export function permits(st: fs.Stats, user: FsUser, bit: 4 | 2 | 1): boolean {
  if (user.uid === 0) return bit !== 1 || (st.mode & 0o111) !== 0 || st.isDirectory();
  if (st.uid === user.uid) return ((st.mode >> 6) & bit) !== 0;
  if (user.gids.includes(st.gid)) return ((st.mode >> 3) & bit) !== 0;
  return (st.mode & bit) !== 0;
}

/** Every directory on the way to `p` must be searchable (x) by the user. The first one that is not. */
export function blockedAncestor(view: FsView, p: string, user: FsUser): string | undefined {
  const parts = p.split("/").filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const dir = "/" + parts.slice(0, i).join("/");
    const st = statOrUndefined(serverPath(view, dir));
    if (st && st.isDirectory() && !permits(st, user, 1)) return dir;
  }
  return undefined;
}

export function isSticky(st: fs.Stats): boolean {
  return (st.mode & 0o1000) !== 0;
}

export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}
