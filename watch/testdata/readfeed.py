"""Reads an Atom file with feedparser and prints, as JSON, what a feed
reader would show of it: whether it parsed cleanly, the feed's title and
links, and each entry's id, title, summary, content and links, with the
type feedparser took each text for."""
import json
import sys

import feedparser

d = feedparser.parse(sys.argv[1])
out = {
    "bozo": bool(d.bozo),
    "bozo_exception": str(d.get("bozo_exception", "")),
    "version": d.version,
    "title": d.feed.get("title"),
    "id": d.feed.get("id"),
    "updated": d.feed.get("updated"),
    "author": d.feed.get("author"),
    "links": [{"rel": l.get("rel"), "href": l.get("href")} for l in d.feed.get("links", [])],
    "entries": [
        {
            "id": e.get("id"),
            "title": e.get("title"),
            "title_type": e.get("title_detail", {}).get("type"),
            "updated": e.get("updated"),
            "summary": e.get("summary"),
            "summary_type": e.get("summary_detail", {}).get("type"),
            "content": [c.get("value") for c in e.get("content", [])],
            "content_type": [c.get("type") for c in e.get("content", [])],
            "links": [{"rel": l.get("rel"), "href": l.get("href")} for l in e.get("links", [])],
        }
        for e in d.entries
    ],
}
json.dump(out, sys.stdout)
