/**
 * `lighttpd-lint convert --from nginx`, proven by running both: the Flask-FastCGI-guide shapes
 * (prefix mount with an exact-match redirect, try_files to a named location, split_path_info;
 * root mount with SCRIPT_NAME "" on TCP) behind Debian's nginx, and the converted config behind
 * lighttpd, with the same FastCGI backend. Over a URL matrix, status, SCRIPT_NAME, PATH_INFO,
 * QUERY_STRING, REQUEST_URI, static bodies and redirect targets agree, or differ exactly where the
 * mapping report says they do.
 */
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Scenario, stopAll } from "./harness.js";
import { comparable, convertCli, describeConvertE2E, freePort, get, show, startEcho, startLighttpdWith, startNginx, type ConvertJson } from "./convert/servers.js";

/** Runs both servers on a scenario and returns a function giving both outcomes for a URL. */
async function both(sc: Scenario, nginxPort: number, converted: string, backend: string) {
  await startEcho(sc, backend);
  await startNginx(sc, path.join(sc.dir, "source.conf"), nginxPort);
  await startLighttpdWith(sc, converted);
  return async (url: string) => {
    const n = await get(nginxPort, url);
    const l = await get(sc.port, url);
    show(sc.name, url, n, l);
    return { n, l };
  };
}

function noteOf(json: ConvertJson, directive: RegExp): { status: string; note: string } | undefined {
  return json.report.find((e) => directive.test(e.directive));
}

