"""The PTC span-identification metric (SemEval-2020 Task 11 SI), shared by
the bench scripts: per article, each predicted fragment earns the share of
it that overlaps gold fragments (precision) and each gold fragment the
share of it that predictions cover (recall); summed over all articles."""


def si_f1(pred, gold):
    """pred, gold: article id -> list of (start, end). Returns (F1, P, R)."""
    ps = pr = 0.0
    ns = nt = 0
    for a, tt in gold.items():
        ss = pred.get(a, [])
        ns, nt = ns + len(ss), nt + len(tt)
        for s0, s1 in ss:
            for t0, t1 in tt:
                o = max(0, min(s1, t1) - max(s0, t0))
                if o:
                    ps, pr = ps + o / (s1 - s0), pr + o / (t1 - t0)
    p, r = ps / max(ns, 1), pr / max(nt, 1)
    return (2 * p * r / (p + r) if p + r else 0.0), p, r
