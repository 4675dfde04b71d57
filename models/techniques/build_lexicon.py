#!/usr/bin/env python3
"""Builds models/techniques/lexicon.tsv, the compact derived lexicon the
techniques model reads (embedded in the binary).

Sources (downloaded from PyPI, never committed as-is):
  vaderSentiment 3.3.2  vader_lexicon.txt      MIT
  textblob 0.20.1       en/en-sentiment.xml    PDDL (pattern, De Smedt & Daelemans)
  afinn 0.1             AFINN-en-165.txt       ODbL 1.0 (Finn Arup Nielsen)

Usage:
  pip download --no-deps -d /tmp/tlex vaderSentiment==3.3.2 textblob==0.20.1 afinn==0.1
  python3 models/techniques/build_lexicon.py /tmp/tlex > models/techniques/lexicon.tsv

Output: one word a line, `word<TAB>vader<TAB>afinn<TAB>subjectivity<TAB>polarity`,
single lowercase words only; a missing value is `-`. Numbers are rounded
(vader/polarity to 0.1, subjectivity to 0.1, afinn integer).
"""
import re, sys, tarfile, zipfile, io, xml.etree.ElementTree as ET
from pathlib import Path
from collections import defaultdict

d = Path(sys.argv[1])
WORD = re.compile(r"^[a-z][a-z'\-]*[a-z]$")
vader, afinn, subj, pol = {}, {}, defaultdict(list), defaultdict(list)

with zipfile.ZipFile(next(d.glob("vaderSentiment-*.whl"))) as z:
    for line in z.read("vaderSentiment/vader_lexicon.txt").decode("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and WORD.match(parts[0]):
            vader[parts[0]] = float(parts[1])
with zipfile.ZipFile(next(d.glob("textblob-*.whl"))) as z:
    root = ET.fromstring(z.read("textblob/en/en-sentiment.xml"))
    for w in root.iter("word"):
        f = w.get("form", "").lower()
        if WORD.match(f):
            subj[f].append(float(w.get("subjectivity", 0)))
            pol[f].append(float(w.get("polarity", 0)))
with tarfile.open(next(d.glob("afinn-*.tar.gz"))) as t:
    m = next(m for m in t.getmembers() if m.name.endswith("AFINN-en-165.txt"))
    for line in t.extractfile(m).read().decode("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and WORD.match(parts[0]):
            afinn[parts[0]] = int(parts[1])

def fmt(x, nd=1):
    return "-" if x is None else f"{x:.{nd}f}"

print("# derived from vaderSentiment 3.3.2 (MIT), textblob 0.20.1 en-sentiment.xml (PDDL), afinn 0.1 AFINN-en-165 (ODbL 1.0); see README.md")
for w in sorted(set(vader) | set(afinn) | set(subj)):
    s = sum(subj[w]) / len(subj[w]) if subj[w] else None
    p = sum(pol[w]) / len(pol[w]) if pol[w] else None
    print("\t".join([w, fmt(vader.get(w)), str(afinn[w]) if w in afinn else "-", fmt(s), fmt(p)]))
