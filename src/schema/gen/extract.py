import subprocess, re, json, sys
REPO="/work/.mirror/lighttpd+lighttpd1.4/repo"
def git(*a): return subprocess.run(["git","-C",REPO,*a],capture_output=True,text=True,errors="replace").stdout
tags=[t for t in git("tag").split() if re.fullmatch(r"lighttpd-1\.4\.\d+",t)]
tags.sort(key=lambda t:int(t.split(".")[-1]))
tags.append("master")
new=re.compile(r'\{\s*CONST_STR_LEN\("([^"]+)"\)\s*,\s*(T_CONFIG_\w+)\s*,\s*(T_CONFIG_SCOPE_\w+)',re.S)
old=re.compile(r'\{\s*"([^"]+)"\s*,\s*NULL\s*,\s*(T_CONFIG_\w+)\s*,\s*(T_CONFIG_SCOPE_\w+)',re.S)
out={}
for t in tags:
    files=[f for f in git("ls-tree","--name-only",f"{t}:src").split() if f.endswith(".c")]
    keys={}
    for f in files:
        txt=git("show",f"{t}:src/{f}")
        txt=re.sub(r"/\*.*?\*/"," ",txt,flags=re.S)
        mod=f[:-2] if f.startswith("mod_") else "core:"+f[:-2]
        for rx in (new,old):
            for m in rx.finditer(txt):
                k,ty,sc=m.groups()
                keys.setdefault(k,[]).append([mod,ty,sc])
    out[t]=keys
    print(t,len(keys),file=sys.stderr)
json.dump(out,open("/tmp/schema/keys-by-tag.json","w"))