describeConvertE2E("convert nginx: prefix mount (/shop) with try_files, named location and a unix socket", ["lighttpd", "nginx", "python3"], () => {
  let sc: Scenario;
  let json: ConvertJson;
  let status: number | null;
  let fetch: (url: string) => ReturnType<ReturnType<typeof both> extends Promise<infer F> ? F : never>;

  beforeAll(async () => {
    sc = await Scenario.create("convert-nginx-prefix");
    const nginxPort = await freePort();
    sc.write("www/index.html", "the site root\n");
    sc.write("www/shop/real.txt", "a file below the app prefix\n");
    sc.write("assets/hello.txt", "a static asset\n");
    const sock = path.join(sc.dir, "run", "shop.sock");
    sc.write(
      "source.conf",
      `server {
    listen 127.0.0.1:${nginxPort};
    root ${sc.vars.WWW};

    location /assets {
        alias ${sc.dir}/assets;
    }

    location = /shop { return 301 /shop/; }

    location /shop {
        try_files $uri @shop;
    }

    location @shop {
        include fastcgi_params;
        fastcgi_split_path_info ^(/shop)(.*)$;
        fastcgi_param PATH_INFO $fastcgi_path_info;
        fastcgi_param SCRIPT_NAME $fastcgi_script_name;
        fastcgi_pass unix:${sock};
    }
}
`,
    );
    const r = convertCli("nginx", path.join(sc.dir, "source.conf"));
    json = r.json;
    status = r.status;
    fetch = (await both(sc, nginxPort, json.config, `unix:${sock}`)) as typeof fetch;
  }, 40_000);
  afterAll(async () => {
    await stopAll();
    sc?.remove();
  });

  it("converts with nothing unsupported (exit 0), names its approximations and lints the output (socket in /tmp)", () => {
    expect(status).toBe(0);
    expect(json.counts.unsupported).toBe(0);
    expect(json.config).toContain(`"check-local" => "disable"`);
    expect(json.config).toMatch(/url\.redirect-code :?= 301/);
    expect(noteOf(json, /^try_files/)?.status).toBe("approximated");
    expect(noteOf(json, /^return 301/)?.status).toBe("approximated");
    // the scenario lives under /tmp, so the socket does too: the lint of the output says so
    expect(json.lint.map((l) => l.ruleId)).toContain("socket-in-tmp");
  });

  const agree = [
    "/shop/",
    "/shop/?a=1",
    "/shop/hello",
    "/shop/hello/world/",
    "/shop/a/b?x=1&y=two",
    "/shop/caf%C3%A9?q=%20x",
    "/shop?next=1",
    "/shop",
    "/assets/hello.txt",
    "/assets/missing.txt",
    "/index.html",
    "/missing.html",
  ];
  for (const url of agree) {
    it(`GET ${url}: both servers agree`, async () => {
      const { n, l } = await fetch(url);
      expect(comparable(l)).toEqual(comparable(n));
    });
  }

  it("the backend gets SCRIPT_NAME=/shop and PATH_INFO=the rest from both", async () => {
    const { n, l } = await fetch("/shop/a/b?x=1");
    expect(n.app).toMatchObject({ SCRIPT_NAME: "/shop", PATH_INFO: "/a/b", QUERY_STRING: "x=1", REQUEST_URI: "/shop/a/b?x=1" });
    expect(l.app).toMatchObject({ SCRIPT_NAME: "/shop", PATH_INFO: "/a/b", QUERY_STRING: "x=1", REQUEST_URI: "/shop/a/b?x=1" });
  });

  it("differs as reported: nginx sends an absolute Location, lighttpd the path as written", async () => {
    const note = noteOf(json, /^return 301/)!.note;
    expect(note).toMatch(/nginx makes it absolute/);
    const { httpGet } = await import("./harness.js");
    const port = Number(/listen 127\.0\.0\.1:(\d+)/.exec(await import("node:fs").then((fs) => fs.readFileSync(path.join(sc.dir, "source.conf"), "utf8")))![1]);
    const n = await httpGet(port, "/shop");
    const l = await httpGet(sc.port, "/shop");
    expect(n.headers.location).toMatch(/^http:\/\/127\.0\.0\.1(:\d+)?\/shop\/$/);
    expect(l.headers.location).toBe("/shop/");
  });

  it("differs as reported: a file that exists below root/shop is static in nginx, the backend's in lighttpd", async () => {
    expect(noteOf(json, /^try_files/)!.note).toMatch(/nginx first serves files that exist below its root\/shop, lighttpd sends every \/shop request to the backend/);
    const { n, l } = await fetch("/shop/real.txt");
    expect(n).toMatchObject({ status: 200, body: "a file below the app prefix\n" });
    expect(l.app).toMatchObject({ SCRIPT_NAME: "/shop", PATH_INFO: "/real.txt" });
  });

  it("differs as reported: /shopX/y is split by nginx's regex at /shop, by lighttpd at the next slash", async () => {
    expect(noteOf(json, /^fastcgi_split_path_info/)!.note).toMatch(/lighttpd takes SCRIPT_NAME=\/shopX up to the next "\/"/);
    const { n, l } = await fetch("/shopX/y");
    expect(n.app).toMatchObject({ SCRIPT_NAME: "/shop", PATH_INFO: "X/y" });
    expect(l.app).toMatchObject({ SCRIPT_NAME: "/shopX", PATH_INFO: "/y" });
  });
});

