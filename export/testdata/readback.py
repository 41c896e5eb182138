"""Read an export back with the format's own parser and print what it found
as JSON, for the Go tests to compare: FtM through the followthemoney model,
GraphML through networkx, BibTeX through bibtexparser."""
import json
import sys


def ftm(path):
    from followthemoney import model
    from followthemoney.exc import InvalidData

    problems, schemata, merged, refs = [], {}, {}, []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            data = json.loads(line)
            schema = model.get(data["schema"])
            if schema is None:
                problems.append(f"{n}: unknown schema {data['schema']}")
                continue
            if schema.abstract:
                problems.append(f"{n}: abstract schema {schema.name}")
            for name, values in data["properties"].items():
                prop = schema.get(name)
                if prop is None:
                    problems.append(f"{n}: {schema.name} has no property {name}")
                    continue
                for v in values:
                    if prop.type.clean(v) is None:
                        problems.append(f"{n}: {schema.name}.{name}: {v!r} is not a valid {prop.type.name}")
                    if prop.type.name == "entity":
                        refs.append((n, schema.name, name, prop.range.name if prop.range else None, v))
            eid = data["id"]
            if eid in merged:
                # Fragments of one entity must agree on a common schema.
                try:
                    merged[eid] = model.common_schema(merged[eid], schema)
                except InvalidData as exc:
                    problems.append(f"{n}: fragment of {eid}: {exc}")
            else:
                merged[eid] = schema
            schemata[schema.name] = schemata.get(schema.name, 0) + 1
    for n, sname, prop, rng, v in refs:
        target = merged.get(v)
        if target is None:
            problems.append(f"{n}: {sname}.{prop} points at {v}, which is not in the file")
        elif rng and not target.is_a(rng):
            problems.append(f"{n}: {sname}.{prop} points at a {target.name}, want a {rng}")
    # Required properties, checked on each merged entity.
    props = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            data = json.loads(line)
            p = props.setdefault(data["id"], set())
            p.update(k for k, v in data["properties"].items() if v)
    for eid, schema in merged.items():
        for req in schema.required:
            if req not in props[eid]:
                problems.append(f"{eid}: {schema.name} lacks required {req}")
    return {"schemata": schemata, "entities": len(merged), "problems": problems}


def graphml(path):
    import networkx as nx

    g = nx.read_graphml(path)
    nodes = {n: d for n, d in g.nodes(data=True)}
    edges = [{"from": a, "to": b, **d} for a, b, d in g.edges(data=True)]
    return {"directed": g.is_directed(), "nodes": nodes, "edges": edges}


def bibtex(path):
    import bibtexparser
    from bibtexparser.bparser import BibTexParser

    parser = BibTexParser(common_strings=True)
    with open(path, encoding="utf-8") as f:
        db = bibtexparser.load(f, parser=parser)
    return {"entries": [dict(e) for e in db.entries]}


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    json.dump({"ftm": ftm, "graphml": graphml, "bibtex": bibtex}[kind](path), sys.stdout)
