"""Puts a section into BENCHMARKS.md: replaces the one between `<!-- NAME begin -->` and
`<!-- NAME end -->`, or appends it. Usage: python3 bench/put-section.py NAME SECTION_FILE"""
import re
import sys

name, path = sys.argv[1], sys.argv[2]
section = open(path).read().rstrip("\n") + "\n"
text = open("BENCHMARKS.md").read()
pattern = re.compile(rf"<!-- {re.escape(name)} begin -->.*?<!-- {re.escape(name)} end -->\n?", re.S)
if pattern.search(text):
    text = pattern.sub(lambda _: section, text)
else:
    text = text.rstrip("\n") + "\n\n" + section
open("BENCHMARKS.md", "w").write(text)
