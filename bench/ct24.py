"""The CheckThat! 2024 check-worthiness TSV and the seeded split of
`parallax train checkworthy` (crates/parallax-analyze/src/claims/data.rs),
for the code the bench scripts run inside bench/.venv (they put bench/ on
PYTHONPATH)."""
import re


def fnv(s):
    """64-bit FNV-1a of the UTF-8 bytes of `s`."""
    h = 0xcbf29ce484222325
    for b in s.encode():
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def bucket(sentence_id):
    """0-99: 0-9 held-out, 10-19 dev, 20-99 train."""
    return fnv(f"42:{sentence_id}") % 100


def read_rows(tsv):
    """(Sentence_id, Text, is_yes) rows of the TSV at path `tsv` (header
    skipped). One line of the shared file holds two rows glued together
    (`…\tNo29286\t…`); it is read as two rows, as the Rust reader does."""
    rows = []
    with open(tsv, encoding="utf-8") as fh:
        lines = fh.read().splitlines()[1:]
    for line in lines:
        f = line.split("\t")
        if len(f) == 5:
            m = re.match(r"(Yes|No)(\d+)", f[2])
            rows.append((f[0], f[1], m.group(1) == "Yes"))
            rows.append((m.group(2), f[3], f[4].strip() == "Yes"))
        else:
            rows.append((f[0], f[1], f[2].strip() == "Yes"))
    return rows