describeConvertE2E('convert nginx: root mount (SCRIPT_NAME "") on a TCP backend, with an alias prefix', ["lighttpd", "nginx", "python3"], () => {
  let sc: Scenario;
  let json: ConvertJson;
  let fetch: (url: string) => Promise<{ n: Awaited<ReturnType<typeof get>>; l: Awaited<ReturnType<typeof get>> }>;

  beforeAll(async () => {
    sc = await Scenario.create("convert-nginx-root");
    const nginxPort = await freePort();
    const backendPort = await freePort();
    sc.write("www/robots.txt", "User-agent: *\n");
    sc.write("media/pic.txt", "a media file\n");
    sc.write(
      "source.conf",
      `server {
    listen 127.0.0.1:${nginxPort};
    root ${sc.vars.WWW};

    location /media/ {
        alias ${sc.dir}/media/;
    }

    location / {
        try_files $uri @site;
    }

    location @site {
        include fastcgi_params;
        fastcgi_param PATH_INFO $fastcgi_script_name;
        fastcgi_param SCRIPT_NAME "";
        fastcgi_pass 127.0.0.1:${backendPort};
    }
}
`,
    );
    json = convertCli("nginx", path.join(sc.dir, "source.conf")).json;
    fetch = await both(sc, nginxPort, json.config, `127.0.0.1:${backendPort}`);
  }, 40_000);
  afterAll(async () => {
    await stopAll();
    sc?.remove();
  });

  it('maps SCRIPT_NAME "" on the root mount to fix-root-scriptname', () => {
    expect(json.counts.unsupported).toBe(0);
    expect(json.config).toContain(`"fix-root-scriptname" => "enable"`);
    expect(json.config).toMatch(/"host" => "127\.0\.0\.1",\s*"port" => \d+/);
  });

  for (const url of ["/", "/?a=b", "/hello", "/hello/world/", "/a/b?c=d&e", "/%7Euser/a%20b", "/media/pic.txt", "/media/missing.txt", "/media", "/mediafoo"]) {
    it(`GET ${url}: both servers agree`, async () => {
      const { n, l } = await fetch(url);
      expect(comparable(l)).toEqual(comparable(n));
    });
  }

  it('the backend gets SCRIPT_NAME "" and PATH_INFO = the whole path from both', async () => {
    const { n, l } = await fetch("/x/y?z=1");
    for (const o of [n, l]) expect(o.app).toMatchObject({ SCRIPT_NAME: "", PATH_INFO: "/x/y", QUERY_STRING: "z=1", REQUEST_URI: "/x/y?z=1" });
  });

  it("differs as reported: a file in the document root is static in nginx, the backend's in lighttpd", async () => {
    expect(json.report.find((e) => e.directive.startsWith("try_files"))?.status).toBe("approximated");
    const { n, l } = await fetch("/robots.txt");
    expect(n).toMatchObject({ status: 200, body: "User-agent: *\n" });
    expect(l.app).toMatchObject({ SCRIPT_NAME: "", PATH_INFO: "/robots.txt" });
  });
});

describeConvertE2E("convert nginx: the exact location adds the slash by an internal rewrite (rewrite ^ /app/ last)", ["lighttpd", "nginx", "python3"], () => {
  let sc: Scenario;
  let json: ConvertJson;
  let fetch: (url: string) => Promise<{ n: Awaited<ReturnType<typeof get>>; l: Awaited<ReturnType<typeof get>> }>;

  beforeAll(async () => {
    sc = await Scenario.create("convert-nginx-rewrite");
    const nginxPort = await freePort();
    const sock = path.join(sc.dir, "run", "app.sock");
    sc.write(
      "source.conf",
      `server {
    listen 127.0.0.1:${nginxPort};
    root ${sc.vars.WWW};
    location = /app { rewrite ^ /app/ last; }
    location /app { try_files $uri @app; }
    location @app {
        include fastcgi_params;
        fastcgi_split_path_info ^(/app)(.*)$;
        fastcgi_param PATH_INFO $fastcgi_path_info;
        fastcgi_param SCRIPT_NAME $fastcgi_script_name;
        fastcgi_pass unix:${sock};
    }
}
`,
    );
    json = convertCli("nginx", path.join(sc.dir, "source.conf")).json;
    fetch = await both(sc, nginxPort, json.config, `unix:${sock}`);
  }, 40_000);
  afterAll(async () => {
    await stopAll();
    sc?.remove();
  });

  it("maps the rewrite to url.rewrite-once on exactly /app", () => {
    expect(json.counts.unsupported).toBe(0);
    expect(json.report.find((e) => e.directive.startsWith("rewrite"))?.status).toBe("mapped");
    expect(json.config).toContain(`"^/app(\\?.*)?$" => "/app/$1"`);
  });

  for (const url of ["/app", "/app?x=1&y", "/app/", "/app/a/b?c=d"]) {
    it(`GET ${url}: both servers agree (REQUEST_URI stays the original request)`, async () => {
      const { n, l } = await fetch(url);
      expect(comparable(l)).toEqual(comparable(n));
      expect(l.app?.REQUEST_URI).toBe(url);
    });
  }
});

