import subprocess, re, json
REPO="/work/.mirror/lighttpd+lighttpd1.4/repo"
def git(*a): return subprocess.run(["git","-C",REPO,*a],capture_output=True,text=True,errors="replace").stdout
d=json.load(open("keys-by-tag.json"))
tags=list(d)
allkeys=set(k for t in d for k in d[t])
first={}
for t in tags:
    lits=set(re.findall(r'"([A-Za-z0-9._-]+)"', git("grep","-h","-o",r'"[A-Za-z0-9._-]*"',t,"--","src")))
    for k in allkeys:
        if k in lits and k not in first: first[k]=t
json.dump(first,open("first-literal.json","w"))
for k in sorted(allkeys):
    ft=[t for t in tags if k in d[t]][0]
    if first.get(k)!=ft and first.get(k): print(k, "cpk:",ft, "literal:",first[k])