describeConvertE2E("convert nginx: proxy_pass with a URI and scgi_pass, behind both servers", ["lighttpd", "nginx", "python3"], () => {
  let sc: Scenario;
  let json: ConvertJson;
  let nginxPort: number;

  beforeAll(async () => {
    sc = await Scenario.create("convert-nginx-proxy");
    nginxPort = await freePort();
    const httpPort = await freePort();
    const scgiPort = await freePort();
    sc.write(
      "source.conf",
      `server {
    listen 127.0.0.1:${nginxPort};
    root ${sc.vars.WWW};
    location /api/ {
        proxy_pass http://127.0.0.1:${httpPort}/;
        proxy_set_header Host $http_host;
    }
    location /rpc {
        include scgi_params;
        scgi_pass 127.0.0.1:${scgiPort};
    }
}
`,
    );
    json = convertCli("nginx", path.join(sc.dir, "source.conf")).json;
    await startEcho(sc, `127.0.0.1:${httpPort}`, "http");
    await startEcho(sc, `127.0.0.1:${scgiPort}`, "scgi");
    await startNginx(sc, path.join(sc.dir, "source.conf"), nginxPort);
    await startLighttpdWith(sc, json.config);
  }, 40_000);
  afterAll(async () => {
    await stopAll();
    sc?.remove();
  });

  it("maps proxy_pass's URI part to map-urlpath and scgi_pass to scgi.server", () => {
    expect(json.counts.unsupported).toBe(0);
    expect(json.config).toContain(`proxy.header := ("map-urlpath" => ("/api/" => "/"))`);
    expect(json.config).toMatch(/scgi\.server \+= \(\s*"\/rpc" => \(\(/);
  });

  for (const url of ["/api/", "/api/items/7?full=1", "/api/a%20b"]) {
    it(`GET ${url}: the HTTP backend sees the same path and Host from both`, async () => {
      const n = await get(nginxPort, url);
      const l = await get(sc.port, url);
      show(sc.name, url, n, l);
      expect(l.status).toBe(n.status);
      expect(l.app?.BACKEND_PATH).toBe(n.app?.BACKEND_PATH);
      expect(n.app?.BACKEND_PATH).toBe(url.replace(/^\/api/, ""));
      // $http_host: each server passes on the Host the client sent it (its own port)
      expect(n.app?.HOST).toBe(`127.0.0.1:${nginxPort}`);
      expect(l.app?.HOST).toBe(`127.0.0.1:${sc.port}`);
    });
  }

  it("SCGI: the query string and REQUEST_URI agree; SCRIPT_NAME/PATH_INFO differ as reported", async () => {
    expect(json.report.find((e) => e.status === "approximated" && e.directive.startsWith("scgi_pass"))!.note).toMatch(
      /nginx's scgi_params sends no SCRIPT_NAME or PATH_INFO; lighttpd sends SCRIPT_NAME = \/rpc and PATH_INFO = the rest/,
    );
    const n = await get(nginxPort, "/rpc/call?x=1");
    const l = await get(sc.port, "/rpc/call?x=1");
    show(sc.name, "/rpc/call?x=1", n, l);
    expect(l.app).toMatchObject({ QUERY_STRING: n.app!.QUERY_STRING, REQUEST_URI: n.app!.REQUEST_URI });
    expect(n.app).toMatchObject({ SCRIPT_NAME: null, PATH_INFO: null });
    expect(l.app).toMatchObject({ SCRIPT_NAME: "/rpc", PATH_INFO: "/call" });
  });
});
